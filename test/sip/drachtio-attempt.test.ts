/**
 * Header parsing for the drachtio adapter, on requests built by drachtio-srf
 * itself from raw SIP text (Srf.SipMessage / Srf.SipRequest), so header
 * names, folding and repeated-header joining are drachtio-srf's.
 */
import t from 'tap';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  attemptFromRequest,
  firstIdentity,
  fitProxyHeaders,
  proxyMessageBytes,
  identityOf,
  forwardHeadersFor,
  isInitialInvite,
  MAX_HEADER_VALUE,
  parseNameAddr,
  prefixDisplayName,
  splitList,
  uriNumber,
} from '../../lib/sip/drachtio-attempt.js';
import type { Decision } from '../../lib/engine/types.js';
import { MAX_APP_MESSAGE_BYTES } from '../../lib/sip/drachtio-types.js';
import { Srf, inviteText, wireTime, type RequestT } from '../helpers/drachtio-wire.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function req(raw: string, address = '198.51.100.7'): RequestT {
  return new Srf.SipRequest(new Srf.SipMessage(raw), {
    source: 'network', address, port: '5060', protocol: 'udp', time: wireTime(), transactionId: 'txn-1',
  });
}

t.test('name-addr forms', async (t) => {
  t.same(parseNameAddr('"Alice \\"A\\" Smith" <sip:+441632960123@example.com>;tag=ab'), { display: 'Alice "A" Smith', uri: 'sip:+441632960123@example.com', params: ';tag=ab' });
  t.same(parseNameAddr('Bob <tel:+441632960123>'), { display: 'Bob', uri: 'tel:+441632960123', params: '' });
  t.same(parseNameAddr('<sip:+1@h>'), { uri: 'sip:+1@h', params: '' });
  t.same(parseNameAddr('sip:+441632960123@h;tag=9'), { uri: 'sip:+441632960123@h', params: ';tag=9' }, 'addr-spec: first ; starts header params');
  for (const bad of ['', '"unterminated <sip:a@b>', '<sip:a@b', 'sip a@b', '"x" sip:a@b', 'garbage', '<>;tag=1', '<sip:a@b> junk']) {
    t.equal(parseNameAddr(bad), null, `malformed: ${JSON.stringify(bad)}`);
  }
});

t.test('a From the grammar rejects still gives up the URI in its angle brackets', async (t) => {
  // A next hop that reads the URI in the angle brackets sees +86 here: screening must too.
  t.same(identityOf('"unterminated <sip:+861065529988@x>;tag=1'), { number: '+861065529988' });
  t.same(identityOf('"x" sip:a@b <sip:+861065529988@y>'), { number: '+861065529988' });
  t.equal(identityOf('garbage'), null);
  t.equal(identityOf('"unterminated <not a uri>'), null);
});

t.test('a From the grammar rejects is screened on the URI the standalone proxy reads, not a decoy after it', async (t) => {
  // headers.ts (the standalone proxy) and a next hop read the first angle brackets: +86 here. The last was taken before.
  t.same(identityOf('<sip:+861065529988@home> <sip:+15550100@x>'), { number: '+861065529988' });
  t.same(identityOf('"a" <sip:+861065529988@home> <sip:+15550100@x>;tag=1'), { number: '+861065529988' });
  // No URI outside quotes and two different ones inside: no caller ID to trust, none screened as one.
  t.equal(identityOf('"unterminated <sip:+15550100@x> <sip:+861065529988@y>'), null);
});

