/**
 * The bench scripts' command lines: --help prints the usage and exits 0
 * without running the benchmark; an unknown option or a bad number is named
 * on stderr with exit status 2, not a stack trace or a run on NaN.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd: string[]) => spawnSync(cmd[0] as string, cmd.slice(1), { cwd: root, encoding: 'utf8', timeout: 60_000 });
const ts = (script: string, ...args: string[]) => ['node', '--import', 'tsx', script, ...args];

const SCRIPTS: Array<[string, string[]]> = [
  ['bench/engine.ts', ['--calls', '0']],
  ['bench/numbers.ts', ['many']],
  ['bench/replay.ts', ['12x']],
  ['bench/sip-load/serve.ts', ['--recv-buffer', 'big']],
  ['bench/sip-load/proxy-cpu.ts', ['--rounds', '-1']],
];

for (const [script, badNumber] of SCRIPTS) {
  t.test(script, async (t) => {
    const help = run(ts(script, '--help'));
    t.equal(help.status, 0, '--help exits 0');
    t.match(help.stdout, /^Usage: node /, 'prints the usage');
    t.equal(help.stderr, '');

    const unknown = run(ts(script, '--no-such-option'));
    t.equal(unknown.status, 2, 'unknown option: exit 2');
    t.match(unknown.stderr, /^error: unknown option '--no-such-option'\n\nUsage: /);
    t.notMatch(unknown.stderr, /\n\s+at /, 'no stack trace');

    const bad = run(ts(script, ...badNumber));
    t.equal(bad.status, 2, `${badNumber.join(' ')}: exit 2`);
    t.match(bad.stderr, /^error: /);
    t.notMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  });
}

t.test('bench/sip-load/run.sh', async (t) => {
  const help = run(['bash', 'bench/sip-load/run.sh', '--help']);
  t.equal(help.status, 0);
  t.match(help.stdout, /^SIP load benchmark/);
  t.match(help.stdout, /--known/, 'names every option');
  const unknown = run(['bash', 'bench/sip-load/run.sh', '--no-such-option']);
  t.equal(unknown.status, 2);
  t.match(unknown.stderr, /unknown option --no-such-option/);
});

t.test('bench/traffic-b/gen.mjs', async (t) => {
  const help = run(['node', 'bench/traffic-b/gen.mjs', '--help']);
  t.equal(help.status, 0);
  t.match(help.stdout, /Usage: node gen\.mjs/);
  // It writes calls.csv by default: a mistyped option must stop it before it writes anything.
  const unknown = run(['node', 'bench/traffic-b/gen.mjs', '--sed', '3', '--out', '/dev/null']);
  t.equal(unknown.status, 2);
  t.match(unknown.stderr, /unknown option --sed/);
});
