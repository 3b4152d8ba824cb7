import t, { type Test } from 'tap';
import { connect } from 'node:net';
import { request } from 'node:http';
import { Engine } from '../../lib/engine/engine.js';
import type { CallAttempt } from '../../lib/engine/types.js';
import { DEFAULT_ADMIN, isLoopback, MAX_ADMIN_CONNECTIONS, parseHostPort, startAdmin, type AdminServer } from '../../lib/ops/admin.js';
import type { InspectReport } from '../../lib/ops/inspect.js';
import { createMetrics } from '../../lib/ops/metrics.js';
import { Screener } from '../../lib/ops/screener.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { burst, rules, scope, sig } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const GB = '+447911123456';
const CN = '+8613800138000';
let seq = 0;
const call = (at: number, caller = GB, callee = CN): CallAttempt => ({ callId: `a${++seq}`, at, caller, callee, source: '192.0.2.1' });

async function setup(t: Test, extra: { engine?: () => Engine; idleMs?: number } = {}): Promise<{ admin: AdminServer; engine: Engine; setReady(v: boolean): void }> {
  const engine = new Engine(rules(scope([sig(burst, { max: 3, weight: 60 })])));
  const metrics = createMetrics(() => engine, { processMetrics: false });
  const s = new Screener(engine, { events: metrics.events });
  for (let i = 0; i < 4; i++) s.decide(call(T0 + i * 1000));
  let ready = false;
  const admin = await startAdmin({ host: '127.0.0.1', port: 0, engine: extra.engine ?? (() => engine), metrics, ready: () => ready, now: () => T0 + 10_000, ...(extra.idleMs ? { idleMs: extra.idleMs } : {}) });
  t.teardown(() => admin.close());
  return { admin, engine, setReady: (v) => (ready = v) };
}

