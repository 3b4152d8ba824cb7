/**
 * What an operator reads: the call id is `call_id` in every JSON log line
 * about a call (decision, engine error, drachtio adapter lines), the same
 * name as in replay's decision log, so one query finds a call in either.
 */
import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { Screener } from '../../lib/ops/screener.js';
import { ringfence } from '../../lib/sip/drachtio.js';
import { CALLERS, testRules, testScreener } from '../helpers/drachtio-rules.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { Wire, inviteText } from '../helpers/drachtio-wire.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const from = (number: string): string => `"Caller" <sip:${number}@carrier.example>;tag=f1`;

t.test('Screener: the decision line and engine error lines name the call call_id', async (t) => {
  const log = captureLog();
  const s = new Screener(new Engine(await testRules()), { logger: log.logger });
  s.decide({ callId: 'c-608', at: T0, caller: CALLERS.reject608, callee: '+442079460123' });
  const [d] = log.find(/^decision$/);
  t.match(d, { call_id: 'c-608', action: 'reject' });
  t.notOk(d && 'callId' in d, 'no camelCase callId');

  const boom = new Screener(new Engine(await testRules({ boom: true })), { logger: log.logger });
  boom.decide({ callId: 'c-boom', at: T0, caller: CALLERS.forward, callee: '+442079460123' });
  const [e] = log.find(/^engine error; call/);
  t.match(e, { call_id: 'c-boom' });
  t.notOk(e && 'callId' in e);

  const engine = new Engine(await testRules());
  engine.observe = () => {
    throw new Error('observe failed');
  };
  new Screener(engine, { logger: log.logger }).observe({ callId: 'c-out', at: T0, status: 200 });
  const [o] = log.find(/^engine error on outcome$/);
  t.match(o, { call_id: 'c-out' });
  t.notOk(o && 'callId' in o);
});

t.test('drachtio adapter: its own lines about a call name it call_id', async (t) => {
  const wire = new Wire();
  const probe = await testScreener();
  const log = captureLog();
  const clock = { now: T0 };
  const mw = ringfence({ screener: probe.screener, srf: wire.srf, nextHop: 'sip:127.0.0.1:5090', logger: log.logger, now: () => clock.now, pendingMax: 1 });
  for (const id of ['p1', 'p2']) {
    const { req, res } = wire.request(inviteText({ callId: id, from: from(CALLERS.forward) }));
    mw(req, res, () => undefined);
  }
  const dropped = log.find(/^pending call dropped without outcome$/);
  t.match(dropped, [{ call_id: 'p1', why: 'evicted' }]);
  t.notOk(dropped.some((l) => 'callId' in l));

  const failing = await testScreener(testRules(), { decision: () => { throw new Error('metrics exploded'); } });
  const mw2 = ringfence({ screener: failing.screener, srf: wire.srf, nextHop: undefined, logger: log.logger, now: () => clock.now });
  const { req, res } = wire.request(inviteText({ callId: 'x1', from: from(CALLERS.forward) }));
  mw2(req, res, () => undefined);
  const [err] = log.find(/^ringfence middleware error$/);
  t.match(err, { call_id: 'x1' });
  t.notOk(err && 'callId' in err);
  mw.close();
  mw2.close();
});
