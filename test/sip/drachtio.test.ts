/**
 * The drachtio-srf middleware against drachtio-srf's real classes: requests
 * are Srf.SipRequest / Srf.SipResponse built from raw SIP text, and what
 * res.send and srf.proxyRequest write is read back from a real
 * DrachtioAgent whose only stand-in is the socket layer (helpers/drachtio-wire).
 */
import t from 'tap';
import type BundledSrf from 'drachtio-srf';
import { decisionOf, forwardHeaders, ringfence, type RingfenceOptions } from '../../lib/sip/drachtio.js';
import { PendingCalls } from '../../lib/sip/drachtio-outcomes.js';
import { sendableStatus } from '../../lib/sip/drachtio-types.js';
import type { CallOutcome } from '../../lib/engine/types.js';
import { Screener } from '../../lib/ops/screener.js';
import { Engine } from '../../lib/engine/engine.js';
import { CALLERS, HOUR, REASON_603, callerCount, testRules, testScreener, type ScreenerProbe } from '../helpers/drachtio-rules.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { compileRulesText } from '../../lib/rules/load.js';
import { builtinPlugins } from '../../plugins/index.js';
import { Srf, Wire, byeText, cancelText, inviteText, proxyFinal, responseText, settle, sipFromServer } from '../helpers/drachtio-wire.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const NEXT_HOP = 'sip:127.0.0.1:5090';
/** NEXT_HOP carrying the called number of inviteText()'s default Request-URI (see proxyDestination). */
const TO_CALLEE = 'sip:+442079460123@127.0.0.1:5090';

const capture = captureLog;

interface Setup {
  wire: Wire;
  probe: ScreenerProbe;
  mw: ReturnType<typeof ringfence>;
  clock: { now: number };
  lines: Record<string, unknown>[];
}

async function setup(o: Partial<RingfenceOptions> & { probe?: ScreenerProbe } = {}): Promise<Setup> {
  const wire = new Wire();
  const probe = o.probe ?? (await testScreener());
  const clock = { now: T0 };
  const { logger, lines } = capture();
  const mw = ringfence({ screener: probe.screener, srf: wire.srf, nextHop: NEXT_HOP, logger, now: () => clock.now, ...o });
  return { wire, probe, mw, clock, lines };
}

const from = (number: string, display = 'Caller'): string => `"${display}" <sip:${number}@carrier.example>;tag=f1`;

/** Run one INVITE through the middleware; returns what next() saw. */
function call(s: Setup, raw: string): { req: ReturnType<Wire['request']>['req']; nexts: number } {
  const { req, res } = s.wire.request(raw);
  let nexts = 0;
  s.mw(req, res, () => nexts++);
  return { req, nexts };
}

t.test('reject 608: the response drachtio-srf writes carries the rule code and phrase', async (t) => {
  const s = await setup();
  const { req, nexts } = call(s, inviteText({ callId: 'r608', from: from(CALLERS.reject608) }));
  t.equal(nexts, 0, 'not handed on');
  const [r, ...more] = s.wire.responses();
  t.equal(more.length, 0, 'one response');
  t.equal(r?.msg.status, 608);
  t.equal(r?.msg.reason, 'Rejected');
  t.equal(r?.txnId, 'txn-1', 'on the INVITE server transaction');
  t.equal(r?.msg.get('call-id'), 'r608');
  t.equal(s.wire.proxies().length, 0, 'not proxied');
  t.equal(decisionOf(req)?.action, 'reject');
  t.same(s.probe.responses, [608], 'responseSent hook');
  t.equal(s.mw.pendingCount(), 0, 'rejected calls wait for no outcome');
  t.notOk(s.wire.server.pendingNetworkInvites.has('r608'), 'agent cleared its pending INVITE (final sent)');
  t.ok(sendableStatus(607) && sendableStatus(608), 'sip-status 0.1 lacks 607/608; the adapter adds them so Response#send accepts them');
});

t.test('reject 603 with a Reason header', async (t) => {
  const s = await setup();
  call(s, inviteText({ callId: 'r603', from: from(CALLERS.reject603) }));
  const r = s.wire.responses()[0];
  t.equal(r?.msg.status, 603);
  t.equal(r?.msg.reason, 'Decline');
  t.equal(r?.msg.get('reason'), REASON_603);
});

t.test('a reason phrase with line breaks still gives one status line on the wire', async (t) => {
  // The rules loader refuses such a phrase (a YAML folded scalar ends it with a newline), but rules may be
  // compiled by hand (lib/engine/config.ts), and Response#send writes the phrase into the status line as is
  // ('SIP/2.0 <code> <phrase>\r\n'): the adapter makes it one line whatever it is given.
  const phrased = async (phrase: string): Promise<ScreenerProbe> => {
    const r = await compileRulesText(
      `version: 1\nhome_country: GB\nreject:\n  code: 608\nlists:\n  deny: { action: reject, numbers: ['+232*'] }\n`,
      { file: 'phrase.yaml', plugins: [...builtinPlugins] },
    );
    r.base.reject = { ...r.base.reject, phrase };
    for (const l of r.lists) if (l.reject) l.reject = { ...l.reject, phrase };
    return testScreener(r);
  };
  const statusLine = (s: Setup): string | undefined => {
    const sent = s.wire.wp.sent.find((m) => m.text.startsWith('sip|'))?.text;
    return sent?.slice(sent.indexOf('\r\n') + 2).split('\r\n')[0];
  };

  const folded = await setup({ probe: await phrased('Rejected as spam\n') });
  t.equal(folded.probe.screener.engine.rules.base.reject.phrase, 'Rejected as spam\n', 'what the adapter is handed');
  call(folded, inviteText({ callId: 'ph1', from: from(CALLERS.reject608) }));
  t.equal(statusLine(folded), 'SIP/2.0 608 Rejected as spam', 'no line break inside the status line');
  t.equal(folded.wire.responses()[0]?.msg.status, 608);

  const injected = await setup({ probe: await phrased('Spam\r\nX-Injected: 1') });
  call(injected, inviteText({ callId: 'ph2', from: from(CALLERS.reject608) }));
  t.equal(statusLine(injected), 'SIP/2.0 608 Spam X-Injected: 1');
  t.notOk(injected.wire.responses()[0]?.msg.has('X-Injected'), 'no header line made from the phrase');
});

t.test('tag: proxied to the next hop with the tag headers and the display-name prefix', async (t) => {
  const s = await setup();
  const { nexts } = call(s, inviteText({ callId: 'tag1', from: from(CALLERS.tag, 'Bob') }));
  t.equal(nexts, 0);
  t.equal(s.wire.responses().length, 0, 'no response of our own');
  const [p] = s.wire.proxies();
  t.ok(p, 'proxied');
  t.same(p?.destinations, [TO_CALLEE]);
  t.ok(p?.remainInDialog, 'remainInDialog, so the BYE passes drachtio-server and yields cdr:stop');
  t.ok(p?.fullResponse, 'drachtio-srf asks for the final responses');
  t.equal(p?.txnId, 'txn-1');
  t.equal(p?.msg.get('X-Ringfence-Score'), '50');
  t.equal(p?.msg.get('X-Ringfence-Reasons'), 'list:suspect=+50');
  t.equal(p?.msg.get('from'), `"[SPAM?] Bob" <sip:${CALLERS.tag}@carrier.example>;tag=f1`, 'tag parameter kept');
  t.equal(s.mw.pendingCount(), 1);
});

