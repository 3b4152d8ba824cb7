/**
 * The Record-Route signature: who made it (this process, an earlier one
 * with the same key, nobody), for how long an earlier one counts, and
 * what a UA may do to it on the way back (re-case it, trim the Call-ID).
 */
import t from 'tap';
import { RouteSig, RouteSigner } from '../../lib/sip/proxy/ids.js';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const H = 3600_000;
const T0 = Date.UTC(2026, 10, 29, 12);

t.test('a token made by this process is Ours, for its Call-ID only', async (t) => {
  const s = new RouteSigner(KEY, T0);
  const tok = s.sign('a@b', T0 + 5000);
  t.match(tok, /^[0-9a-z]+-[0-9a-f]{24}$/);
  t.equal(s.check('a@b', tok, T0 + 6000), RouteSig.Ours);
  t.equal(s.check('a@b  ', tok, T0 + 6000), RouteSig.Ours, 'blanks around the Call-ID do not matter');
  t.equal(s.check('a@c', tok, T0 + 6000), RouteSig.None, 'another Call-ID');
  t.equal(s.check('a@b', tok.toUpperCase(), T0 + 6000), RouteSig.Ours, 're-cased by a UA');
  t.equal(new RouteSigner(Buffer.from('fedcba9876543210fedcba9876543210'), T0).check('a@b', tok, T0 + 6000), RouteSig.None, 'another key');
  t.equal(new RouteSigner(undefined, T0).check('a@b', tok, T0 + 6000), RouteSig.None, 'a per-process key');
});

t.test('a token of an earlier process with the same key counts for the dialog lifetime after it was made', async (t) => {
  const before = new RouteSigner(KEY, T0 - 10 * H);
  const tok = before.sign('call-1', T0 - 60_000); // made a minute before the restart, by a process up for 10 h
  const now = new RouteSigner(KEY, T0);
  t.equal(now.check('call-1', tok, T0 + 1000), RouteSig.Earlier);
  t.equal(now.check('call-1', tok, T0 + 3 * H), RouteSig.Earlier, 'within 4 h of being made');
  t.equal(now.check('call-1', tok, T0 + 4 * H), RouteSig.None, 'past 4 h');
  const short = new RouteSigner(KEY, T0, 60_000);
  t.equal(short.check('call-1', tok, T0 + 1000), RouteSig.None, 'maxAgeMs shortens it');
});

t.test('made-up, altered, future and malformed tokens are None', async (t) => {
  const s = new RouteSigner(KEY, T0);
  const tok = s.sign('x', T0);
  const [time, mac] = tok.split('-') as [string, string];
  const flip = (c: string): string => (c === '0' ? '1' : '0');
  for (const [what, bad] of [
    ['one digit of the MAC changed', `${time}-${mac.slice(0, -1)}${flip(mac.slice(-1))}`],
    ['the time changed', `${(parseInt(time, 36) + 1).toString(36)}-${mac}`],
    ['cut short', tok.slice(0, -1)],
    ['no time', `-${mac}`],
    ['junk in the time', `${time}!-${mac}`],
    ['empty', ''],
    ['far too long', `${tok}${'0'.repeat(100)}`],
  ] as const) {
    t.equal(s.check('x', bad, T0 + 1000), RouteSig.None, what);
  }
  for (const v of [undefined, null, 42, {}]) t.equal(s.check('x', v, T0), RouteSig.None, `not a string: ${String(v)}`);
  const ahead = s.sign('x', T0 + 10 * 60_000);
  t.equal(s.check('x', ahead, T0), RouteSig.None, 'made ten minutes in the future');
});

t.test('keys shorter than 16 bytes are refused', async (t) => {
  t.throws(() => new RouteSigner(Buffer.from('short')), /at least 16 bytes, got 5/);
});

t.test('the MAC is HMAC-SHA256 (RFC 2104), so processes of other versions with the same key agree', async (t) => {
  const { createHmac } = await import('node:crypto');
  for (const key of [KEY, Buffer.alloc(64, 9), Buffer.alloc(100, 3)]) {
    const s = new RouteSigner(key, T0);
    const tok = s.sign('abc@10.0.0.1 ', T0);
    const sec = Math.floor(T0 / 1000);
    const want = createHmac('sha256', key).update(`${sec}|abc@10.0.0.1`, 'latin1').digest('hex').slice(0, 24);
    t.equal(tok, `${sec.toString(36)}-${want}`, `a ${key.length}-byte key`);
  }
});
