/**
 * The ringfence command line as a shell uses it: a reader that closes the
 * pipe early (`| head`) ends a command quietly, with no EPIPE stack trace.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

for (const args of ['schema', 'check examples/rules/china-ingress.yaml']) {
  t.test(`ringfence ${args} | head -c 1: exits 0, nothing on stderr`, async (t) => {
    // pipefail: the status is ringfence's, not head's.
    const r = spawnSync('bash', ['-c', `set -o pipefail; node --import tsx lib/cli.ts ${args} | head -c 1 >/dev/null`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    t.equal(r.stderr, '', 'no stack trace');
    t.equal(r.status, 0);
  });
}