t.test('forward: proxied unchanged', async (t) => {
  const s = await setup();
  call(s, inviteText({ callId: 'fwd1', from: from(CALLERS.forward) }));
  const p = s.wire.proxies()[0];
  t.ok(p);
  t.same(p?.destinations, [TO_CALLEE]);
  t.notOk(p?.msg.has('X-Ringfence-Score'));
  t.notOk(p?.msg.has('from'), 'From not touched');
  t.ok(p?.remainInDialog);
});

t.test('the called number survives drachtio-server rewriting a Request-URI that names itself', async (t) => {
  // sip-proxy-controller.cpp forwardRequest replaces a local sip: Request-URI with the destination.
  const hops = ['sip:10.0.0.20:5060;transport=tcp', '10.0.0.21:5060', 'SIP:10.0.0.22', 'sip:core@10.0.0.23'];
  const s = await setup({ nextHop: hops });
  call(s, inviteText({ callId: 'ruri1', ruri: 'sip:+442079460123;npdi@127.0.0.1:5070;user=phone', from: from(CALLERS.forward) }));
  t.same(s.wire.proxies()[0]?.destinations, [
    'sip:+442079460123;npdi@10.0.0.20:5060;transport=tcp',
    'sip:+442079460123;npdi@10.0.0.21:5060',
    'sip:+442079460123;npdi@10.0.0.22',
    'sip:core@10.0.0.23',
  ], 'user part carried; a next hop with its own user kept as configured');
  t.match(s.wire.proxies()[0]?.msg.toString(), /^INVITE sip:\+442079460123;npdi@10\.0\.0\.20:5060;transport=tcp SIP\/2\.0\r\n/);
  t.same(hops, ['sip:10.0.0.20:5060;transport=tcp', '10.0.0.21:5060', 'SIP:10.0.0.22', 'sip:core@10.0.0.23'], 'the configured list is not rewritten by Request#proxy');

  call(s, inviteText({ callId: 'ruri2', ruri: 'tel:+442079460123', from: from(CALLERS.forward) }));
  call(s, inviteText({ callId: 'ruri3', ruri: 'sip:ringfence.example', to: '<sip:+442079460777@ringfence.example>', from: from(CALLERS.forward) }));
  t.same(s.wire.proxies()[1]?.destinations[0], 'sip:10.0.0.20:5060;transport=tcp', 'tel: is never rewritten by drachtio-server: next hop as given');
  t.same(s.wire.proxies()[2]?.destinations[0], 'sip:10.0.0.20:5060;transport=tcp', 'no user part to carry');
});

t.test('a user part with characters a URI must escape is carried escaped, not dropped', async (t) => {
  // A raw '#' (a DTMF suffix some gateways append) used to drop the whole user part: the next hop got
  // `INVITE sip:10.0.0.20:5060` with no called number. RFC 3261 19.1.4: the escaped form is the same URI.
  const s = await setup({ nextHop: 'sip:10.0.0.20:5060' });
  call(s, inviteText({ callId: 'esc1', ruri: 'sip:+442079460123#77@127.0.0.1:5070', from: from(CALLERS.forward) }));
  call(s, inviteText({ callId: 'esc2', ruri: 'sip:+44%2020794601%zz23@127.0.0.1:5070', from: from(CALLERS.forward) }));
  call(s, inviteText({ callId: 'esc3', ruri: 'sip:+442079460123;rn=+4420794@127.0.0.1:5070', from: from(CALLERS.forward) }));
  // Headers in a Request-URI (not allowed there) with an '@' in them: no user part, not a made-up one.
  call(s, inviteText({ callId: 'esc4', ruri: 'sip:127.0.0.1:5070;maddr=x?To=a@b', from: from(CALLERS.forward) }));
  const d = s.wire.proxies().map((p) => p.destinations[0]);
  t.same(d, [
    'sip:+442079460123%2377@10.0.0.20:5060',
    'sip:+44%2020794601%25zz23@10.0.0.20:5060',
    'sip:+442079460123;rn=+4420794@10.0.0.20:5060',
    'sip:10.0.0.20:5060',
  ], "'#' and a stray '%' escaped, an escape kept, a plain number untouched, URI headers not read as a user");
});

t.test('a sips: next hop reaches drachtio-server as a TLS destination, not as sip:sips:...', async (t) => {
  // Request#proxy prefixes 'sip:' to every destination not starting with 'sip:' or 'tel:' (request.js).
  const s = await setup({ nextHop: ['sips:core.example:5061', 'sips:10.0.0.21;transport=tcp', 'SIPS:10.0.0.22:5061;lr'] });
  call(s, inviteText({ callId: 'tls1', from: from(CALLERS.forward) }));
  t.same(s.wire.proxies()[0]?.destinations, [
    'sip:+442079460123@core.example:5061;transport=tls',
    'sip:+442079460123@10.0.0.21;transport=tls',
    'sip:+442079460123@10.0.0.22:5061;lr;transport=tls',
  ], 'TLS to the next hop, called number carried as for sip:');
  for (const d of s.wire.proxies()[0]?.destinations ?? []) t.notMatch(d, /sips?:sips?:/i, `${d}: one scheme`);
});

t.test('without nextHop: next() routes, the decision is on req.locals.ringfence', async (t) => {
  const s = await setup({ nextHop: undefined });
  const { req, nexts } = call(s, inviteText({ callId: 'app1', from: from(CALLERS.tag, 'Bob') }));
  t.equal(nexts, 1);
  t.equal(s.wire.proxies().length + s.wire.responses().length, 0, 'nothing on the wire');
  const d = decisionOf(req);
  t.equal(d?.action, 'tag');
  t.equal(req.locals?.ringfence, d);
  t.same(forwardHeaders(req), {
    'X-Ringfence-Score': '50',
    'X-Ringfence-Reasons': 'list:suspect=+50',
    From: `"[SPAM?] Bob" <sip:${CALLERS.tag}@carrier.example>;tag=f1`,
  }, 'what the app should pass to proxyRequest / createB2BUA');

  const rejected = call(s, inviteText({ callId: 'app2', from: from(CALLERS.reject608) }));
  t.equal(rejected.nexts, 0, 'rejects are answered, not handed on');
  t.equal(s.wire.responses()[0]?.msg.status, 608);
});

t.test('tel: URIs in From, P-Asserted-Identity and the Request-URI', async (t) => {
  const s = await setup();
  const { req } = call(s, inviteText({ callId: 'tel1', ruri: 'tel:+442079460123', from: `<tel:${CALLERS.reject608}>;tag=x`, pai: `<tel:${CALLERS.reject608}>` }));
  t.equal(req.callingNumber, '', "drachtio-srf's callingNumber is blind to tel:");
  const d = decisionOf(req);
  t.equal(d?.caller, CALLERS.reject608);
  t.equal(d?.callee, '+442079460123');
  t.equal(s.wire.responses()[0]?.msg.status, 608);
});

t.test('P-Asserted-Identity wins; without it the caller comes from From', async (t) => {
  const s = await setup();
  const a = call(s, inviteText({ callId: 'pai1', from: from(CALLERS.forward), pai: `<sip:${CALLERS.reject608}@carrier.example>` }));
  t.equal(decisionOf(a.req)?.action, 'reject', 'PAI identity screened');
  const b = call(s, inviteText({ callId: 'pai2', from: from(CALLERS.reject608) }));
  t.equal(decisionOf(b.req)?.caller, CALLERS.reject608, 'From used when there is no PAI');
  t.same(s.probe.decisions.map((d) => d.action), ['reject', 'reject']);
});