t.test('numbers from sip, sips and tel URIs', async (t) => {
  t.equal(uriNumber('sip:+441632960123@example.com;user=phone'), '+441632960123');
  t.equal(uriNumber('sips:+441632960123@example.com'), '+441632960123');
  t.equal(uriNumber('sip:%2B441632960123@h'), '%2B441632960123', 'kept raw: the numbers module decodes');
  t.equal(uriNumber('sip:+12125551234;npdi;rn=+12125550000@h'), '+12125551234;npdi;rn=+12125550000', 'user params kept for the normaliser');
  t.equal(uriNumber('sip:alice:secret@h'), 'alice', 'password dropped');
  t.equal(uriNumber('tel:+441632960123'), '+441632960123');
  t.equal(uriNumber('tel:5551234;phone-context=+1212'), '5551234;phone-context=+1212');
  t.equal(uriNumber('sip:ringfence.example'), '', 'no user part');
  t.equal(uriNumber('urn:service:sos'), null);
});

t.test('P-Asserted-Identity lists: the first usable entry', async (t) => {
  t.same(firstIdentity('<sip:+441632960123@h;user=phone>, <tel:+441632960123>'), { number: '+441632960123' });
  t.same(firstIdentity('"Anon" <sip:h.example>, <tel:+33612345678>'), { number: '+33612345678' }, 'entry without a user skipped');
  t.same(splitList('"Doe, John" <sip:1@h>, <tel:+2>'), ['"Doe, John" <sip:1@h>', '<tel:+2>'], 'comma inside quotes does not split');
});

t.test('caller from P-Asserted-Identity, variants from From', async (t) => {
  const r = req(inviteText({
    callId: 'a1',
    from: '"+441632960999" <sip:+441632960999@carrier.example>;tag=f',
    pai: '<sip:+33612345678@carrier.example;user=phone>',
    extra: ['Privacy: id', 'User-Agent: Test/1.0', 'Diversion: <sip:+441632960555@h>;reason=unconditional', 'X-Other: ignored'],
  }));
  const a = attemptFromRequest(r, T0);
  t.equal(a.callId, 'a1');
  t.equal(a.at, T0);
  t.equal(a.caller, '+33612345678');
  t.same(a.callerVariants, { pai: '+33612345678', from: '+441632960999', display: '+441632960999' });
  t.equal(a.callee, '+442079460123');
  t.equal(a.source, '198.51.100.7');
  t.equal(a.headers?.privacy, 'id');
  t.equal(a.headers?.['user-agent'], 'Test/1.0');
  t.equal(a.headers?.diversion, '<sip:+441632960555@h>;reason=unconditional');
  t.equal(a.headers?.['p-asserted-identity'], '<sip:+33612345678@carrier.example;user=phone>');
  t.notOk(a.headers && 'x-other' in a.headers, 'only the screened headers');
});

t.test('no P-Asserted-Identity: caller from From', async (t) => {
  const a = attemptFromRequest(req(inviteText({ from: '"Caller" <sip:+33612345678@carrier.example>;tag=f1' })), T0);
  t.equal(a.caller, '+33612345678');
  t.same(a.callerVariants, { from: '+33612345678', display: 'Caller' });
});

t.test('tel: URIs in From, P-Asserted-Identity and the Request-URI', async (t) => {
  const r = req(inviteText({ ruri: 'tel:+442079460123', from: '<tel:+23276123456>;tag=f', pai: '<tel:+23276123456>' }));
  t.equal(r.callingNumber, '', "drachtio-srf's callingNumber is empty for tel: — why the adapter parses headers itself");
  t.equal(r.calledNumber, '', 'and calledNumber for a tel: Request-URI');
  const a = attemptFromRequest(r, T0);
  t.equal(a.caller, '+23276123456');
  t.equal(a.callee, '+442079460123');
});

t.test('a malformed From does not throw; caller falls back to nothing', async (t) => {
  const r = req(inviteText({ from: '"Broken <sip:+33612345678@carrier.example' }));
  t.match(r.getParsedHeader('from'), { uri: '"Broken' }, 'drachtio-srf parses it into a junk URI');
  t.throws(() => req(inviteText({ from: ';;;' })).getParsedHeader('from'), 'and throws on others');
  const a = attemptFromRequest(r, T0);
  t.equal(a.caller, '');
  t.equal(a.callerVariants, undefined);
  t.equal(a.headers?.from, '"Broken <sip:+33612345678@carrier.example', 'raw value still visible to signals');
  t.equal(attemptFromRequest(req(inviteText({ from: ';;;' })), T0).caller, '');

  const withPai = attemptFromRequest(req(inviteText({ from: 'garbage', pai: '<tel:+33612345678>' })), T0);
  t.equal(withPai.caller, '+33612345678', 'P-Asserted-Identity still used');
});

