/**
 * An operator's TypeScript app passes drachtio-srf's own Srf to ringfence()
 * without a cast: the check is the compiler's (npm test runs tsc over test/),
 * and the middleware it makes is the one srf.use accepts.
 */
import t from 'tap';
import Srf from 'drachtio-srf';
import { ringfence } from '../../lib/sip/drachtio.js';
import { testScreener } from '../helpers/drachtio-rules.js';
import { captureLog } from '../helpers/drachtio-log.js';

t.test("drachtio-srf's Srf is an SrfLike as its own typings declare it", async (t) => {
  const srf = new Srf();
  const probe = await testScreener();
  const mw = ringfence({ screener: probe.screener, srf, cdrs: 'manual', logger: captureLog('silent').logger });
  srf.use('invite', mw);
  t.equal(typeof mw, 'function');
  t.equal(mw.length, 3);
  mw.close();
});
