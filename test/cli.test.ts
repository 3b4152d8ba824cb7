/**
 * The ringfence command line as a shell uses it: a reader that closes the
 * pipe early (`| head`) ends a command quietly, with no EPIPE stack trace.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

for (const args of ['schema', 'check examples/rules/china-ingress.yaml', 'replay examples/traffic/china-2h-seed1.csv --rules examples/rules/china-ingress.yaml --no-progress --decisions /dev/stdout']) {
  t.test(`ringfence ${args} | true: exits 0, nothing on stderr`, async (t) => {
    // pipefail: the status is ringfence's, not the reader's. The reader is gone before ringfence
    // writes (`true` reads nothing and exits at once): with `head -c 1`, any output that fits the
    // pipe's buffer (check's 17 kB does) was written whole before head closed it, no EPIPE came,
    // and the test passed without the hook.
    const r = spawnSync('bash', ['-c', `set -o pipefail; node --import tsx lib/cli.ts ${args} | true`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    t.equal(r.stderr, '', 'no stack trace');
    t.equal(r.status, 0);
  });
}

for (const args of ['schema', 'generate --hours 1']) {
  t.test(`ringfence ${args} > /dev/full: one line on stderr and exit 1, no stack trace`, { skip: process.platform !== 'linux' && 'needs /dev/full' }, async (t) => {
    const r = spawnSync('bash', ['-c', `node --import tsx lib/cli.ts ${args} > /dev/full`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    t.equal(r.status, 1);
    t.match(r.stderr, new RegExp(`^ringfence ${args.split(' ')[0]}: writing to standard output failed: ENOSPC: no space left on device`));
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  });
}
