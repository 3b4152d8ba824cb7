/**
 * `serve` as an operator runs it, in-process: a rules file on disk, the
 * standalone proxy on UDP, the admin endpoint, a state file. What the issue
 * asks of the lifecycle: a live reject; a broken rules edit refused and
 * counted while the old rules keep working; a good edit picked up without a
 * restart; statistics written on close and read back on the next start; a
 * damaged snapshot met with a warning, never a crash; health and readiness.
 */
import t, { type Test } from 'tap';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pino, type Logger } from 'pino';
import { checkNextHop, readRouteKey, serve, type Server, type ServeOptions } from '../../lib/serve.js';
import { createServer } from 'node:net';
import dgram from 'node:dgram';
import type { InspectReport } from '../../lib/ops/inspect.js';
import type { SipMessage, SipRequest, SipResponse } from '../../lib/sip/sip-types.js';
import { ackNon2xx, inDialog, makeInvite, ringingCall, SDP, UdpPeer, until, type Received } from '../helpers/sip-peer.js';

const SPOOFED = '+861065529988'; // Beijing fixed line presented on international ingress
const CALLEE = '+8613800138000';

/** Home CN, home caller IDs rejected outright, and fan-out so the caller table keeps a window to snapshot. */
const rulesText = (domesticCli: string): string => `
version: 1
home_country: CN
reject: { code: 608, reason: 'SIP;cause=608;text="Home-country caller ID"' }
hold: { duration: 0 }
signals:
  domestic-cli: ${domesticCli}
  fan-out: { window: 10m, distinct: 5, weight: 30 }
`;
const RULES = rulesText('{ action: reject }');
/** An unclosed flow mapping: a YAML syntax error on line 7. */
const BROKEN = rulesText('{ action: reject');
const RELAXED = rulesText('{ action: reject, enabled: false }');

interface Log {
  logger: Logger;
  lines(): Array<{ level: number; msg: string; [k: string]: unknown }>;
}