t.test('a malformed From neither throws nor blocks the call', async (t) => {
  const s = await setup();
  const { req } = call(s, inviteText({ callId: 'bad1', from: '"Broken <sip:+23276123456@x' }));
  const d = decisionOf(req);
  t.equal(d?.action, 'forward', 'no identity, no points');
  t.equal(d?.caller, '');
  t.equal(s.wire.proxies().length, 1);
  t.equal(s.probe.engineErrors, 0);
});

t.test('an INVITE with no caller at all is still decided and answered', async (t) => {
  // No From, no P-Asserted-Identity: drachtio-srf's own req.callingNumber would throw here
  // (message.js calls .match on the missing header); the middleware never uses it.
  const s = await setup();
  const { req } = call(s, inviteText({ callId: 'nofrom', from: null }));
  t.throws(() => (req as unknown as { callingNumber: string }).callingNumber, 'drachtio-srf\'s getter throws');
  t.equal(decisionOf(req)?.caller, '');
  t.equal(s.wire.proxies().length, 1, 'forwarded');
  t.equal(s.probe.engineErrors, 0);
  t.notOk(s.lines.some((l) => l.level === 50), 'no error logged');
});

t.test('re-INVITEs and other requests pass through unscreened', async (t) => {
  const s = await setup();
  const { req, nexts } = call(s, inviteText({ callId: 'reinv', to: '<sip:+442079460123@ringfence.example>;tag=t9', from: from(CALLERS.reject608) }));
  t.equal(nexts, 1);
  t.equal(decisionOf(req), undefined);
  t.equal(s.probe.decisions.length, 0);
  t.equal(s.wire.responses().length, 0);
});

t.test('monitor mode decides but forwards unchanged', async (t) => {
  const s = await setup({ probe: await testScreener(testRules({ monitor: true })) });
  const { req } = call(s, inviteText({ callId: 'mon1', from: from(CALLERS.reject608) }));
  const d = decisionOf(req);
  t.equal(d?.action, 'forward');
  t.equal(d?.wouldBe, 'reject');
  t.equal(s.wire.responses().length, 0);
  t.notOk(s.wire.proxies()[0]?.msg.has('X-Ringfence-Score'));
});

t.test('the proxy result feeds outcomes: 200 answered, 486 failed, 487 caller gave up', async (t) => {
  const s = await setup();
  const caller = CALLERS.forward;
  const run = async (callId: string, status: number | null, after: number): Promise<void> => {
    s.clock.now = T0;
    call(s, inviteText({ callId, from: from(caller) }));
    const p = s.wire.proxies().at(-1);
    if (!p) throw new Error('not proxied');
    s.clock.now = T0 + after;
    s.wire.finishProxy(p, status === null ? null : responseText(status, status === 200 ? 'OK' : status === 486 ? 'Busy Here' : 'Request Terminated', callId));
    await settle();
  };
  await run('o200', 200, 4000);
  await run('o486', 486, 2000);
  await run('o487', 487, 1500);
  await run('o408', null, 32_000);
  const got = s.probe.outcomes.map(({ o, matched }) => ({ ...o, matched }));
  t.same(got, [
    { callId: 'o200', at: T0 + 4000, status: 200, matched: true },
    { callId: 'o486', at: T0 + 2000, status: 486, matched: true },
    { callId: 'o487', at: T0 + 1500, status: 487, matched: true },
    { callId: 'o408', at: T0 + 32_000, status: 408, matched: true },
  ], 'answer time is when the 200 came; no final from the target means drachtio-server answered 408');
  const t1 = T0 + 40_000;
  t.equal(callerCount(s.probe.screener, caller, 'answered', t1), 1);
  t.equal(callerCount(s.probe.screener, caller, 'failed', t1), 3);
  t.equal(callerCount(s.probe.screener, caller, 'cancelled', t1), 1);
  t.equal(s.mw.pendingCount(), 1, 'the answered call waits for its hang-up');
});

t.test('CDR events feed call durations, matched by Call-ID, first report wins', async (t) => {
  const s = await setup();
  const caller = CALLERS.forward;
  call(s, inviteText({ callId: 'dur1', from: from(caller) }));
  t.same(s.wire.routes().filter((r) => r.startsWith('cdr:')).sort().at(-1), 'cdr:stop', 'CDR routes registered with drachtio-server');

  // drachtio-server posts a cdr:start per proxy leg (sip-proxy-controller.cpp writeCdr).
  s.clock.now = T0 + 3000;
  s.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', 'dur1'));
  s.clock.now = T0 + 3005;
  s.wire.cdr('start', 'application', 'proxy-uas', responseText(200, 'OK', 'dur1'));
  s.clock.now = T0 + 3010;
  s.wire.finishProxy(s.wire.proxies()[0]!, responseText(200, 'OK', 'dur1'));
  await settle();
  t.same(s.probe.outcomes.map(({ o }) => o), [{ callId: 'dur1', at: T0 + 3000, status: 200 }], 'answered once, at the first report');

  s.clock.now = T0 + 11_000;
  s.wire.cdr('stop', 'network', 'normal-release', byeText('dur1'));
  s.wire.cdr('stop', 'network', 'normal-release', byeText('other-call'));
  t.same(s.probe.outcomes.map(({ o }) => o)[1], { callId: 'dur1', at: T0 + 11_000, endedAt: T0 + 11_000 });
  t.equal(s.probe.outcomes.length, 2, 'unknown Call-IDs ignored');
  t.equal(callerCount(s.probe.screener, caller, 'short', T0 + 12_000), 1, '8 s of talk is a short call');
  t.equal(callerCount(s.probe.screener, caller, 'talk', T0 + 12_000), 8);
  t.equal(s.mw.pendingCount(), 0);
});

t.test('serial failover: one target failing is not the call\'s outcome', async (t) => {
  // What drachtio-server writes when the first of two targets fails and the second answers
  // (sip-proxy-controller.cpp): ClientTransaction::writeCdr posts a cdr:stop from 'network' for
  // the failed target's response, sends it as a '|||continue' final, and starts the next target;
  // the caller only ever gets the response ServerTransaction forwards ('application').
  const s = await setup({ nextHop: ['sip:127.0.0.1:5090', 'sip:127.0.0.1:5091'] });
  const caller = CALLERS.forward;
  call(s, inviteText({ callId: 'fo1', from: from(caller) }));
  const p = s.wire.proxies()[0]!;
  s.clock.now = T0 + 1000;
  s.wire.cdr('stop', 'network', 'call-rejected', responseText(503, 'Service Unavailable', 'fo1'));
  s.wire.deliver(proxyFinal(p.msgId, responseText(503, 'Service Unavailable', 'fo1')));
  s.clock.now = T0 + 4000;
  s.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', 'fo1'));
  s.wire.finishProxy(p, responseText(200, 'OK', 'fo1'));
  s.wire.cdr('start', 'application', 'proxy-uas', responseText(200, 'OK', 'fo1'));
  await settle();
  s.clock.now = T0 + 9000;
  s.wire.cdr('stop', 'network', 'normal-release', byeText('fo1'));
  s.wire.cdr('stop', 'application', 'normal-release', byeText('fo1'));
  t.same(s.probe.outcomes.map(({ o }) => o), [
    { callId: 'fo1', at: T0 + 4000, status: 200 },
    { callId: 'fo1', at: T0 + 9000, endedAt: T0 + 9000 },
  ], 'answered by the second target, then hung up');
  t.equal(callerCount(s.probe.screener, caller, 'failed', T0 + 10_000), 0, 'the first target\'s 503 is not a failed call');
  t.equal(callerCount(s.probe.screener, caller, 'talk', T0 + 10_000), 5);

  // Both targets fail: the caller gets the best response (486, RFC 3261 16.7.6), reported from 'application'.
  call(s, inviteText({ callId: 'fo2', from: from(caller) }));
  const p2 = s.wire.proxies()[1]!;
  s.clock.now = T0 + 11_000;
  s.wire.cdr('stop', 'network', 'call-rejected', responseText(486, 'Busy Here', 'fo2'));
  s.wire.deliver(proxyFinal(p2.msgId, responseText(486, 'Busy Here', 'fo2')));
  s.wire.cdr('stop', 'network', 'call-rejected', responseText(503, 'Service Unavailable', 'fo2'));
  s.wire.deliver(proxyFinal(p2.msgId, responseText(503, 'Service Unavailable', 'fo2')));
  s.wire.cdr('stop', 'application', 'call-rejected', responseText(486, 'Busy Here', 'fo2'));
  s.wire.finishProxy(p2, null);
  await settle();
  t.same(s.probe.outcomes.at(-1)?.o, { callId: 'fo2', at: T0 + 11_000, status: 486 }, 'what the caller got');
  t.equal(s.mw.pendingCount(), 0);
});