/** Raw HTTP, so odd request lines reach the server as sent. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.end(text));
    let out = '';
    sock.on('data', (d) => (out += d.toString('latin1')));
    sock.on('end', () => resolve(out));
    sock.on('error', reject);
  });
}

t.test('/metrics, /healthz and /readyz', async (t) => {
  const { admin, setReady } = await setup(t);
  t.match(admin.address, { host: '127.0.0.1', url: `http://127.0.0.1:${admin.address.port}` });
  t.ok(admin.address.port > 0, 'port 0 picks a free one');
  const base = admin.address.url;
  const m = await fetch(`${base}/metrics`);
  t.equal(m.status, 200);
  t.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = await m.text();
  t.match(text, /ringfence_decisions_total\{action="forward"\} 3\n/);
  t.match(text, /ringfence_decisions_total\{action="tag"\} 1\n/);
  t.match(text, /ringfence_tracked_keys\{table="caller"\} 1\n/);
  t.match(text, /ringfence_decision_seconds_count 4\n/);

  const h = await fetch(`${base}/healthz`);
  t.equal(h.status, 200);
  t.equal(await h.text(), 'ok\n');
  const r1 = await fetch(`${base}/readyz`);
  t.equal(r1.status, 503, 'not ready yet');
  t.equal(await r1.text(), 'not ready\n');
  setReady(true);
  const r2 = await fetch(`${base}/readyz`);
  t.equal(r2.status, 200);
  t.equal(await r2.text(), 'ready\n');
  const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
  t.equal(head.status, 200);
  t.equal(await head.text(), '', 'HEAD has no body');
});

t.test('/inspect: the report as JSON, 400 for a missing number', async (t) => {
  const { admin, engine } = await setup(t);
  const base = admin.address.url;
  const before = engine.sizes();
  const res = await fetch(`${base}/inspect?number=${encodeURIComponent(GB)}&callee=${encodeURIComponent(CN)}`);
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^application\/json/);
  const r = (await res.json()) as InspectReport;
  t.equal(r.info.e164, GB);
  t.equal(r.at, T0 + 10_000, 'read at the server clock');
  t.equal(r.tables[0]!.table, 'caller');
  t.equal(r.tables[0]!.windows[0]!.counts.attempts, 4);
  t.equal(r.preview?.action, 'tag');
  t.equal(r.preview?.reasons[0]!.signal, 'burst');
  t.same(engine.sizes(), before, 'inspecting changed nothing');

  const plus = (await (await fetch(`${base}/inspect?number=+447911123456`)).json()) as InspectReport;
  t.equal(plus.info.e164, GB, "an unencoded '+' (read as a space) still means '+'");
  const at = (await (await fetch(`${base}/inspect?number=${encodeURIComponent(GB)}&at=${T0 + 30 * 60_000}`)).json()) as InspectReport;
  t.equal(at.tables[0]!.windows[0]!.counts.attempts, 0, 'at= reads another time');
  const iso = (await (await fetch(`${base}/inspect?number=${encodeURIComponent(GB)}&at=2026-11-01T12:00:05Z`)).json()) as InspectReport;
  t.equal(iso.at, T0 + 5000);

  for (const q of ['', '?', '?number=', '?number=%20%20', '?callee=%2B8613800138000']) {
    const bad = await fetch(`${base}/inspect${q}`);
    t.equal(bad.status, 400, `missing number: '${q}'`);
    t.match(((await bad.json()) as { error: string }).error, /missing query parameter 'number'/);
  }
  // Date.parse reads '-1' and '12' as dates in 2001: neither is epoch milliseconds or ISO 8601.
  for (const at of ['yesterday-ish', '-1', '12x', 'Dec 1']) {
    const badAt = await fetch(`${base}/inspect?number=1&at=${encodeURIComponent(at)}`);
    t.equal(badAt.status, 400, `at=${at}`);
    t.match(((await badAt.json()) as { error: string }).error, /bad 'at'/);
  }
  const isoAt = await fetch(`${base}/inspect?number=1&at=2026-11-30T12:00:00Z`);
  t.equal(isoAt.status, 200, 'ISO 8601 is read');
});

t.test('garbage never breaks the endpoint', async (t) => {
  const { admin } = await setup(t);
  const base = admin.address.url;
  for (const p of ['/', '/nope', '/metrics/extra', '/METRICS', '/%ff%fe', '/..%2f..%2fetc%2fpasswd', '/__proto__', '/constructor', '/inspect/']) {
    const res = await fetch(`${base}${p}`);
    t.equal(res.status, 404, p);
    await res.text();
  }
  for (const q of ['number=%E0%A4%A', 'number=%00%01&callee=%ff', `number=${'9'.repeat(5000)}&callee=${'x'.repeat(5000)}`, 'number=1&number=2&callee=', 'number[]=1&number=%2B%2B%2B', 'number=anonymous&callee=anonymous&source=%00']) {
    const res = await fetch(`${base}/inspect?${q}`);
    t.ok(res.status === 200 || res.status === 400, `inspect?${q.slice(0, 30)} → ${res.status}`);
    await res.text();
  }
  const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
  t.equal(post.status, 405);
  t.equal(post.headers.get('allow'), 'GET, HEAD');
  await post.text();
  const odd = await raw(admin.address.port, 'GET http://[bad HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  t.match(odd, /^HTTP\/1\.1 (400|404)/, 'an unparseable request target');
  const junk = await raw(admin.address.port, '\u0000\u00ff\r\n\r\n');
  t.match(junk, /^HTTP\/1\.1 400/, 'binary junk gets a 400 from node:http');
  t.equal((await fetch(`${base}/healthz`)).status, 200, 'still serving');
});

t.test('no engine yet: /inspect answers 503, /metrics still works', async (t) => {
  const { admin } = await setup(t, { engine: () => undefined as never });
  const res = await fetch(`${admin.address.url}/inspect?number=1`);
  t.equal(res.status, 503);
  await res.text();
  const throwing = await setup(t, { engine: () => { throw new Error('not yet'); } });
  t.equal((await fetch(`${throwing.admin.address.url}/inspect?number=1`)).status, 503);
  t.equal((await fetch(`${throwing.admin.address.url}/metrics`)).status, 200);
});

t.test('with maskDigits, a failed request logs its URL with the numbers in it masked', async (t) => {
  const engine = new Engine(rules(scope([sig(burst, { max: 3, weight: 60 })])));
  const metrics = createMetrics(() => engine, { processMetrics: false });
  const log = captureLog();
  // An engine that is not one makes the inspection throw, after the URL was read.
  const broken = { tables: null } as unknown as Engine;
  for (const maskDigits of [4, 0]) {
    const admin = await startAdmin({ host: '127.0.0.1', port: 0, engine: () => broken, metrics, ready: () => true, now: () => T0, logger: log.logger, maskDigits });
    t.teardown(() => admin.close());
    const res = await fetch(`${admin.address.url}/inspect?number=%2B447911123456&callee=020%207946%200123`);
    t.equal(res.status, 500);
    await res.text();
  }
  const [masked, plain] = log.find(/^admin request failed$/);
  t.equal(masked?.url, '/inspect?number=+44791112xxxx&callee=020 7946 xxxx', 'decoded, both numbers masked');
  t.equal(plain?.url, '/inspect?number=%2B447911123456&callee=020%207946%200123', 'without masking the URL as it came');
});

t.test('loopback only unless allowRemote', async (t) => {
  const engine = new Engine(rules(scope([])));
  const metrics = createMetrics(() => engine, { processMetrics: false });
  const base = { port: 0, engine: () => engine, metrics, ready: () => true };
  await t.rejects(startAdmin({ ...base, host: '0.0.0.0' }), /refusing to serve the admin endpoint on non-loopback address 0\.0\.0\.0: .*serve --allow-remote-admin/);
  await t.rejects(startAdmin({ ...base, host: '192.0.2.10' }), /non-loopback/);
  const open = await startAdmin({ ...base, host: '0.0.0.0', allowRemote: true });
  t.equal((await fetch(`http://127.0.0.1:${open.address.port}/healthz`)).status, 200);
  await open.close();
  const v6 = await startAdmin({ ...base, host: '::1' }).catch(() => null);
  if (v6) {
    t.equal(v6.address.url, `http://[::1]:${v6.address.port}`);
    await v6.close();
  }
  t.ok(isLoopback('127.0.0.1') && isLoopback('127.1.2.3') && isLoopback('::1') && isLoopback('[::1]') && isLoopback('localhost') && isLoopback('::ffff:127.0.0.1'));
  t.notOk(isLoopback('0.0.0.0') || isLoopback('::') || isLoopback('10.0.0.1') || isLoopback('example.com') || isLoopback('127.example.com'));
});

t.test('close() returns although a client keeps its connection open', async (t) => {
  const { admin } = await setup(t);
  await new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port: admin.address.port, path: '/healthz', agent: false, headers: { connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.end();
  });
  await admin.close();
  t.pass('closed');
});

/** Open n connections to the admin port that never send a byte (destroyed when the test ends); returns how many the server has closed so far. */
async function openIdle(t: Test, port: number, n: number): Promise<() => number> {
  let closed = 0;
  const socks = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof connect>>((resolve) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', () => undefined);
    s.on('close', () => closed++);
  })));
  t.teardown(() => socks.forEach((s) => s.destroy()));
  return () => closed;
}

