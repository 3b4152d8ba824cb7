/**
 * `ringfence serve` as parsed from the command line: its help shows every
 * default an operator would otherwise have to find in the code, and its
 * options reach serve() as it expects them, without starting anything.
 */
import t from 'tap';
import { Command } from 'commander';
import { registerServeCommand } from '../../lib/serve-command.js';
import type { ServeOptions } from '../../lib/serve.js';

/** Parse a serve command line in-process; returns what serve() would get, or commander's error. */
async function parse(args: string[]): Promise<{ opts?: ServeOptions; err: string; code: number }> {
  let err = '';
  let got: ServeOptions | undefined;
  const program = new Command('ringfence').exitOverride();
  program.configureOutput({ writeOut: () => undefined, writeErr: (s) => void (err += s) });
  registerServeCommand(program, async (o) => void (got = o));
  try {
    await program.parseAsync(['node', 'ringfence', 'serve', ...args]);
    return { ...(got ? { opts: got } : {}), err, code: 0 };
  } catch (e) {
    return { err, code: (e as { exitCode?: number }).exitCode ?? 99 };
  }
}

t.test('help shows the defaults and examples', async (t) => {
  let out = '';
  const program = new Command('ringfence').exitOverride();
  program.configureOutput({ writeOut: (s) => void (out += s) });
  registerServeCommand(program);
  await program.parseAsync(['node', 'ringfence', 'serve', '--help']).catch(() => undefined);
  const help = out.replace(/\s+/g, ' ');
  t.match(help, /--snapshot-interval <duration> [^(]*\(default: 5m\)/, 'snapshot interval default');
  t.match(help, /--drain <duration>[^-]*?\(default: 2s\)/, 'drain default');
  t.match(help, /--listen <udp\|tcp:HOST:PORT> standalone listener, repeatable \(default: udp:127\.0\.0\.1:5060, none with --drachtio\)/);
  t.notMatch(help, /default: \[\]/, 'no empty-array default next to the real one');
  t.match(help, /--recv-buffer <bytes> [^(]*\(default: 4194304, 4 MiB/);
  t.match(help, /\$ ringfence serve -r rules\.yaml/, 'examples written like the other commands');
  t.match(help, /Exit status: 0/);
  t.match(help, /--admin <HOST:PORT> \/metrics, \/healthz, \/readyz, \/inspect and \/holds endpoint/, 'every admin route, /holds included');
  // Paragraphs are wrapped by commander, not broken by hand mid-sentence.
  t.notMatch(out, /between your edge and\nthe domestic/);
});

t.test('options reach serve() as it expects them', async (t) => {
  const r = await parse(['-r', 'rules.yaml', '-l', 'udp:127.0.0.1:15060', '-l', 'tcp:127.0.0.1:15060', '--snapshot-interval', '90s', '--drain', '0', '--tcp-message-timeout', '5', '--max-tombstones', '50000', '--route-key-file', '/etc/ringfence/route.key', '--accept-unsigned-routes', '4h']);
  t.equal(r.code, 0, r.err);
  t.equal(r.opts?.rules, 'rules.yaml');
  t.same(r.opts?.listen, ['udp:127.0.0.1:15060', 'tcp:127.0.0.1:15060']);
  t.equal(r.opts?.snapshotIntervalMs, 90_000);
  t.equal(r.opts?.drainMs, 0, '--drain 0 means no grace period');
  t.equal(r.opts?.limits?.tcpMessageMs, 5000, 'a bare number is seconds, as in rules files');
  t.equal(r.opts?.limits?.maxTombstones, 50_000);
  t.equal(r.opts?.routeKeyFile, '/etc/ringfence/route.key');
  t.equal(r.opts?.acceptUnsignedRoutesMs, 4 * 3600_000);
  t.equal(r.opts?.nextHop, undefined, 'no --next-hop: serve applies the demo default and warns');
  t.notOk(r.opts && 'sourceHeader' in r.opts, 'no source header unless asked for');
});

t.test('--advertise: an IPv4 address, passed to serve()', async (t) => {
  const r = await parse(['-l', 'udp:0.0.0.0:15060', '--advertise', '10.0.0.2']);
  t.equal(r.code, 0, r.err);
  t.equal(r.opts?.advertise, '10.0.0.2');
  for (const bad of ['::1', 'edge.example', '0.0.0.0']) {
    const b = await parse(['--advertise', bad]);
    t.not(b.code, 0, bad);
    t.match(b.err, /--advertise takes the IPv4 address peers reach this host at/);
  }
});

t.test('--source-header reaches serve() for drachtio mode', async (t) => {
  const r = await parse(['--drachtio', '127.0.0.1:9022', '--secret', 'cymru', '--source-header', 'X-Ringfence-Source']);
  t.equal(r.code, 0, r.err);
  t.equal(r.opts?.sourceHeader, 'X-Ringfence-Source');
});

t.test('bad values name the option and exit 1', async (t) => {
  for (const [args, msg] of [
    [['--snapshot-interval', '10min'], /--snapshot-interval: .*'10min'/],
    [['--snapshot-interval', '0'], /--snapshot-interval must be more than 0/],
    // A Node timer fires at once past 2^31 - 1 ms: 30d wrote snapshots back to back.
    [['--snapshot-interval', '30d'], /--snapshot-interval must be at most 24d \(a timer of this process\), got '30d'/],
    [['--tcp-message-timeout', '25d'], /--tcp-message-timeout must be at most 24d/],
    [['--mask-digits', 'x'], /--mask-digits takes a whole number >= 0, got 'x'/],
    [['--max-transactions', ''], /--max-transactions takes a whole number >= 1/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['--source-header', 'X Source'], /--source-header takes a header name of letters, digits, '-' and '_', got 'X Source'/],
    // Checked as parsed: a typo must not get as far as loading rules or binding the other listeners.
    [['--listen', 'foo'], /--listen.*'foo' is invalid\. --listen expects udp:HOST:PORT or tcp:HOST:PORT/],
    [['--listen', 'udp:127.0.0.1:5060', '--listen', 'udp:127.0.0.1:99999'], /port out of range in 'udp:127\.0\.0\.1:99999'/],
  ] as const) {
    const r = await parse([...args]);
    t.equal(r.code, 1, args.join(' '));
    t.match(r.err, msg);
    t.notOk(r.opts, 'serve() not called');
  }
});
