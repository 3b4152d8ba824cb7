#!/usr/bin/env node
/**
 * `ringfence serve | check | schema | replay | generate | inspect | holds`.
 * Each command lives with its feature; this file only assembles them.
 */
import { Command } from 'commander';
import { registerHoldsCommand, registerInspectCommand } from './ops/command.js';
import { registerReplayCommands } from './replay/command.js';
import { registerRulesCommands } from './rules/command.js';
import { registerServeCommand } from './serve-command.js';
import { packageVersion } from './serve.js';

const version = packageVersion();

const program = new Command('ringfence')
  .version(version)
  .description('Screen inbound international calls inline: Wangiri, robocalls, spoofed and masked caller IDs.')
  .showHelpAfterError('(run with --help for usage)');

// A closed stdout (`ringfence schema | head`) is the reader saying it has enough: exit
// quietly, as generate does, instead of an unhandled EPIPE. Not for serve, whose
// output is logs and which must keep screening whatever happens to a log reader.
program.hook('preAction', (_program, command) => {
  if (command.name() === 'serve') return;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // Anything else (ENOSPC on a full disk) loses output: one line saying so, as for -o files.
    process.stderr.write(`ringfence ${command.name()}: writing to standard output failed: ${err.message}\n`);
    process.exit(1);
  });
});

registerServeCommand(program);
registerRulesCommands(program);
registerReplayCommands(program);
registerInspectCommand(program);
registerHoldsCommand(program);

await program.parseAsync(process.argv);