/** A pino logger writing JSON lines into memory, so the test can read what an operator would. */
function captureLog(): Log {
  const out: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void out.push(s) });
  return { logger, lines: () => out.map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

/** Replace a file the way editors and ConfigMaps do: write a new file, rename it over the old one. */
async function replaceFile(file: string, text: string): Promise<void> {
  await writeFile(`${file}.new`, text);
  await rename(`${file}.new`, file);
}

interface Running {
  server: Server;
  log: Log;
  sipPort: number;
  admin: string;
}

/** A caller and a callee on 127.0.0.1, closed when the test ends. */
async function peers(t: Test): Promise<{ uac: UdpPeer; uas: UdpPeer }> {
  const uac = await UdpPeer.open('caller');
  const uas = await UdpPeer.open('callee');
  t.teardown(async () => {
    await uac.close();
    await uas.close();
  });
  return { uac, uas };
}

async function start(t: Test, dir: string, uas: UdpPeer, extra: Partial<ServeOptions> = {}): Promise<Running> {
  const log = captureLog();
  const server = await serve({
    rules: join(dir, 'rules.yaml'),
    listen: ['udp:127.0.0.1:0'],
    nextHop: `sip:127.0.0.1:${uas.port}`,
    admin: '127.0.0.1:0',
    state: join(dir, 'state.bin'),
    signals: false,
    logger: log.logger,
    drainMs: 100,
    ...extra,
  });
  let closed = false;
  t.teardown(async () => {
    if (!closed) await server.close();
  });
  const close = server.close.bind(server);
  server.close = async () => {
    closed = true;
    await close();
  };
  return { server, log, sipPort: server.standalone!.addresses()[0]!.port, admin: server.admin!.address.url };
}

/** One INVITE from `caller`; the final status the caller saw (a non-2xx is ACKed). A forwarded call is answered 486 by the callee. */
async function call(r: Running, uac: UdpPeer, uas: UdpPeer, caller: string): Promise<number> {
  const inv = makeInvite(uac, { proxyPort: r.sipPort, caller, callee: CALLEE });
  const cid = inv.headers['call-id']!;
  uac.send(inv, r.sipPort);
  // Polled rather than awaited on both sides, so the side that never hears of the call leaves no waiter behind.
  const ours = (m: SipMessage): boolean => m.headers['call-id'] === cid;
  const atCallee = (): Received | undefined => uas.queue.find((x) => x.msg.method === 'INVITE' && ours(x.msg));
  await until(() => atCallee() !== undefined || uac.queue.some((x) => ours(x.msg) && (x.msg.status ?? 0) >= 200), 5000);
  const got = atCallee();
  if (got) {
    uas.queue.splice(uas.queue.indexOf(got), 1);
    uas.reply(got, 486, 'Busy Here');
  }
  const rs = (await uac.response((s) => s >= 200, cid, 5000, 'INVITE')).msg as SipResponse;
  uac.send(ackNon2xx(inv, rs), r.sipPort);
  return rs.status;
}

async function metric(r: Running, re: RegExp): Promise<string | undefined> {
  const text = await (await fetch(`${r.admin}/metrics`)).text();
  return re.exec(text)?.[1];
}

async function inspect(r: Running, number: string, at: number): Promise<InspectReport> {
  const res = await fetch(`${r.admin}/inspect?number=${encodeURIComponent(number)}&at=${at}`);
  if (res.status !== 200) throw new Error(`/inspect answered ${res.status}`);
  return (await res.json()) as InspectReport;
}

const callerAttempts = (rep: InspectReport): number => rep.tables.find((x) => x.role === 'as caller')?.windows[0]?.counts.attempts ?? 0;

t.test('serve: live screening, hot reload, snapshot across a restart', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES });
  const rulesFile = join(dir, 'rules.yaml');
  const { uac, uas } = await peers(t);

  const r1 = await start(t, dir, uas);

  await t.test('(e) /healthz and /readyz answer 200 once started', async (t) => {
    const h = await fetch(`${r1.admin}/healthz`);
    t.equal(h.status, 200);
    t.equal(await h.text(), 'ok\n');
    const rd = await fetch(`${r1.admin}/readyz`);
    t.equal(rd.status, 200);
    t.equal(await rd.text(), 'ready\n');
    t.ok(r1.log.lines().some((l) => /no state snapshot yet/.test(l.msg)), 'first start: no snapshot yet, said so');
    t.ok(r1.log.lines().some((l) => l.msg === 'admin endpoint: /metrics /healthz /readyz /inspect /holds'), 'the start-up line names every admin route');
  });

  await t.test('(a) a spoofed +86 fixed-line caller gets 608 through the live service', async (t) => {
    t.equal(await call(r1, uac, uas, SPOOFED), 608);
    t.equal(await call(r1, uac, uas, '+442079461234'), 486, 'a foreign caller is forwarded (the callee was busy)');
    const d = r1.log.lines().filter((l) => l.msg === 'decision');
    t.match(d, [{ caller: SPOOFED, action: 'reject', code: 608 }, { caller: '+442079461234', action: 'forward' }], 'one log line per decision');
    // The proxy's own counters reach /metrics: what an operator graphs and alerts on.
    t.equal(await metric(r1, /ringfence_sip_invites_total (\d+)/), '2');
    t.equal(await metric(r1, /ringfence_sip_invites_rejected_total (\d+)/), '1');
    t.equal(await metric(r1, /ringfence_sip_invites_tagged_total (\d+)/), '0');
    t.equal(await metric(r1, /ringfence_sip_messages_total\{kind="request"\} (\d+)/), '4', 'INVITE and ACK of each call');
    t.equal(await metric(r1, /ringfence_sip_messages_total\{kind="response"\} (\d+)/), '1', "the callee's 486");
    t.equal(await metric(r1, /ringfence_sip_datagrams_total\{direction="in"\} (\d+)/), '5');
    t.equal(await metric(r1, /ringfence_sip_udp_receive_drops_total (\d+)/), '0');
    t.equal(await metric(r1, /ringfence_sip_transactions\{side="server"\} (\d+)/), '0', 'no live transaction once both calls are over');
    t.equal(await metric(r1, /ringfence_sip_tombstones (\d+)/), '2', 'the two INVITEs, kept to absorb retransmitted ACKs (each ACK belongs to its INVITE)');
    t.notOk(await metric(r1, /ringfence_drachtio_connected (\d+)/), 'no drachtio series without drachtio');
  });

  await t.test('(b) a broken rules edit is refused, the old rules stay; a good edit is picked up', async (t) => {
    t.equal(await metric(r1, /ringfence_rule_reloads_total\{result="failed"\} (\d+)/), '0');
    await replaceFile(rulesFile, BROKEN);
    t.ok(await untilAsync(async () => (await metric(r1, /ringfence_rule_reloads_total\{result="failed"\} (\d+)/)) === '1', 10_000), 'reload failure counted on /metrics');
    const refused = r1.log.lines().find((l) => /rules reload refused/.test(l.msg));
    t.ok(refused, 'refusal logged');
    t.equal(refused?.level, 50, 'at error level');
    t.match(refused, { issue_count: Number }, 'how many problems, as issue_count');
    t.match(refused?.msg, /rules\.yaml:\d+:\d+/, 'with file:line:col');
    const issues = (refused as { issues?: Array<{ file: string; line: number; path: string; code: string }> } | undefined)?.issues;
    t.ok(issues && issues.length > 0 && issues.every((i) => i.file.endsWith('rules.yaml') && i.line > 0 && typeof i.code === 'string'), 'and each problem as a field: file, line, path, code');
    t.equal(await call(r1, uac, uas, SPOOFED), 608, 'old rules in force: still rejected');
    t.equal(await metric(r1, /ringfence_rule_reloads_total\{result="ok"\} (\d+)/), '0', 'nothing was applied');

    await replaceFile(rulesFile, RELAXED);
    t.ok(await untilAsync(async () => (await metric(r1, /ringfence_rule_reloads_total\{result="ok"\} (\d+)/)) === '1', 10_000), 'good edit applied');
    t.equal(await call(r1, uac, uas, SPOOFED), 486, 'domestic-cli off: the +86 call is forwarded now');
    t.equal(await metric(r1, /ringfence_rule_reloads_total\{result="failed"\} (\d+)/), '1', 'failed count unchanged');
  });

  await t.test('(c) close() writes the snapshot; the next serve() restores the statistics', async (t) => {
    const at = Date.now();
    const before = await inspect(r1, SPOOFED, at);
    t.equal(callerAttempts(before), 3, 'three calls from the spoofed number before the restart');
    await r1.server.close();
    t.ok(existsSync(join(dir, 'state.bin')), 'snapshot file written');
    t.ok(r1.log.lines().some((l) => l.msg === 'state snapshot written' && l.why === 'shutdown'), 'logged, on shutdown');
    t.notOk(existsSync(join(dir, `state.bin.tmp-${process.pid}`)), 'no temporary file left');

    const r2 = await start(t, dir, uas);
    const restored = r2.log.lines().find((l) => l.msg === 'state restored');
    t.ok(restored, 'restore logged');
    t.match(restored, { entries: { caller: Number }, age_seconds: Number });
    const after = await inspect(r2, SPOOFED, at);
    t.same(after.tables.map((x) => [x.role, x.tracked, x.windows]), before.tables.map((x) => [x.role, x.tracked, x.windows]), 'same counters after the restart');
    t.equal(callerAttempts(after), 3);
    // The restored service keeps counting on top of what it remembered.
    t.equal(await call(r2, uac, uas, SPOOFED), 486, 'relaxed rules still in force after the restart');
    t.equal(callerAttempts(await inspect(r2, SPOOFED, Date.now())), 4);
    await r2.server.close();
  });
});