t.test('provisionalTimeout: an early \'done\' on a failure does not hide a later target\'s answer', async (t) => {
  // sip-proxy-controller.cpp: timerProvisional marks the whole proxy cancelled and starts the next
  // target; when that one fails, ClientTransaction::processResponse sends 'done' (cancelled, and no
  // target calling or proceeding) before ProxyCore::processResponse starts the third. drachtio-srf
  // settles the proxy on that 'done' and drops the rest; the third target's 200 reaches the caller
  // (ServerTransaction::writeCdr posts a cdr:start from 'application').
  const hops = ['sip:127.0.0.1:5090', 'sip:127.0.0.1:5091', 'sip:127.0.0.1:5092'];
  const s = await setup({ nextHop: hops, proxy: { provisionalTimeout: '2s' } });
  const caller = CALLERS.forward;
  call(s, inviteText({ callId: 'pt1', from: from(caller) }));
  const p = s.wire.proxies()[0]!;
  t.equal(p.destinations.length, 3);
  // The first target stays silent for 2 s; the second answers 486.
  s.clock.now = T0 + 2500;
  s.wire.cdr('stop', 'network', 'call-rejected', responseText(486, 'Busy Here', 'pt1'));
  s.wire.finishProxy(p, responseText(486, 'Busy Here', 'pt1'));
  await settle();
  t.same(s.probe.outcomes, [], 'the early done is not taken as the call\'s end');
  // The third target answers; the caller gets its 200, then hangs up.
  s.clock.now = T0 + 6000;
  s.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', 'pt1'));
  s.wire.cdr('start', 'application', 'proxy-uas', responseText(200, 'OK', 'pt1'));
  s.clock.now = T0 + 66_000;
  s.wire.cdr('stop', 'application', 'normal-release', byeText('pt1'));
  t.same(s.probe.outcomes.map(({ o }) => o), [
    { callId: 'pt1', at: T0 + 6000, status: 200 },
    { callId: 'pt1', at: T0 + 66_000, endedAt: T0 + 66_000 },
  ], 'answered by the third target, 60 s of talk');
  t.equal(callerCount(s.probe.screener, caller, 'failed', T0 + 70_000), 0);
  t.equal(callerCount(s.probe.screener, caller, 'talk', T0 + 70_000), 60);

  // All three fail: the caller gets the best final, reported from 'application'.
  call(s, inviteText({ callId: 'pt2', from: from(caller) }));
  const p2 = s.wire.proxies()[1]!;
  s.clock.now = T0 + 72_000;
  s.wire.cdr('stop', 'network', 'call-rejected', responseText(486, 'Busy Here', 'pt2'));
  s.wire.finishProxy(p2, responseText(486, 'Busy Here', 'pt2'));
  await settle();
  s.clock.now = T0 + 73_000;
  s.wire.cdr('stop', 'network', 'call-rejected', responseText(503, 'Service Unavailable', 'pt2'));
  s.wire.cdr('stop', 'application', 'call-rejected', responseText(486, 'Busy Here', 'pt2'));
  t.same(s.probe.outcomes.at(-1)?.o, { callId: 'pt2', at: T0 + 73_000, status: 486 });
  t.equal(s.mw.pendingCount(), 0);

  // Without CDRs the proxy result is all there is: it still counts.
  const n = await setup({ cdrs: false, nextHop: hops, proxy: { provisionalTimeout: '2s' } });
  call(n, inviteText({ callId: 'pt3', from: from(caller) }));
  n.clock.now = T0 + 2500;
  n.wire.finishProxy(n.wire.proxies()[0]!, responseText(486, 'Busy Here', 'pt3'));
  await settle();
  t.same(n.probe.outcomes.map(({ o }) => o), [{ callId: 'pt3', at: T0 + 2500, status: 486 }]);
  n.mw.close();
});

t.test('several targets fail: the proxy result gives what the caller got, not the last target\'s final', async (t) => {
  // drachtio-srf's Request#proxy overwrites finalStatus with every target's final ('|||continue'),
  // while drachtio-server answers the caller with the best of them (ProxyCore::forwardBestResponse,
  // RFC 3261 16.7.6). Without CDRs the proxy result alone decides the outcome.
  const s = await setup({ cdrs: false, nextHop: ['sip:127.0.0.1:5090', 'sip:127.0.0.1:5091', 'sip:127.0.0.1:5092'] });
  const fail = async (callId: string, finals: [number, string][]): Promise<void> => {
    call(s, inviteText({ callId, from: from(CALLERS.forward) }));
    const p = s.wire.proxies().at(-1)!;
    t.same(p.destinations.length, 3, 'all targets in the proxy command');
    for (const [i, [status, reason]] of finals.entries()) s.wire.deliver(proxyFinal(p.msgId, responseText(status, reason, callId), { port: String(5090 + i) }));
    s.wire.finishProxy(p, null);
    await settle();
  };
  await fail('best1', [[486, 'Busy Here'], [503, 'Service Unavailable']]);
  await fail('best2', [[503, 'Service Unavailable'], [404, 'Not Found'], [302, 'Moved Temporarily']]);
  await fail('best3', [[480, 'Temporarily Unavailable'], [603, 'Decline']]);
  await fail('best4', [[486, 'Busy Here'], [487, 'Request Terminated']]);
  await fail('best5', [[503, 'Service Unavailable'], [502, 'Bad Gateway']]);
  t.same(s.probe.outcomes.map(({ o }) => [o.callId, o.status]), [
    ['best1', 486],
    ['best2', 404],
    ['best3', 603],
    ['best4', 487],
    ['best5', 503],
  ], '4xx over 5xx over 3xx, 6xx over all; a closing 487 is the caller\'s CANCEL');
  t.equal(callerCount(s.probe.screener, CALLERS.forward, 'cancelled', T0 + 1000), 1, 'only the cancelled call counts as the caller giving up');
  t.equal(s.mw.pendingCount(), 0);
  s.mw.close();
});

