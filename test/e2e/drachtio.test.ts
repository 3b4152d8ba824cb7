/**
 * End to end against a real drachtio-server: Ringfence in application mode
 * (startDrachtioApp), a SIP caller and callee (the `sip` package) on
 * 127.0.0.1, calls placed through drachtio-server's SIP contact.
 *
 * Needs DRACHTIO_HOST, DRACHTIO_PORT, DRACHTIO_SECRET (the <admin> element)
 * and a server on the same host (it proxies to the callee on 127.0.0.1) with
 * <cdrs>true</cdrs>, e.g. examples/deploy/drachtio-local.conf.xml:
 *
 *   drachtio -f examples/deploy/drachtio-local.conf.xml
 *   DRACHTIO_HOST=127.0.0.1 DRACHTIO_PORT=9022 DRACHTIO_SECRET=change-me npx tap test/e2e/drachtio.test.ts
 *
 * DRACHTIO_SIP=host:port overrides the SIP address taken from the server's
 * connect reply. drachtio-server is not installable from npm or Debian, so
 * without these variables the test is reported as skipped, with this reason.
 */
import t from 'tap';
import { startDrachtioApp, type DrachtioApp } from '../../lib/sip/drachtio-app.js';
import { CALLERS, testScreener, type ScreenerProbe } from '../helpers/drachtio-rules.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { Callee, Caller, calledUser } from '../helpers/drachtio-sip-peer.js';

const need = ['DRACHTIO_HOST', 'DRACHTIO_PORT', 'DRACHTIO_SECRET'] as const;
const missing = need.filter((k) => !process.env[k]);
const skip = missing.length > 0
  ? `needs a running drachtio-server: set ${missing.join(', ')} (not installable from npm/Debian; see docs/deploy-drachtio.md)`
  : false;

/** SIP address of drachtio-server: DRACHTIO_SIP, else the first udp contact it reported on connect. */
function sipTarget(app: DrachtioApp): string {
  if (process.env.DRACHTIO_SIP) return process.env.DRACHTIO_SIP;
  for (const hp of (app.hostport ?? '').split(',')) {
    const m = /^udp\/(.+):(\d+)$/.exec(hp.trim());
    if (m) return `${m[1] === '0.0.0.0' || m[1] === '*' ? '127.0.0.1' : m[1]}:${m[2]}`;
  }
  return `${process.env.DRACHTIO_HOST}:5060`;
}

async function until<T>(what: string, f: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test('drachtio-server end to end', { skip }, async (t) => {
  const callee = await Callee.start();
  const caller = await Caller.start();
  const log = captureLog('info');
  const probe: ScreenerProbe = await testScreener();
  const app = await startDrachtioApp({
    host: process.env.DRACHTIO_HOST as string,
    port: Number(process.env.DRACHTIO_PORT),
    secret: process.env.DRACHTIO_SECRET as string,
    nextHop: `sip:127.0.0.1:${callee.port}`,
    screener: probe.screener,
    logger: log.logger,
    connectTimeoutMs: 10_000,
  });
  t.teardown(async () => {
    await app.close();
    caller.stop();
    callee.stop();
  });
  const target = sipTarget(app);
  const outcome = (pred: (o: ScreenerProbe['outcomes'][number]['o']) => boolean) => probe.outcomes.find((x) => pred(x.o));

  await t.test('reject: 608 to the caller, the callee never rings', async (t) => {
    const before = callee.invites.length;
    const r = await caller.call({ target, callee: '+442079460001', caller: CALLERS.reject608 });
    t.equal(r.final, 608);
    t.equal(callee.invites.length, before);
  });

  await t.test('reject with 603 and a Reason header', async (t) => {
    const r = await caller.call({ target, callee: '+442079460001', caller: CALLERS.reject603 });
    t.equal(r.final, 603);
  });

  await t.test('tag: the callee gets the tag headers and the prefixed display name; CDRs give the duration', async (t) => {
    const r = await caller.call({ target, callee: '+442079460001', caller: CALLERS.tag, display: 'Bob', hangUpAfterMs: 1200 });
    t.equal(r.final, 200);
    t.equal(r.bye, 200, 'BYE routed through drachtio-server (Record-Route) and answered');
    const inv = callee.invites.at(-1);
    t.equal(inv?.headers['x-ringfence-score'], '50');
    t.equal(inv?.headers['x-ringfence-reasons'], 'list:suspect=+50');
    t.match(String(inv?.headers.from.name), /\[SPAM\?\] Bob/);
    const callId = inv?.headers['call-id'];
    await until('answer outcome', () => outcome((o) => o.callId === callId && o.status === 200));
    const ended = await until('hang-up outcome from cdr:stop (is <cdrs>true</cdrs> set?)', () => outcome((o) => o.callId === callId && o.endedAt !== undefined));
    const answered = outcome((o) => o.callId === callId && o.status === 200);
    const talk = (ended.o.endedAt ?? 0) - (answered?.o.at ?? 0);
    t.ok(talk >= 800 && talk < 5000, `talk time ${talk} ms measured from CDR receipt`);
  });

  await t.test('forward: busy callee gives a 486 outcome', async (t) => {
    const r = await caller.call({ target, callee: '+442079460486', caller: CALLERS.forward });
    t.equal(r.final, 486);
    const inv = callee.invites.at(-1);
    t.equal(inv && calledUser(inv), '+442079460486', 'the called number reaches the callee in the Request-URI');
    t.notOk(inv?.headers['x-ringfence-score'], 'forwarded unchanged');
    await until('486 outcome', () => outcome((o) => o.callId === inv?.headers['call-id'] && o.status === 486));
  });

  await t.test('caller gives up: 487 outcome', async (t) => {
    const r = await caller.call({ target, callee: '+442079460487', caller: CALLERS.forward, cancelOnRinging: true });
    t.equal(r.final, 487);
    const inv = callee.invites.at(-1);
    await until('487 outcome', () => outcome((o) => o.callId === inv?.headers['call-id'] && o.status === 487));
  });

  t.equal(probe.engineErrors, 0);
  t.equal(app.middleware.pendingCount(), 0, 'nothing left waiting');
});