/** Poll an async condition (an HTTP scrape) until true or out of time. */
async function untilAsync(f: () => Promise<boolean>, timeoutMs: number, step = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await f()) return true;
    await new Promise((r) => setTimeout(r, step));
  }
  return f();
}

/** A serve that rejected one call and shut down, leaving its snapshot: the directory, the peers and the snapshot's bytes. */
async function snapshotOfOneReject(t: Test) {
  const dir = t.testdir({ 'rules.yaml': RULES });
  const { uac, uas } = await peers(t);
  const r0 = await start(t, dir, uas);
  t.equal(await call(r0, uac, uas, SPOOFED), 608);
  await r0.server.close();
  return { dir, uac, uas, good: await readFile(join(dir, 'state.bin')) };
}

t.test('(d) a damaged snapshot: serve starts empty with a warning, never throws', async (t) => {
  // A real snapshot to damage.
  const { dir, uac, uas, good } = await snapshotOfOneReject(t);
  const inner = gunzipSync(good);

  const damages: Array<[string, Buffer, RegExp]> = [
    ['file cut in half', good.subarray(0, Math.floor(good.length / 2)), /not a readable snapshot/],
    ['gzip intact, content cut short', gzipSync(inner.subarray(0, inner.length - 7)), /is damaged: snapshot is truncated/],
    ['empty file', Buffer.alloc(0), /not a readable snapshot|damaged/],
    ['not a snapshot at all', Buffer.from('{"hello": "world"}\n'), /not a readable snapshot/],
  ];
  for (const [what, bytes, reason] of damages) {
    await t.test(what, async (t) => {
      await writeFile(join(dir, 'state.bin'), bytes);
      const r = await start(t, dir, uas);
      const warn = r.log.lines().find((l) => l.msg === 'state snapshot not used: starting empty');
      t.ok(warn, 'warning logged');
      t.equal(warn?.level, 40, 'at warn level');
      t.match(String(warn?.reason), reason, `reason: ${String(warn?.reason)}`);
      t.equal(await metric(r, /ringfence_snapshots_total\{result="failed"\} (\d+)/), '1', 'the failed load shows on /metrics');
      const rep = await inspect(r, SPOOFED, Date.now());
      t.notOk(rep.tables.some((x) => x.tracked), 'started empty');
      t.equal((await fetch(`${r.admin}/readyz`)).status, 200, 'and ready');
      t.equal(await call(r, uac, uas, SPOOFED), 608, 'and screening');
      await r.server.close();
    });
  }
});