t.test('caller cancels a proxied call before the target rang: the 487 drachtio-server sent counts', async (t) => {
  // processRequestWithoutRouteHeader: 200 to the CANCEL, generateResponse(487) with a cdr:stop from
  // 'application'; the target, still in CALLING, gets no CANCEL, so no '|||continue' and no 'done'.
  const s = await setup();
  call(s, inviteText({ callId: 'qc1', from: from(CALLERS.forward) }));
  s.clock.now = T0 + 800;
  s.wire.cdr('stop', 'application', 'call-rejected', responseText(487, 'Request Terminated', 'qc1'));
  await settle();
  t.same(s.probe.outcomes.map(({ o }) => o), [{ callId: 'qc1', at: T0 + 800, status: 487 }]);
  t.equal(callerCount(s.probe.screener, CALLERS.forward, 'cancelled', T0 + 1000), 1);
  t.equal(s.mw.pendingCount(), 0);
});

t.test('short calls seen through CDRs make the real short-calls signal tag the caller', async (t) => {
  const s = await setup();
  const caller = CALLERS.forward;
  for (const [i, id] of ['sc1', 'sc2'].entries()) {
    const t0 = T0 + i * 60_000;
    s.clock.now = t0;
    call(s, inviteText({ callId: id, from: from(caller) }));
    s.clock.now = t0 + 2000;
    s.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', id));
    s.clock.now = t0 + 7000;
    s.wire.cdr('stop', 'network', 'normal-release', byeText(id));
  }
  s.clock.now = T0 + 180_000;
  const { req } = call(s, inviteText({ callId: 'sc3', from: from(caller) }));
  const d = decisionOf(req);
  t.equal(d?.action, 'tag');
  t.match(d?.reasons.find((r) => r.signal === 'short-calls')?.detail, /2 of 2 answered calls \(100%\) shorter than 1m/);
  t.match(s.wire.proxies().at(-1)?.msg.get('X-Ringfence-Reasons'), /short-calls=\+60/);
});

t.test('CDRs alone give outcomes when the app routes the call itself', async (t) => {
  const s = await setup({ nextHop: undefined });
  call(s, inviteText({ callId: 'c-rej', from: from(CALLERS.forward) }));
  call(s, inviteText({ callId: 'c-can', from: from(CALLERS.forward) }));
  s.clock.now = T0 + 2000;
  s.wire.cdr('stop', 'application', 'call-rejected', responseText(486, 'Busy Here', 'c-rej'));
  s.wire.cdr('stop', 'application', 'call-canceled', responseText(487, 'Request Terminated', 'c-can'));
  t.same(s.probe.outcomes.map(({ o }) => o.status), [486, 487]);
  t.equal(s.mw.pendingCount(), 0);
});

t.test('when the app routes the call: its own final answer and the caller\'s CANCEL are outcomes, without CDRs', async (t) => {
  const s = await setup({ nextHop: undefined, cdrs: false });
  const caller = CALLERS.forward;
  const answered = s.wire.request(inviteText({ callId: 'own-200', from: from(caller) }));
  const busy = s.wire.request(inviteText({ callId: 'own-486', from: from(caller) }));
  const cancelled = s.wire.request(inviteText({ callId: 'own-cancel', from: from(caller) }));
  for (const c of [answered, busy, cancelled]) s.mw(c.req, c.res, () => undefined);

  // What the next middleware does (srf.createUAS / createB2BUA answer through res.send).
  s.clock.now = T0 + 2500;
  answered.res.send(200, 'OK', {});
  s.clock.now = T0 + 3000;
  busy.res.send(486, 'Busy Here', {});
  // The caller gives up: drachtio-server passes the CANCEL on, DrachtioAgent#_onMsg emits 'cancel' on the INVITE.
  s.clock.now = T0 + 3500;
  s.wire.deliver(sipFromServer(cancelText('own-cancel'), { transactionId: 'txn-cancel' }));
  t.same(s.probe.outcomes.map(({ o }) => o), [
    { callId: 'own-200', at: T0 + 2500, status: 200 },
    { callId: 'own-486', at: T0 + 3000, status: 486 },
    { callId: 'own-cancel', at: T0 + 3500, status: 487 },
  ]);
  t.equal(callerCount(s.probe.screener, caller, 'cancelled', T0 + 4000), 1);
  t.equal(s.mw.pendingCount(), 1, 'the answered call waits for its hang-up');
});

t.test('an app that already listens for CDRs: no duplicate route, both listeners get them', async (t) => {
  const wire = new Wire();
  const theirs: string[] = [];
  wire.srf.on('cdr:stop', (...args: unknown[]) => void theirs.push(String(args[2])));
  const probe = await testScreener();
  t.throws(() => wire.srf.on('cdr:stop', () => undefined), /duplicate route request/, 'a second srf.on for a CDR event throws in DrachtioAgent#route');
  let mw: ReturnType<typeof ringfence> | undefined;
  t.doesNotThrow(() => {
    mw = ringfence({ screener: probe.screener, srf: wire.srf, nextHop: NEXT_HOP, logger: capture().logger, now: () => T0 });
  }, 'the middleware listens on srf.app instead');
  if (!mw) return;
  const { req, res } = wire.request(inviteText({ callId: 'both', from: from(CALLERS.forward) }));
  mw(req, res, () => undefined);
  wire.cdr('stop', 'application', 'call-rejected', responseText(480, 'Temporarily Unavailable', 'both'));
  t.same(theirs, ['call-rejected']);
  t.same(probe.outcomes.map(({ o }) => o.status), [480]);
  mw.close();
  wire.cdr('stop', 'application', 'call-rejected', responseText(480, 'Temporarily Unavailable', 'both'));
  t.same(theirs, ['call-rejected', 'call-rejected'], 'close() removes only our listener');
});

t.test('an app that subscribes to CDRs itself right after installing the middleware', async (t) => {
  // DrachtioAgent#route throws 'duplicate route request' for a second subscription to a CDR event,
  // and connect.js replays subscriptions made before connecting inside srf.connect: whichever
  // comes second through srf.on fails. The usual start-up order installs the middleware first.
  for (const connectedFirst of [true, false]) {
    const wire = new Wire(connectedFirst);
    const probe = await testScreener();
    const mw = ringfence({ screener: probe.screener, srf: wire.srf, nextHop: NEXT_HOP, logger: capture().logger, now: () => T0 });
    const theirs: string[] = [];
    t.doesNotThrow(() => wire.srf.on('cdr:stop', (...args: unknown[]) => void theirs.push(String(args[2]))), `their srf.on (${connectedFirst ? 'connected' : 'before connect'})`);
    if (!connectedFirst) t.doesNotThrow(() => wire.connect(), 'srf.connect');
    await settle();
    const { req, res } = wire.request(inviteText({ callId: `own-cdr-${connectedFirst}`, from: from(CALLERS.forward) }));
    mw(req, res, () => undefined);
    wire.cdr('stop', 'application', 'call-rejected', responseText(480, 'Temporarily Unavailable', `own-cdr-${connectedFirst}`));
    t.same(theirs, ['call-rejected'], 'their listener gets the CDR');
    t.same(probe.outcomes.map(({ o }) => o.status), [480], 'so does the middleware');
    mw.close();
  }
});

t.test('pending calls are bounded and expire', async (t) => {
  const s = await setup({ pendingMax: 2, pendingTtlMs: 10_000 });
  for (const id of ['p1', 'p2', 'p3']) call(s, inviteText({ callId: id, from: from(CALLERS.forward) }));
  t.equal(s.mw.pendingCount(), 2, 'capped');
  s.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', 'p1'));
  t.equal(s.probe.outcomes.length, 0, 'the evicted (oldest) call is forgotten');
  s.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', 'p3'));
  t.equal(s.probe.outcomes.length, 1);

  s.clock.now = T0 + 10_001;
  s.wire.cdr('stop', 'network', 'normal-release', byeText('p3'));
  t.equal(s.probe.outcomes.length, 1, 'an outcome after the TTL is ignored');
  call(s, inviteText({ callId: 'p4', from: from(CALLERS.forward) }));
  t.equal(s.mw.pendingCount(), 1, 'expired entries swept on the next call');
  t.match(s.lines.filter((l) => l.msg === 'pending call dropped without outcome').map((l) => l.why), ['evicted', 'expired', 'expired']);
});

