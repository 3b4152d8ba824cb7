import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, prettyLine } from '../../lib/ops/logger.js';

t.test('JSON lines at the chosen level, to a file', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'logs', 'ringfence.log');
  const log = createLogger({ destination: file, level: 'info' });
  log.debug('hidden');
  log.info({ call_id: 'c1', action: 'reject', score: 120 }, 'decision');
  log.warn('careful');
  log.flush();
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.equal(lines.length, 2, 'debug is below info');
  t.match(lines[0], { level: 30, msg: 'decision', call_id: 'c1', action: 'reject', score: 120 });
  t.type(lines[0]!.time, 'number');
  t.match(lines[1], { level: 40, msg: 'careful' });
});

t.test('pretty: one readable line per event, errors with their stack', async (t) => {
  const file = join(t.testdir({}), 'pretty.log');
  const log = createLogger({ destination: file, pretty: true, level: 'debug' });
  log.debug({ call_id: 'c1', reasons: ['burst +40: 4 attempts (max 3)', 'hold +100: held'], would_be: 'reject', n: { a: 1 } }, 'decision');
  log.error({ err: new Error('disk full') }, 'snapshot failed');
  log.flush();
  const text = readFileSync(file, 'utf8');
  t.match(text, /^\d\d:\d\d:\d\d\.\d{3} DEBUG decision call_id=c1 reasons=\[burst \+40: 4 attempts \(max 3\); hold \+100: held\] would_be=reject n=\{"a":1\}\n/);
  t.match(text, /\n\d\d:\d\d:\d\d\.\d{3} ERROR snapshot failed\n {4}Error: disk full\n {8}at /);
  t.notMatch(text, /hostname=|pid=/, 'noise left out');
});

t.test('options are checked', async (t) => {
  t.throws(() => createLogger({ level: 'verbose' }), /unknown log level 'verbose': use one of trace, debug, info, warn, error, fatal, silent/);
  t.equal(createLogger({ level: 'silent', destination: join(t.testdir({}), 'x.log') }).level, 'silent');
  t.equal(createLogger({ destination: join(t.testdir({}), 'y.log') }).level, 'info', 'info by default');
  t.equal(prettyLine('not json'), 'not json\n', 'a line that is not JSON passes through');
});