t.test('a snapshot refused for these rules is moved aside, not overwritten by the next one', async (t) => {
  // Started once by mistake with rules for another home country, serve refused the snapshot, started empty,
  // and wrote its empty state over the file at shutdown: every caller's history and hold was lost for good.
  const { dir, uac, uas, good } = await snapshotOfOneReject(t);

  await replaceFile(join(dir, 'rules.yaml'), RULES.replace('home_country: CN', 'home_country: GB'));
  const wrong = await start(t, dir, uas);
  const warn = wrong.log.lines().find((l) => l.msg === 'state snapshot not used: starting empty');
  t.match(String(warn?.reason), /written for home country CN, the rules say GB/);
  const aside = String(warn?.kept_as);
  t.match(aside, /state\.bin\.unused-\d{4}-\d\d-\d\dT/, `kept as ${aside}`);
  await wrong.server.close();
  t.same(await readFile(aside), good, 'the refused snapshot is intact after the mistaken run wrote its own');

  // Put right: the operator moves it back and the history is there.
  await replaceFile(join(dir, 'rules.yaml'), RULES);
  await rename(aside, join(dir, 'state.bin'));
  const r1 = await start(t, dir, uas);
  t.ok(r1.log.lines().some((l) => l.msg === 'state restored'), 'restored once moved back');
  t.ok(callerAttempts(await inspect(r1, SPOOFED, Date.now())) >= 1, "the caller's attempts are back");
});