t.test('PendingCalls: first final wins, 1xx ignored, ended needs an answer', async (t) => {
  const out: CallOutcome[] = [];
  const drops: string[] = [];
  const p = new PendingCalls({ max: 3, ttlMs: 1000, onOutcome: (o) => out.push(o), onDrop: (id, why, answered) => drops.push(`${id}:${why}${answered ? ':answered' : ''}`) });
  p.add('a', 0);
  p.add('a', 5);
  t.equal(p.size, 1, 'a repeated Call-ID keeps its first entry');
  t.notOk(p.final('a', 180, 10), 'provisional ignored');
  t.ok(p.final('a', 200, 20));
  t.notOk(p.final('a', 200, 21), 'second report ignored');
  t.notOk(p.final('a', 487, 22), 'late failure after an answer ignored');
  t.ok(p.ended('a', 50));
  p.add('b', 100);
  t.notOk(p.ended('b', 130), 'hang-up before the answer is known: held');
  t.ok(p.final('b', 200, 140), 'answer reported late (same socket read as the hang-up)');
  t.equal(p.size, 0);
  t.notOk(p.final('nope', 200, 0));
  for (const id of ['c', 'd', 'e', 'f']) p.add(id, 200);
  t.same(drops, ['c:evicted']);
  p.sweep(1201);
  t.same(drops, ['c:evicted', 'd:expired', 'e:expired', 'f:expired']);
  t.same(out, [
    { callId: 'a', at: 20, status: 200 },
    { callId: 'a', at: 50, endedAt: 50 },
    { callId: 'b', at: 130, status: 200 },
    { callId: 'b', at: 130, endedAt: 130 },
  ], 'the answer never comes after the hang-up');
  p.add('g', 2000);
  t.notOk(p.ended('g', 2010));
  t.ok(p.final('g', 486, 2020), 'a failure after a stray stop still counts');
  t.same(out.at(-1), { callId: 'g', at: 2020, status: 486 });
  t.same(p.counts, { added: 7, outcomes: 5, hangups: 2, expired: 3, evicted: 1, answeredDropped: 0 });
  p.add('h', 3000);
  t.ok(p.final('h', 200, 3010));
  p.sweep(4011);
  t.same(drops.at(-1), 'h:expired:answered', 'an answered call that never hung up says so when it goes');
  t.equal(p.counts.answeredDropped, 1);
});

t.test('answered calls that never hang up: warned once, counted by what was awaited', async (t) => {
  const lost: string[] = [];
  const probe = await testScreener(testRules(), { outcomeLost: (w) => lost.push(w) });
  const s = await setup({ probe, pendingTtlMs: 10_000 });
  const warning = /answered calls are expiring without a hang-up/;
  for (const id of ['a1', 'a2']) {
    call(s, inviteText({ callId: id, from: from(CALLERS.forward) }));
    // The answer's CDR comes; the BYE bypasses drachtio-server, so no cdr:stop ever does.
    s.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', id));
  }
  call(s, inviteText({ callId: 'silent', from: from(CALLERS.forward) }));
  s.clock.now = T0 + 10_001;
  call(s, inviteText({ callId: 'later', from: from(CALLERS.forward) }));
  t.same(lost, ['hangup', 'hangup', 'final'], 'each expired call counted by what never came');
  t.equal(s.lines.filter((l) => warning.test(String(l.msg))).length, 1, 'one warning, not one per call');
  t.equal(s.lines.find((l) => warning.test(String(l.msg)))?.level, 40, 'at warn level');

  // Where hang-ups do arrive, an answered call outliving the TTL is a long call, not a deployment fault.
  const quiet = await setup({ pendingTtlMs: 10_000 });
  for (const id of ['b1', 'b2']) {
    call(quiet, inviteText({ callId: id, from: from(CALLERS.forward) }));
    quiet.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', id));
  }
  quiet.wire.cdr('stop', 'network', 'normal-release', byeText('b1'));
  quiet.clock.now = T0 + 10_001;
  call(quiet, inviteText({ callId: 'later', from: from(CALLERS.forward) }));
  t.equal(quiet.lines.filter((l) => warning.test(String(l.msg))).length, 0, 'no warning once any hang-up has arrived');
});

t.test('engine errors use decideSafe: fail open forwards, fail closed rejects', async (t) => {
  const open = await setup({ probe: await testScreener(testRules({ boom: true, failMode: 'open' })) });
  const a = call(open, inviteText({ callId: 'boom1', from: from(CALLERS.reject608) }));
  t.equal(decisionOf(a.req)?.action, 'forward');
  t.equal(decisionOf(a.req)?.reasons[0]?.signal, 'error');
  t.equal(open.wire.proxies().length, 1, 'forwarded unchanged');
  t.equal(open.probe.engineErrors, 1);

  const closed = await setup({ probe: await testScreener(testRules({ boom: true, failMode: 'closed' })) });
  const b = call(closed, inviteText({ callId: 'boom2', from: from(CALLERS.forward) }));
  t.equal(closed.wire.responses()[0]?.msg.status, 608);
  t.equal(decisionOf(b.req)?.rejectedBy, 'error', 'the fail-closed reject says what rejected it');
});

t.test('an exception inside the adapter never reaches drachtio-srf', async (t) => {
  const probe = await testScreener(testRules(), { decision: () => { throw new Error('metrics exploded'); } });
  const s = await setup({ probe, nextHop: undefined });
  let r: { nexts: number } | undefined;
  t.doesNotThrow(() => { r = call(s, inviteText({ callId: 'x1', from: from(CALLERS.forward) })); });
  t.equal(r?.nexts, 1, 'failed open: handed on once');
  t.equal(s.lines.some((l) => l.msg === 'ringfence middleware error'), true, 'logged');

  const closedProbe = await testScreener(testRules({ failMode: 'closed' }), { decision: () => { throw new Error('metrics exploded'); } });
  const c = await setup({ probe: closedProbe });
  let x2: ReturnType<typeof call> | undefined;
  t.doesNotThrow(() => { x2 = call(c, inviteText({ callId: 'x2', from: from(CALLERS.forward) })); });
  t.equal(c.wire.responses()[0]?.msg.status, 608, 'failed closed: rules reject answer');
  t.equal(x2 === undefined ? undefined : decisionOf(x2.req)?.rejectedBy, 'error', 'the adapter\'s fail-closed reject says what rejected it');
});

t.test('failing closed with a 603 + Reason answer sends the Reason too', async (t) => {
  // Engine error: Engine#decideSafe returns the top-level code and phrase without the Reason header.
  const engine = await setup({ probe: await testScreener(testRules({ boom: true, failMode: 'closed', reject603: true })) });
  call(engine, inviteText({ callId: 'fc1', from: from(CALLERS.forward) }));
  const a = engine.wire.responses()[0]?.msg;
  t.equal(a?.status, 603);
  t.equal(a?.get('reason'), REASON_603, 'engine error, failed closed');

  // Adapter error: the middleware's own fail-closed decision.
  const adapter = await setup({ probe: await testScreener(testRules({ failMode: 'closed', reject603: true }), { decision: () => { throw new Error('metrics exploded'); } }) });
  call(adapter, inviteText({ callId: 'fc2', from: from(CALLERS.forward) }));
  const b = adapter.wire.responses()[0]?.msg;
  t.equal(b?.status, 603);
  t.equal(b?.get('reason'), REASON_603, 'adapter error, failed closed');
});

