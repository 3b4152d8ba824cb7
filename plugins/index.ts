/** The signals that ship with Ringfence, for the rules loader to resolve by name. */
import type { AnySignalPlugin } from '../lib/engine/plugin.js';
import cliMismatch from './cli-mismatch.js';
import domesticCli from './domestic-cli.js';
import fanIn from './fan-in.js';
import fanOut from './fan-out.js';
import invalidCli from './invalid-cli.js';
import rate from './rate.js';
import repeatCalls from './repeat-calls.js';
import reputation from './reputation.js';
import retries from './retries.js';
import rotatingCli from './rotating-cli.js';
import shortCalls from './short-calls.js';
import tollFree from './toll-free.js';
import unanswered from './unanswered.js';
import wangiri from './wangiri.js';

export const builtinPlugins: AnySignalPlugin[] = [
  unanswered,
  fanOut,
  fanIn,
  rate,
  shortCalls,
  repeatCalls,
  wangiri,
  tollFree,
  domesticCli,
  invalidCli,
  rotatingCli,
  cliMismatch,
  reputation,
  retries,
];
