import t, { type Test } from 'tap';
import { Command } from 'commander';
import { createServer } from 'node:http';
import { Engine } from '../../lib/engine/engine.js';
import { startAdmin } from '../../lib/ops/admin.js';
import { registerInspectCommand, runInspect, type Io } from '../../lib/ops/command.js';
import type { InspectReport } from '../../lib/ops/inspect.js';
import { createMetrics } from '../../lib/ops/metrics.js';
import { burst, rules, scope, sig } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const GB = '+447911123456';
const CN = '+8613800138000';

function io(): Io & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', out: (s: string) => void (o.stdout += s), err: (s: string) => void (o.stderr += s) };
  return o;
}

async function admin(t: Test): Promise<string> {
  const engine = new Engine(rules(scope([sig(burst, { max: 3, weight: 60 })])));
  for (let i = 0; i < 4; i++) engine.decide({ callId: `c${i}`, at: T0 + i * 1000, caller: GB, callee: CN });
  const a = await startAdmin({ host: '127.0.0.1', port: 0, engine: () => engine, metrics: createMetrics(() => engine, { processMetrics: false }), ready: () => true, now: () => T0 + 10_000 });
  t.teardown(() => a.close());
  return `127.0.0.1:${a.address.port}`;
}

/** A port nothing listens on: bind one, then close it. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

t.test('prints the text report from a live admin endpoint', async (t) => {
  const addr = await admin(t);
  const o = io();
  t.equal(await runInspect({ number: '00447911123456', callee: CN, admin: addr }, o), 0);
  t.equal(o.stderr, '');
  t.match(o.stdout, /^Number {3}\+447911123456/);
  t.match(o.stdout, /caller \+447911123456 {2}as caller, first seen 2026-11-01T12:00:00\.000Z/);
  t.match(o.stdout, /\n {2}1m +4 /);
  t.match(o.stdout, /A call now \+447911123456 -> \+8613800138000: TAG, score 40/);
  t.match(o.stdout, /burst +\+40 +4 attempts \(max 3\)/);
});

t.test('--json prints the report as JSON', async (t) => {
  const addr = await admin(t);
  const o = io();
  t.equal(await runInspect({ number: GB, admin: `http://${addr}`, json: true, at: String(T0 + 30 * 60_000) }, o), 0);
  const r = JSON.parse(o.stdout) as InspectReport;
  t.equal(r.info.e164, GB);
  t.equal(r.at, T0 + 30 * 60_000, '--at is passed on');
  t.equal(r.preview, null);
});

t.test('with --at, the text says when the call would be, not "now"', async (t) => {
  const addr = await admin(t);
  const o = io();
  t.equal(await runInspect({ number: GB, callee: CN, admin: addr, at: '2026-11-01T12:00:05Z' }, o), 0);
  t.match(o.stdout, /A call at 2026-11-01T12:00:05\.000Z \+447911123456 -> \+8613800138000: /);
  t.notMatch(o.stdout, /A call now/);
});

t.test('exit 1 with a clear message when the endpoint is unreachable or refuses', async (t) => {
  const port = await deadPort();
  const o = io();
  t.equal(await runInspect({ number: GB, admin: `127.0.0.1:${port}` }, o), 1);
  t.equal(o.stdout, '');
  t.match(o.stderr, new RegExp(`^ringfence inspect: cannot reach the admin endpoint at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  t.match(o.stderr, /serve --admin/);

  const sipPort = io();
  t.equal(await runInspect({ number: GB, admin: '127.0.0.1:5060' }, sipPort), 1);
  t.match(sipPort.stderr, /refuses that port as unsafe .*5060.*\nRun `serve --admin` on another port, such as the default 127\.0\.0\.1:9477/, 'fetch\'s bad ports are explained, not reported as "bad port"');

  const bad = io();
  t.equal(await runInspect({ number: GB, admin: 'nonsense' }, bad), 1);
  t.match(bad.stderr, /--admin: bad address 'nonsense'/);

  const addr = await admin(t);
  const empty = io();
  t.equal(await runInspect({ number: '   ', admin: addr }, empty), 1);
  t.match(empty.stderr, /answered 400: missing query parameter 'number'/);

  // Something that is not Ringfence on that port.
  const other = createServer((_q, s) => s.end('<html>hello</html>'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => other.close(() => r())));
  const html = io();
  t.equal(await runInspect({ number: GB, admin: `127.0.0.1:${(other.address() as { port: number }).port}` }, html), 1);
  t.match(html.stderr, /not an inspect report/);

  // An endpoint that never answers.
  const slow = createServer(() => {});
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => { slow.closeAllConnections(); slow.close(() => r()); }));
  const late = io();
  t.equal(await runInspect({ number: GB, admin: `127.0.0.1:${(slow.address() as { port: number }).port}`, timeout: 200 }, late), 1);
  t.match(late.stderr, /no answer within 200 ms/);
});

t.test('the commander command: help text and exit code', async (t) => {
  const program = new Command('ringfence').exitOverride();
  const cmd = registerInspectCommand(program);
  const help = cmd.helpInformation();
  t.match(help, /Usage: ringfence inspect \[options\] <number>/);
  for (const o of ['--callee <number>', '--admin <host:port>', '--at <time>', '--source <peer>', '--json', '--timeout <ms>']) t.match(help, o);
  t.match(help, /default: "127\.0\.0\.1:9477"/);
  t.match(help, /nothing is changed/i);

  const port = await deadPort();
  const errors: string[] = [];
  const exitCode = process.exitCode;
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => (errors.push(String(s)), true)) as typeof write;
  try {
    await program.parseAsync(['inspect', GB, '--admin', `127.0.0.1:${port}`], { from: 'user' });
  } finally {
    process.stderr.write = write;
  }
  const code = process.exitCode;
  // Put it back, or this test file itself would exit 1.
  process.exitCode = exitCode;
  t.equal(code, 1);
  t.match(errors.join(''), /cannot reach the admin endpoint/);
  t.throws(() => program.parse(['inspect', GB, '--timeout', 'soon'], { from: 'user' }), /expected a whole number/);
});
