/**
 * A 503 from the next hop is not passed upstream (RFC 3261 §16.7 step 6): there
 * it would say that Ringfence itself is out of service, and an edge that fails
 * over on 503 would take the proxy out of rotation for one congested callee
 * network. The caller gets 500; the engine sees the 503 it was.
 */
import t from 'tap';
import type { SipResponse } from '../../lib/sip/sip-types.js';
import { ackNon2xx, makeInvite } from '../helpers/sip-peer.js';
import { harnessWithPeers } from '../helpers/sip-rules.js';

const FOREIGN = '+12025550100';

t.test('a 503 from the next hop reaches the caller as 500 (RFC 3261 §16.7); the engine sees the 503', async (t) => {
  const { uac, uas, h } = await harnessWithPeers(t);
  const seen: number[] = [];
  const observe = h.screener.observe.bind(h.screener);
  h.screener.observe = (o) => {
    if (o.status !== undefined) seen.push(o.status);
    return observe(o);
  };
  const inv = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  const atCallee = await uas.request('INVITE', 3000, cid);
  uas.reply(atCallee, 503, 'Service Unavailable', { 'retry-after': '300' });
  const res = (await uac.response((s) => s >= 200, cid, 3000, 'INVITE')).msg as SipResponse;
  t.equal(res.status, 500, 'upstream, a 503 would say this proxy is out of service');
  t.notOk(res.headers['retry-after'], 'and its Retry-After does not reach the edge');
  uac.send(ackNon2xx(inv, res), h.port);
  t.ok(await uas.none((m) => m.method === 'INVITE' && m.headers['call-id'] === cid && m !== atCallee.msg, 200), 'no retry downstream');
  t.same(seen, [503], 'the outcome fed to the engine is the 503 the callee network gave');
  t.equal(h.proxy.stats().converted503, 1);
  // A non-INVITE too.
  const opt = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
  opt.method = 'OPTIONS';
  opt.headers.cseq = { seq: 1, method: 'OPTIONS' };
  uac.send(opt, h.port);
  const optAtCallee = await uas.request('OPTIONS', 3000, opt.headers['call-id']!);
  uas.reply(optAtCallee, 503, 'Service Unavailable');
  t.equal(((await uac.response((s) => s >= 200, opt.headers['call-id']!, 3000)).msg as SipResponse).status, 500);
});