t.test('callee from To when the Request-URI has no user part', async (t) => {
  const a = attemptFromRequest(req(inviteText({ ruri: 'sip:ringfence.example', to: '<sip:+442079460777@ringfence.example>' })), T0);
  t.equal(a.callee, '+442079460777');
});

t.test('source: a header stamped by the edge wins over the packet source', async (t) => {
  const r = req(inviteText({ extra: ['X-Ringfence-Source: trunk-ams-1'] }), '10.0.0.1');
  t.equal(attemptFromRequest(r, T0).source, '10.0.0.1');
  t.equal(attemptFromRequest(r, T0, { sourceHeader: 'X-Ringfence-Source' }).source, 'trunk-ams-1');
  t.equal(attemptFromRequest(req(inviteText()), T0, { sourceHeader: 'X-Ringfence-Source' }).source, '198.51.100.7', 'falls back when absent');
});

t.test('long header values are clipped', async (t) => {
  const a = attemptFromRequest(req(inviteText({ extra: [`User-Agent: ${'x'.repeat(5000)}`] })), T0);
  t.equal(a.headers?.['user-agent']?.length, MAX_HEADER_VALUE);
});

t.test('initial INVITE: no To tag', async (t) => {
  t.ok(isInitialInvite(req(inviteText())));
  t.notOk(isInitialInvite(req(inviteText({ to: '<sip:+442079460123@h>;tag=xyz' }))), 're-INVITE');
  t.ok(isInitialInvite(req(inviteText({ to: 'nonsense <' }))), 'malformed To still screened');
  const opts = req(inviteText().replace(/^INVITE/, 'OPTIONS').replace('CSeq: 1 INVITE', 'CSeq: 1 OPTIONS'));
  t.notOk(isInitialInvite(opts));
});

t.test('display-name prefix keeps URI and tag', async (t) => {
  t.equal(prefixDisplayName('"Bob" <sip:+491511@h>;tag=a1', '[SPAM?] '), '"[SPAM?] Bob" <sip:+491511@h>;tag=a1');
  t.equal(prefixDisplayName('<tel:+491511>;tag=a1', '[SPAM?] '), '"[SPAM?]" <tel:+491511>;tag=a1');
  t.equal(prefixDisplayName('sip:+491511@h;tag=a1', '[SPAM?] '), '"[SPAM?]" <sip:+491511@h>;tag=a1', 'addr-spec gets brackets');
  t.equal(prefixDisplayName('"[SPAM?] Bob" <sip:+491511@h>;tag=a1', '[SPAM?] '), '"[SPAM?] Bob" <sip:+491511@h>;tag=a1', 'not twice');
  t.equal(prefixDisplayName('"Say \\"hi\\"" <sip:1@h>', '! '), '"! Say \\"hi\\"" <sip:1@h>', 'quotes escaped');
  t.equal(prefixDisplayName('broken <', '[SPAM?] '), null);
});

t.test('forward headers only for tag decisions, with line breaks removed', async (t) => {
  const d: Decision = {
    callId: 'c', action: 'tag', score: 50, reasons: [], scope: 'default', caller: '', callee: '',
    headers: { 'X-Ringfence-Score': '50', 'X-Ringfence-Reasons': 'a=+50\r\nInjected: yes' }, displayPrefix: '[SPAM?] ',
  };
  t.same(forwardHeadersFor(d, '"Bob" <sip:1@h>;tag=a'), {
    'X-Ringfence-Score': '50',
    'X-Ringfence-Reasons': 'a=+50 Injected: yes',
    From: '"[SPAM?] Bob" <sip:1@h>;tag=a',
  });
  t.same(forwardHeadersFor({ ...d, action: 'forward' }, '"Bob" <sip:1@h>;tag=a'), {});
  t.same(forwardHeadersFor(d, 'broken <'), { 'X-Ringfence-Score': '50', 'X-Ringfence-Reasons': 'a=+50 Injected: yes' }, 'unparseable From left alone');
});