t.test('drachtio-server refusing the proxy (NOK) answers 503, forgets the call and withdraws it from the engine', async (t) => {
  const s = await setup();
  call(s, inviteText({ callId: 'nok', from: from(CALLERS.forward) }));
  s.wire.failProxy(s.wire.proxies()[0]!, 'Internal server error allocating message');
  await settle();
  t.equal(s.wire.responses()[0]?.msg.status, 503, 'a technical failure, not a policy 5xx');
  t.equal(s.mw.pendingCount(), 0);
  t.equal(s.probe.outcomes.length, 0);
  t.equal(s.probe.screener.engine.counters.withdrawn, 1, 'no one rang: the engine takes the call back');
  t.equal(callerCount(s.probe.screener, CALLERS.forward, 'attempts', T0 + 1000), 0, 'not an attempt of its caller\'s');
  t.same(s.probe.responses, [], 'not counted until drachtio-server says it went out');
  s.wire.replyToResponse(0);
  t.same(s.probe.responses, [503], 'counted once sent');

  // drachtio-server had answered the caller itself (a 500 when no target could be tried, a 487
  // after a quick CANCEL): the 503 finds no transaction and is refused, so it is not counted.
  call(s, inviteText({ callId: 'nok2', from: from(CALLERS.forward) }));
  s.wire.failProxy(s.wire.proxies()[1]!, 'error proxying request');
  await settle();
  s.wire.replyToResponse(1, 'Response not sent due to unknown transaction');
  t.same(s.probe.responses, [503], 'a refused response is not counted as sent');
  t.match(s.lines.find((l) => l.msg === 'drachtio-server did not send the response'), { status: 503, why: /unknown transaction/ });
});

t.test('installed with srf.use: drachtio-srf parses the INVITE and Srf#dialog supplies req.srf', async (t) => {
  const wire = new Wire();
  const probe = await testScreener();
  const mw = ringfence({ screener: probe.screener, nextHop: NEXT_HOP, logger: capture().logger, now: () => T0 });
  wire.srf.use('invite', mw);
  t.equal(mw.length, 3, 'arity 3, so connect calls it as (req, res, next)');
  wire.inviteThroughApp(inviteText({ callId: 'app-tag', from: from(CALLERS.tag, 'Eve') }));
  wire.inviteThroughApp(inviteText({ callId: 'app-rej', from: from(CALLERS.reject608) }));
  const [p] = wire.proxies();
  t.equal(p?.msg.get('X-Ringfence-Score'), '50', 'proxied through req.srf');
  t.same(wire.responses().map((r) => r.msg.status), [608]);
  t.ok(wire.routes().includes('cdr:start'), 'CDRs subscribed lazily through req.srf');
  mw.close();
});

t.test('warnings: CDRs off at start-up; answered calls without CDR events', async (t) => {
  const off = await setup({ cdrs: false });
  t.equal(off.lines.filter((l) => l.level === 40 && /short-call signals are blind/.test(String(l.msg))).length, 1, 'warned once at start-up');
  t.notOk(off.wire.routes().some((r) => r.startsWith('cdr:')), 'no CDR routes');

  const on = await setup({ cdrGraceMs: 10 });
  call(on, inviteText({ callId: 'w1', from: from(CALLERS.forward) }));
  on.wire.finishProxy(on.wire.proxies()[0]!, responseText(200, 'OK', 'w1'));
  await new Promise((r) => setTimeout(r, 30));
  t.equal(on.lines.filter((l) => l.level === 40 && /no CDR events arrive/.test(String(l.msg))).length, 1);

  const seen = await setup({ cdrGraceMs: 10 });
  call(seen, inviteText({ callId: 'w2', from: from(CALLERS.forward) }));
  seen.wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', 'w2'));
  seen.wire.finishProxy(seen.wire.proxies()[0]!, responseText(200, 'OK', 'w2'));
  await new Promise((r) => setTimeout(r, 30));
  t.notOk(seen.lines.some((l) => /no CDR events/.test(String(l.msg))), 'quiet when CDRs flow');
  for (const x of [off, on, seen]) x.mw.close();
});

t.test('usable from TypeScript with drachtio-srf\'s bundled types', async (t) => {
  // Compile-time check (tsc runs over test/): the bundled types declare `next: Function`.
  const install = (srf: BundledSrf, screener: Screener): void => srf.use('invite', ringfence({ screener }));
  t.type(install, 'function');
  t.type(Srf.SipMessage, 'function');
  t.ok(new Engine(await testRules()));
});

t.test('a response drachtio-srf refuses to send is replaced by a plain 603, not left unanswered', async (t) => {
  const s = await setup();
  const { req, res } = s.wire.request(inviteText({ callId: 'refused', from: from(CALLERS.reject608) }));
  // As Response#send does when its own sip-status table lacks the code (another copy than the one patched).
  const send = res.send.bind(res) as (...a: unknown[]) => unknown;
  let refused = 0;
  (res as unknown as { send: (...a: unknown[]) => unknown }).send = (code: unknown, ...rest: unknown[]) => {
    if (code === 608) {
      refused++;
      throw new Error('invalid status 608');
    }
    return send(code, ...rest);
  };
  s.mw(req, res, () => t.fail('not handed on'));
  t.equal(refused, 1);
  const [r, ...more] = s.wire.responses();
  t.equal(more.length, 0, 'one response');
  t.equal(r?.msg.status, 603);
  t.equal(r?.msg.reason, 'Decline');
  t.same(s.probe.responses, [603], 'counted as the 603 it was');
  t.ok(s.lines.some((l) => l.msg === 'drachtio-srf refused the response; answering 603 instead'), 'logged');
});

t.test('draining for shutdown: a new call is answered 503, not screened or proxied', async (t) => {
  const s = await setup();
  s.mw.drain();
  const { req } = call(s, inviteText({ callId: 'drain1', from: from(CALLERS.forward) }));
  const r = s.wire.responses()[0];
  t.equal(r?.msg.status, 503);
  t.equal(r?.msg.get('retry-after'), '5');
  t.equal(s.wire.proxies().length, 0, 'not proxied');
  t.equal(decisionOf(req), undefined, 'not screened');
  t.equal(s.probe.decisions.length, 0);
});

t.test('--source-header configured but missing on an INVITE: counted, and warned at most once a minute', async (t) => {
  let missing = 0;
  const probe = await testScreener(testRules(), { sourceHeaderMissing: () => void missing++ });
  const s = await setup({ probe, sourceHeader: 'X-Ringfence-Source' });
  call(s, inviteText({ callId: 'sh1', from: from(CALLERS.forward), extra: ['X-Ringfence-Source: trunk-ams-1'] }));
  t.equal(missing, 0, 'stamped');
  call(s, inviteText({ callId: 'sh2', from: from(CALLERS.forward) }));
  call(s, inviteText({ callId: 'sh3', from: from(CALLERS.forward) }));
  t.equal(missing, 2, 'each unstamped INVITE counted');
  const warned = () => s.lines.filter((l) => /came without X-Ringfence-Source/.test(String(l.msg))).length;
  t.equal(warned(), 1, 'one warning for the two');
  s.clock.now = T0 + 60_000;
  call(s, inviteText({ callId: 'sh4', from: from(CALLERS.forward) }));
  t.equal(warned(), 2, 'and again a minute later');
});