t.test('serve passes the proxy limits through: past --max-transactions a new call gets 503', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES });
  const { uac, uas } = await peers(t);
  const r = await start(t, dir, uas, { drainMs: 0, limits: { maxTransactions: 2, tcpMessageMs: 1000 } });
  const port = r.sipPort;
  // The first call rings (the callee never answers): a server and a client transaction, the bound.
  const first = makeInvite(uac, { proxyPort: port, caller: '+442079461234', callee: CALLEE });
  uac.send(first, port);
  await uas.request('INVITE', 3000, first.headers['call-id']!);
  const second = makeInvite(uac, { proxyPort: port, caller: '+442079461235', callee: CALLEE });
  uac.send(second, port);
  const res = (await uac.response((s) => s >= 200, second.headers['call-id']!, 3000)).msg as SipResponse;
  t.equal(res.status, 503);
  t.equal(res.headers['retry-after'], '5');
  t.equal(r.server.standalone!.stats().overload, 1);
  t.equal(await metric(r, /ringfence_sip_proxy_events_total\{event="overload"\} (\d+)/), '1', 'and on /metrics');
});

t.test('shutdown: a call still ringing when the grace period ends is cancelled downstream and answered 503', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES });
  const { uac, uas } = await peers(t);
  const r = await start(t, dir, uas, { drainMs: 200 });
  const { cid } = await ringingCall(uac, uas, r.sipPort, { caller: '+442079461234', callee: CALLEE });
  await r.server.close();
  const res = (await uac.response((s) => s >= 200, cid, 3000, 'INVITE')).msg as SipResponse;
  t.equal(res.status, 503, 'the caller is not left ringing');
  t.equal(res.headers['retry-after'], '5', 'and may try another instance at once');
  const cancel = await uas.request('CANCEL', 3000, cid);
  t.equal(cancel.msg.headers['call-id'], cid, 'the callee stops ringing');
  const warn = r.log.lines().find((l) => l.msg.startsWith('grace period over'));
  t.equal(warn?.ended_ringing, 1, 'the log says how many calls were ended');
  t.equal(warn?.level, 40);
});