t.test('idle connections cannot take every file descriptor of the process', async (t) => {
  // Connections that never send a byte were kept until the server's 30-second connection check, uncapped:
  // opened faster than that, they used up the descriptors, and SIP over TCP, dials and snapshots failed with EMFILE.
  const { admin } = await setup(t, { idleMs: 500 });
  const N = MAX_ADMIN_CONNECTIONS + 100;
  const closed = await openIdle(t, admin.address.port, N);
  const until = async (f: () => boolean, ms: number): Promise<boolean> => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (f()) return true;
    return f();
  };
  t.ok(await until(() => closed() >= N - MAX_ADMIN_CONNECTIONS, 2000), `beyond ${MAX_ADMIN_CONNECTIONS}, closed as accepted (${closed()} of ${N})`);
  t.ok(await until(() => closed() === N, 3000), `the rest closed once idle (${closed()} of ${N})`);
  const h = await fetch(`${admin.address.url}/healthz`);
  t.equal(h.status, 200, 'and the endpoint answers again');
});

t.test('at the cap of silent connections /healthz and /metrics still answer: the oldest silent one makes way', async (t) => {
  // A plain refusal at the cap locked a liveness probe out for as long as the silent connections lasted.
  const { admin } = await setup(t, { idleMs: 60_000 });
  const closed = await openIdle(t, admin.address.port, MAX_ADMIN_CONNECTIONS);
  await new Promise((r) => setTimeout(r, 100));
  t.equal(closed(), 0, 'the cap reached, every silent connection still open');
  for (let i = 0; i < 5; i++) {
    const h = await fetch(`${admin.address.url}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5000) });
    t.equal(h.status, 200, `probe ${i + 1} answered`);
  }
  const m = await fetch(`${admin.address.url}/metrics`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5000) });
  t.equal(m.status, 200, 'a scrape too');
  t.ok(closed() >= 1 && closed() <= 6, `a silent connection closed for each (${closed()})`);
});

t.test('beyond the cap a connection is closed as it is accepted, not when it has been idle', async (t) => {
  // The test above passes without the cap too: its 500 ms idle timeout closes every connection within its wait.
  // Here no connection may be closed for being idle, so only the cap can close the ones beyond it.
  const { admin } = await setup(t, { idleMs: 60_000 });
  const N = MAX_ADMIN_CONNECTIONS + 40;
  const closed = await openIdle(t, admin.address.port, N);
  for (const end = Date.now() + 3000; Date.now() < end && closed() < N - MAX_ADMIN_CONNECTIONS; ) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  t.equal(closed(), N - MAX_ADMIN_CONNECTIONS, `${MAX_ADMIN_CONNECTIONS} kept open, the rest closed (the oldest silent ones made way)`);
});

t.test('HOST:PORT parsing', async (t) => {
  t.same(parseHostPort('127.0.0.1:9477'), { host: '127.0.0.1', port: 9477 });
  t.same(parseHostPort('[::1]:9000'), { host: '::1', port: 9000 });
  t.same(parseHostPort(':9000'), { host: '127.0.0.1', port: 9000 });
  t.same(parseHostPort('9000'), { host: '127.0.0.1', port: 9000 });
  t.same(parseHostPort('http://localhost:80/metrics'), { host: 'localhost', port: 80 });
  t.same(parseHostPort(DEFAULT_ADMIN), { host: '127.0.0.1', port: 9477 });
  t.throws(() => parseHostPort('localhost'), /expected HOST:PORT/);
  t.throws(() => parseHostPort('::1:9000'), /expected HOST:PORT/);
  t.throws(() => parseHostPort('host:99999'), /bad port/);
  t.throws(() => parseHostPort('host:port'), /bad port/);
});