// ---- what drachtio-srf reads differently from the wire ----

t.test('a %-escaped header name is not the header it unescapes to: screened on what the next hop reads', async (t) => {
  const s = await setup();
  // drachtio-srf unescapes header names; to drachtio-server, the next hop and RFC 3261 these are unknown headers.
  const pai = call(s, inviteText({ callId: 'esc1', from: from(CALLERS.reject608), extra: ['P-Asserted-Identit%79: <sip:+33612345678@carrier.example>'] }));
  t.equal(pai.req.get('p-asserted-identity'), '<sip:+33612345678@carrier.example>', "drachtio-srf's reading");
  t.equal(decisionOf(pai.req)?.caller, CALLERS.reject608, 'screened as the From the next hop reads');
  t.equal(pai.nexts, 0);
  const raw = inviteText({ callId: 'esc2', from: from(CALLERS.reject608) }).replace('From:', 'Fr%6Fm: <sip:+33612345678@carrier.example>;tag=zz\r\nFrom:');
  const decoy = call(s, raw);
  t.match(decoy.req.get('from'), /^<sip:\+33612345678@carrier\.example>;tag=zz,/, "drachtio-srf joins the decoy to the From");
  t.equal(decisionOf(decoy.req)?.caller, CALLERS.reject608, 'screened as the real From');
  t.same(s.wire.responses().map((r) => r.msg.status), [608, 608], 'both rejected');
  // A '%' in a value changes nothing.
  const plain = call(s, inviteText({ callId: 'esc3', from: from(CALLERS.forward, 'Caf%C3%A9') }));
  t.equal(decisionOf(plain.req)?.caller, CALLERS.forward);
});

t.test('a P-Asserted-Identity written in another case is not hidden from screening', async (t) => {
  const s = await setup();
  // drachtio-srf keeps the case of 'P-ASSERTED-IDENTITY' and get() returns one spelling only: here the first,
  // which has no number, so the caller would be screened on From while the next hop reads the second PAI.
  const r = call(s, inviteText({ callId: 'case1', from: from(CALLERS.forward), extra: ['P-Asserted-Identity: <sip:carrier.example>', `P-ASSERTED-IDENTITY: <sip:${CALLERS.reject608}@carrier.example>`] }));
  t.equal(r.req.get('p-asserted-identity'), '<sip:carrier.example>', "drachtio-srf's reading");
  t.equal(decisionOf(r.req)?.caller, CALLERS.reject608, 'screened on the asserted number the next hop reads');
  t.equal(r.nexts, 0);
});

t.test('a Call-ID sent with trailing blanks still matches the hang-up that reports it', async (t) => {
  const s = await setup();
  call(s, inviteText({ callId: 'ws1 ', from: from(CALLERS.forward) }));
  s.clock.now = T0 + 3000;
  s.wire.finishProxy(s.wire.proxies()[0]!, responseText(200, 'OK', 'ws1'));
  await settle();
  s.clock.now = T0 + 8000;
  s.wire.cdr('stop', 'network', 'normal-release', byeText('ws1'));
  t.same(s.probe.outcomes.map(({ o }) => o), [{ callId: 'ws1', at: T0 + 3000, status: 200 }, { callId: 'ws1', at: T0 + 8000, endedAt: T0 + 8000 }]);
  t.equal(s.mw.pendingCount(), 0, 'nothing left waiting');
  // And the other way round: a CDR whose Call-ID has the blank.
  call(s, inviteText({ callId: 'ws2', from: from(CALLERS.forward) }));
  s.wire.finishProxy(s.wire.proxies()[1]!, responseText(200, 'OK', 'ws2'));
  await settle();
  s.clock.now = T0 + 9000;
  s.wire.cdr('stop', 'network', 'normal-release', byeText('ws2 '));
  t.equal(s.mw.pendingCount(), 0, "the CDR's Call-ID is trimmed too");
});

t.test("an INVITE reusing a waiting call's Call-ID never decides that call's outcome", async (t) => {
  const s = await setup();
  const tagged = (text: string, tag: string): string => text.replace(';tag=f1', `;tag=${tag}`);
  const a = s.wire.request(inviteText({ callId: 'X', from: tagged(from(CALLERS.forward), 'A') }));
  s.mw(a.req, a.res, () => {});
  const b = s.wire.request(inviteText({ callId: 'X', from: tagged(from(CALLERS.reject608), 'B') }));
  s.mw(b.req, b.res, () => {});
  t.same(s.wire.responses().map((r) => r.msg.status), [608], 'the second rejected');
  t.equal(decisionOf(b.req)?.callId, 'X (reused 1)', 'screened under a Call-ID of its own');
  // drachtio-server's CDR for the 608 it sent the second INVITE, which carries that INVITE's From tag.
  s.wire.cdr('stop', 'application', 'call-rejected', tagged(responseText(608, 'Rejected', 'X'), 'B'));
  s.clock.now = T0 + 2000;
  s.wire.finishProxy(s.wire.proxies()[0]!, tagged(responseText(200, 'OK', 'X'), 'A'));
  await settle();
  t.same(s.probe.outcomes.map(({ o }) => [o.callId, o.status]), [['X', 200]], "the first call's answer, not the second's 608");
  // A third INVITE with the Call-ID, forwarded: its proxy result is not the first call's either.
  const c = s.wire.request(inviteText({ callId: 'X', from: tagged(from(CALLERS.forward), 'C') }));
  s.mw(c.req, c.res, () => {});
  s.wire.finishProxy(s.wire.proxies()[1]!, tagged(responseText(486, 'Busy Here', 'X'), 'C'));
  await settle();
  t.same(s.probe.outcomes.map(({ o }) => o.status), [200], 'the third call reports nothing');
  s.clock.now = T0 + 9000;
  s.wire.cdr('stop', 'network', 'normal-release', tagged(byeText('X'), 'A'));
  t.same(s.probe.outcomes.map(({ o }) => o.endedAt), [undefined, T0 + 9000], "the first call's hang-up");
});

t.test('a rejected INVITE whose From and To are too large to copy is still answered, and not left pinned', async (t) => {
  const wire = new Wire();
  const probe = await testScreener();
  const { logger, lines } = capture();
  const mw = ringfence({ screener: probe.screener, nextHop: NEXT_HOP, logger, now: () => T0 });
  wire.srf.use('invite', mw);
  const pad = 'x'.repeat(2500);
  for (let i = 0; i < 20; i++) wire.inviteThroughApp(inviteText({ callId: `big-${i}`, from: from(CALLERS.reject608, pad), to: `"${pad}" <sip:+442079460123@ringfence.example>` }));
  const sent = wire.responses();
  t.equal(sent.length, 20, 'every one answered');
  t.ok(sent.every((r) => r.msg.status === 608 && r.msg.get('call-id')?.startsWith('big-') && !r.msg.has('from') && !r.msg.has('to')), '608, From and To left to drachtio-server');
  t.equal(wire.server.pendingNetworkInvites.size, 0, 'drachtio-srf waits for none of them');
  t.ok(lines.some((l) => /too large to copy/.test(String(l.msg))), 'logged');
  // A Call-ID that alone is too large still cannot be answered through drachtio-server.
  wire.inviteThroughApp(inviteText({ callId: `huge-${'y'.repeat(4200)}`, from: from(CALLERS.reject608) }));
  t.equal(wire.responses().length, 20, 'left unanswered');
  mw.close();
});