t.test('--route-key-file: calls set up before a restart can still be hung up; without it their BYE is refused', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'route.key': '  b7d41c0e9a3f5e2d8c6b4a1f0e9d8c7b\n', 'short.key': 'abc\n' });
  const { uac, uas } = await peers(t);
  const key = join(dir, 'route.key');
  /** An answered call from a foreign caller; what its caller needs to hang it up later. */
  const answered = async (r: Running): Promise<{ inv: SipRequest; ok: SipResponse }> => {
    const inv = makeInvite(uac, { proxyPort: r.sipPort, caller: '+442079461234', callee: CALLEE });
    uac.send(inv, r.sipPort);
    uas.reply(await uas.request('INVITE', 3000, inv.headers['call-id']!), 200, 'OK', {}, SDP);
    const ok = (await uac.response(200, inv.headers['call-id']!, 3000, 'INVITE')).msg as SipResponse;
    uac.send(inDialog(uac, 'ACK', inv, ok, 1), r.sipPort);
    await uas.request('ACK', 3000, inv.headers['call-id']!);
    return { inv, ok };
  };
  const bye = async (r: Running, c: { inv: SipRequest; ok: SipResponse }): Promise<number> => {
    const cid = c.inv.headers['call-id']!;
    uac.send(inDialog(uac, 'BYE', c.inv, c.ok, 2), r.sipPort);
    await until(() => uas.queue.some((x) => x.msg.method === 'BYE' && x.msg.headers['call-id'] === cid) || uac.queue.some((x) => x.msg.headers['call-id'] === cid && (x.msg.status ?? 0) >= 200), 3000);
    const got = uas.queue.find((x) => x.msg.method === 'BYE' && x.msg.headers['call-id'] === cid);
    if (got) uas.reply(got, 200, 'OK');
    return ((await uac.response((s) => s >= 200, cid, 3000, 'BYE')).msg as SipResponse).status;
  };

  await chmod(key, 0o640);
  const r1 = await start(t, dir, uas, { routeKeyFile: key, drainMs: 0 });
  t.notOk(r1.log.lines().some((l) => /can be read by any user/.test(l.msg)), 'no warning for a key others cannot read');
  const port = r1.sipPort;
  const first = await answered(r1);
  const second = await answered(r1);
  await r1.server.close();

  await chmod(key, 0o644);
  const r2 = await start(t, dir, uas, { routeKeyFile: key, drainMs: 0, listen: [`udp:127.0.0.1:${port}`] });
  t.equal(await bye(r2, first), 200, 'same key after the restart: the BYE reaches the callee');
  t.notOk(r2.log.lines().some((l) => /made for this process/.test(l.msg)), 'no per-process key');
  const readable = r2.log.lines().find((l) => l.level === 40 && /can be read by any user/.test(l.msg));
  t.ok(readable, 'a key any user can read is warned about');
  t.match(readable, { route_key_file: key }, 'naming the file as route_key_file');
  await r2.server.close();

  const r3 = await start(t, dir, uas, { drainMs: 0, listen: [`udp:127.0.0.1:${port}`] });
  t.ok(r3.log.lines().some((l) => /made for this process/.test(l.msg)), 'a per-process key is logged as such');
  t.equal(await bye(r3, second), 404, 'a new key: the old route set is refused as not ours');
  t.equal(r3.server.standalone!.stats().unsignedRoute, 1);
  await r3.server.close();

  await writeFile(join(dir, 'bare.key'), 'b7d41c0e9a3f5e2d8c6b4a1f0e9d8c7b');
  t.same(readRouteKey(key), readRouteKey(join(dir, 'bare.key')), 'blanks around the key (an editor\'s newline) are not part of it');
  await writeFile(join(dir, 'blank.key'), ' \n\t\n');
  t.throws(() => readRouteKey(join(dir, 'blank.key')), /blank\.key: 0 bytes, at least 32 needed/);
  await t.rejects(serve({ rules: join(dir, 'rules.yaml'), listen: ['udp:127.0.0.1:0'], admin: false, signals: false, routeKeyFile: join(dir, 'short.key') }), /--route-key-file .*short\.key: 3 bytes, at least 32 needed/);
  await t.rejects(serve({ rules: join(dir, 'rules.yaml'), listen: ['udp:127.0.0.1:0'], admin: false, signals: false, routeKeyFile: join(dir, 'none.key') }), /--route-key-file .*none\.key: cannot read it \(ENOENT\)/);
});