t.test('the strings the engine keeps do not pin the received message', async (t) => {
  // drachtio-srf's header values are V8 slices of the whole message text; a
  // Call-ID or number kept for hours must not keep that text alive.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const padding = `X-Padding: ${'p'.repeat(64 * 1024)}`;
  const kept: unknown[] = [];
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  for (let i = 0; i < 200; i++) {
    const r = req(inviteText({
      callId: `retained-call-${i}-${'c'.repeat(20)}@edge.example`,
      from: `"A display name long enough ${i}" <sip:+4915112345${String(i).padStart(3, '0')}@carrier.example>;tag=f${i}`,
      pai: `<sip:+4915112345${String(i).padStart(3, '0')}@carrier.example;user=phone>`,
      ruri: `sip:+4420794601${String(i).padStart(3, '0')}@ringfence.example`,
      extra: [`X-Ringfence-Source: trunk-amsterdam-${i}-interconnect`, padding],
    }));
    const a = attemptFromRequest(r, T0, { sourceHeader: 'X-Ringfence-Source' });
    // What the engine holds on to after deciding: pending Call-ID, table keys, variants.
    kept.push([a.callId, a.caller, a.callee, a.source, a.callerVariants?.pai, a.callerVariants?.from, a.callerVariants?.display]);
  }
  const grown = heap() - before;
  t.equal(kept.length, 200);
  t.ok(grown < 4 * 1024 * 1024, `200 messages of 64 KiB leave ${Math.round(grown / 1024)} KiB behind (would be ~12.8 MiB if pinned)`);
});

t.test('fitProxyHeaders trims the tag headers until the proxy command fits drachtio-server', async (t) => {
  const dest = 'sip:+8613800138000@10.0.0.20:5060';
  const tags = { 'X-Ringfence-Score': '50', 'X-Ringfence-Reasons': 'fan-out=+35 rotating-cli=+18' };
  const from = `"[SPAM?] ${'名'.repeat(1300)}" <sip:+4479111234@carrier.example>;tag=f1`; // 1,300 characters, 3 bytes each
  t.same(fitProxyHeaders(dest, tags), { headers: tags, trimmed: 'none' });
  t.same(fitProxyHeaders(dest, { ...tags, From: '"[SPAM?] Alice" <sip:+4479111234@carrier.example>;tag=f1' })?.trimmed, 'none', 'a real From fits');
  const f = fitProxyHeaders(dest, { ...tags, From: from });
  t.same(f, { headers: tags, trimmed: 'from' }, 'a From of 4 kB is left as the caller sent it, the tags kept');
  t.ok(proxyMessageBytes(dest, { ...tags, From: from }) > MAX_APP_MESSAGE_BYTES);
  const huge = { ...tags, 'X-Ringfence-Reasons': 'x=+1 '.repeat(900) };
  t.same(fitProxyHeaders(dest, huge), { headers: {}, trimmed: 'all' }, 'tags that alone do not fit are all left off');
  t.equal(fitProxyHeaders(Array.from({ length: 4 }, (_, i) => `sip:${'9'.repeat(900)}@hop${i}.example`), tags), null, 'destinations that alone do not fit: nothing to write');
  for (const r of [tags, { ...tags, From: from }, huge]) {
    const fit = fitProxyHeaders(dest, r);
    t.ok(fit && proxyMessageBytes(dest, fit.headers) <= MAX_APP_MESSAGE_BYTES, 'whatever it keeps fits');
  }
});