t.test('a bad --next-hop, --admin, --drachtio or --state stops the start before any SIP port is opened', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES });
  // A fixed free port: if serve opened it before failing, binding it here afterwards would fail.
  const port = await freeUdpPort();
  const log = captureLog();
  const base: ServeOptions = { rules: join(dir, 'rules.yaml'), listen: [`udp:127.0.0.1:${port}`], admin: false, signals: false, drainMs: 0, logger: log.logger };
  const cases: Array<[Partial<ServeOptions>, RegExp]> = [
    [{ nextHop: 'sip:127.0.0.1:99999' }, /^--next-hop: port out of range in 'sip:127\.0\.0\.1:99999' \(1-65535\)$/],
    [{ nextHop: 'sip:127.0.0.1:0' }, /--next-hop: port out of range/],
    [{ nextHop: '127.0.0.1:5070' }, /^--next-hop: expected sip:HOST:PORT, got '127\.0\.0\.1:5070'$/],
    [{ nextHop: 'sips:127.0.0.1:5071' }, /^--next-hop: the standalone proxy has no TLS transport, so 'sips:127\.0\.0\.1:5071' would be sent unencrypted/],
    [{ nextHop: 'sip:[::1]:5070' }, /^--next-hop: the standalone proxy is IPv4 only/],
    [{ nextHop: 'sip:127.0.0.1:5071;transport=TLS' }, /^--next-hop: the standalone proxy speaks UDP and TCP only, so ';transport=tls' .* cannot be honoured/],
    [{ listen: ['udp:[::1]:5060'] }, /^--listen: the standalone proxy is IPv4 only/],
    [{ listen: [`udp:0.0.0.0:${port}`] }, /listening on 0\.0\.0\.0 needs the address to put in Via and Record-Route: name it with --advertise/],
    [{ admin: '127.0.0.1:99999' }, /^--admin: bad port/],
    [{ drachtio: 'nohost' }, /^--drachtio: bad address 'nohost'/],
    [{ state: join(dir, 'no-such-dir', 'state.bin') }, /^--state .*state\.bin: its directory .*no-such-dir does not exist/],
    [{ state: join(dir, 'rules.yaml', 'state.bin') }, /its directory .*rules\.yaml is not a directory/],
    [{ state: dir }, /^--state .*: exists and is not a regular file \(name a file, e\.g\. .*state\.bin\)$/],
  ];
  for (const [o, re] of cases) {
    await t.rejects(serve({ ...base, ...o }), re, JSON.stringify(o));
    await bindAndRelease(port);
  }
  // Closing on failure frees the port too: the log says whether the proxy ever listened.
  t.notOk(log.lines().some((l) => /SIP proxy listening/.test(l.msg)), 'the proxy never listened');
  t.doesNotThrow(() => checkNextHop('sip:[2001:db8::1]:5060;transport=tcp', false), 'IPv6 with parameters (drachtio-server)');
  t.doesNotThrow(() => checkNextHop('sips:core.example', false), 'sips: for drachtio-server, which speaks TLS; no port: the default');
  t.doesNotThrow(() => checkNextHop('sip:core.example;transport=tcp', true), 'standalone: a name, no port');
  t.doesNotThrow(() => checkNextHop('10.0.0.20:5060', false), 'drachtio-server takes a bare HOST:PORT');
});

t.test('--admin on a port in use fails the start before the SIP proxy takes a call', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES });
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  t.teardown(() => busy.close());
  const adminPort = (busy.address() as { port: number }).port;
  const port = await freeUdpPort();
  const log = captureLog();
  await t.rejects(serve({ rules: join(dir, 'rules.yaml'), listen: [`udp:127.0.0.1:${port}`], admin: `127.0.0.1:${adminPort}`, signals: false, drainMs: 0, logger: log.logger }), /EADDRINUSE/);
  await bindAndRelease(port);
  t.notOk(log.lines().some((l) => /SIP proxy listening/.test(l.msg)), 'the proxy never listened');
});

t.test('a second instance on a SIP port in use: the error names --listen, and the running one\'s state file is left alone', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES });
  // A real snapshot, as the running instance would have written it.
  const first = await serve({ rules: join(dir, 'rules.yaml'), listen: ['udp:127.0.0.1:0'], state: join(dir, 'state.bin'), admin: false, signals: false, drainMs: 0, logger: captureLog().logger });
  await first.close();
  const before = await readFile(join(dir, 'state.bin'));
  const busy = dgram.createSocket('udp4');
  await new Promise<void>((r) => busy.bind(0, '127.0.0.1', r));
  t.teardown(() => busy.close());
  const port = busy.address().port;
  const log = captureLog();
  await t.rejects(
    serve({ rules: join(dir, 'rules.yaml'), listen: [`udp:127.0.0.1:${port}`], state: join(dir, 'state.bin'), admin: false, signals: false, drainMs: 0, logger: log.logger }),
    new RegExp(`^--listen udp:127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*another Ringfence, has that port`),
  );
  t.ok(before.equals(await readFile(join(dir, 'state.bin'))), 'no snapshot written over it');
  t.notOk(log.lines().some((l) => /shutting down|snapshot written/.test(l.msg)), 'no shutdown of a service that never started');
});

/** A UDP port free a moment ago. */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Binds the port and lets it go; rejects (EADDRINUSE) if something still holds it. */
async function bindAndRelease(port: number): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((r) => s.close(() => r()));
}
