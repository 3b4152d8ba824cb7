/**
 * Property tests for SIP header extraction (issue 5, "try to break it"):
 * whatever a caller puts in From, P-Asserted-Identity, To or the
 * Request-URI, the two header modules (lib/sip/headers.ts for the
 * standalone proxy, lib/sip/drachtio-attempt.ts for drachtio) never throw,
 * return strings, never grow their input, cut copied headers at 1,024
 * characters, and never put a line break into a header they write.
 */
import t from 'tap';
import fc from 'fast-check';
import * as H from '../../lib/sip/headers.js';
import * as D from '../../lib/sip/drachtio-attempt.js';
import type { CallAttempt, Decision } from '../../lib/engine/types.js';

// ------------------------------------------------------------ generators

/** Fragments that matter to a SIP header parser, mixed with plain text and control bytes. */
const soupUnit = fc.constantFrom(
  '"', '<', '>', ',', ';', ':', '@', '\\', ' ', '\t', '=', '%', '%2B', '%zz', '+', '?', '&', '\r', '\n', '\r\n', '\r\n ', '\0', '\x7f', '\xff',
  'sip:', 'sips:', 'tel:', 'SIP:', 'a', 'Z', '1', '44', '+86', '"x"', 'tag=', ';tag=1', ';user=phone', 'é', '漢', '😀', '\u202e',
);
const soup = fc.string({ unit: soupUnit, maxLength: 40 });

/** Display names: none, tokens, quoted (with escapes), unbalanced quotes, arbitrary text. */
const display = fc.oneof(
  fc.constant(''),
  fc.string({ unit: fc.constantFrom(...'abcXYZ09 -.!%*_+`\'~'), maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => `"${s}`),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => `"${s}"`),
  soup,
);

const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 16 });
const user = fc.oneof(
  digits.map((d) => `+${d}`),
  digits,
  fc.constantFrom('', 'anonymous', '%2B8613800138000', '+1-212-555-1212', 'alice:secret', '+4420;npdi;rn=+4420', '+86;cic=1'),
  soup,
);
const host = fc.constantFrom('h', '127.0.0.1', 'edge.example', 'h:5060', '[2001:db8::1]', '', '@');
const uriParams = fc.array(fc.constantFrom(';user=phone', ';lr', ';transport=tcp', ';phone-context=+44', ';phone-context=example.com', ';isub=1', '?x=y', ';=', ';', ';ext=12'), { maxLength: 3 }).map((a) => a.join(''));

/** URIs: sip/sips (with and without a user part), tel with parameters, foreign schemes, junk. */
const uri = fc.oneof(
  fc.tuple(fc.constantFrom('sip:', 'sips:', 'SIP:', 'Sips:'), user, fc.boolean(), host, uriParams).map(([s, u, at, h, p]) => `${s}${u}${at ? '@' : ''}${h}${p}`),
  fc.tuple(fc.constantFrom('tel:', 'TEL:', 'Tel:'), user, uriParams).map(([s, u, p]) => `${s}${u}${p}`),
  fc.tuple(fc.constantFrom('http:', 'mailto:', 'urn:service:sos', 'im:', ':', 'sip', ''), user, host).map(([s, u, h]) => `${s}${u}@${h}`),
  soup,
);

const headerParams = fc.array(fc.constantFrom(';tag=abc', ';tag=', ';x', ' ;y=1', ';tag="q"', ';', ' junk', '>', ','), { maxLength: 3 }).map((a) => a.join(''));

/** One name-addr or addr-spec, brackets and spacing possibly broken. */
const nameAddr = fc
  .tuple(display, fc.constantFrom('<', '', '<<', ' <', '<  '), uri, fc.constantFrom('>', '', '>>', '> ', '  >'), headerParams, fc.constantFrom(' ', '', '\t'))
  .map(([d, open, u, close, p, sp]) => `${d}${d ? sp : ''}${open}${u}${close}${p}`);

/** Comma lists, as P-Asserted-Identity may carry (sip + tel), with empty and stray elements. */
const list = fc
  .tuple(fc.array(nameAddr, { minLength: 1, maxLength: 4 }), fc.constantFrom(', ', ',', ' , ', ',,', ', ,'))
  .map(([xs, sep]) => xs.join(sep));

/** Values long enough to hit the 1,024-character cap, in the display name, the user part or trailing junk. */
const long = fc
  .tuple(fc.integer({ min: 1000, max: 6000 }), fc.constantFrom('A', '9', '漢', '\xff', ',', '"'), fc.constantFrom(0, 1, 2))
  .map(([n, ch, where]) => {
    const pad = ch.repeat(n);
    return where === 0 ? `"${pad}" <sip:+8613800138000@h>;tag=1` : where === 1 ? `<sip:+${pad}@h>;tag=1` : `<tel:+441234567890>;x=${pad}`;
  });

/** Anything a header value can be. */
const headerValue = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 100 }) },
  { weight: 2, arbitrary: soup },
  { weight: 4, arbitrary: nameAddr },
  { weight: 3, arbitrary: list },
  { weight: 1, arbitrary: long },
);

/** Display-name prefixes as rules might configure them (no line breaks: the rules loader's job). */
const prefix = fc.oneof(
  fc.constantFrom('[SPAM?] ', '[SPAM?]', 'SPAM: ', '⚠ ', '"q" ', '\\', '  ', ' [x] '),
  fc.string({ unit: 'grapheme', maxLength: 10 }).filter((s) => !/[\r\n]/.test(s)),
);

const RUNS = { numRuns: 1500 };
const NOT_STRINGS = [undefined, null, 42, {}, [], true] as unknown as string[];
const noBreak = (s: string): boolean => !/[\r\n]/.test(s);

function check(ok: boolean, what: string, ...data: unknown[]): void {
  if (!ok) throw new Error(`${what}: ${JSON.stringify(data)}`);
}

/** Header lookup over a plain map, as both adapters see it (lower-case names). */
function getter(h: Record<string, string | undefined>): (name: string) => string | undefined {
  return (name) => h[name.toLowerCase()];
}

const screenedHeaders = fc.record(
  Object.fromEntries([...H.SCREENED_HEADERS, 'call-id'].map((n) => [n, fc.option(headerValue, { nil: undefined, freq: 3 })])) as Record<string, fc.Arbitrary<string | undefined>>,
);

/** What both adapters must guarantee of a CallAttempt, whatever came in. */
function checkAttempt(a: CallAttempt, max: number, cap: number): void {
  check(typeof a.callId === 'string', 'callId string', a.callId);
  check(typeof a.caller === 'string' && typeof a.callee === 'string', 'caller/callee strings', a.caller, a.callee);
  check(a.caller.length <= max && a.callee.length <= max, 'caller/callee no longer than the input', a.caller.length, a.callee.length, max);
  for (const [k, v] of Object.entries(a.headers ?? {})) {
    check(typeof v === 'string' && v.length <= cap, `header ${k} cut at ${cap}`, v.length);
    check(k === k.toLowerCase(), 'header names lower-case', k);
  }
  for (const [k, v] of Object.entries(a.callerVariants ?? {})) {
    check(typeof v === 'string' && v.length <= max, `callerVariants.${k} string, bounded`, v);
  }
  if (a.source !== undefined) check(typeof a.source === 'string' && a.source.length <= Math.max(cap, max), 'source bounded', a.source.length);
  // The attempt goes to logs and snapshots: it must survive JSON.
  JSON.parse(JSON.stringify(a));
}

// ------------------------------------------------------------ lib/sip/headers.ts

t.test('headers.ts: splitHeaderList gives trimmed, non-empty pieces of its input', async (t) => {
  fc.assert(fc.property(headerValue, (v) => {
    const parts = H.splitHeaderList(v);
    check(Array.isArray(parts), 'array');
    for (const p of parts) check(typeof p === 'string' && p.length > 0 && p === p.trim() && v.includes(p), 'piece of the input', v, p);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
  for (const x of NOT_STRINGS) t.same(H.splitHeaderList(x), [], `non-string ${JSON.stringify(x)}`);
});

t.test('headers.ts: name-addr and URI helpers return strings no longer than their input', async (t) => {
  fc.assert(fc.property(headerValue, (v) => {
    for (const [name, f] of [['nameAddrUri', H.nameAddrUri], ['nameAddrDisplay', H.nameAddrDisplay], ['uriUser', H.uriUser], ['firstIdentity', H.firstIdentity]] as const) {
      const out = f(v);
      check(typeof out === 'string' && out.length <= v.length, name, v, out);
    }
    const u = H.uriUser(H.nameAddrUri(v));
    check(typeof u === 'string' && u.length <= v.length, 'uriUser(nameAddrUri)', v, u);
    const id = H.callerIdentity({ pai: v, from: v });
    for (const k of ['caller', 'pai', 'from', 'display'] as const) check(typeof id[k] === 'string' && id[k].length <= v.length, `callerIdentity.${k}`, v, id);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
  for (const x of NOT_STRINGS) {
    t.equal(H.nameAddrUri(x), '');
    t.equal(H.nameAddrDisplay(x), '');
    t.equal(H.uriUser(x), '');
    t.equal(H.firstIdentity(x), '');
  }
});

t.test('headers.ts: attemptFromHeaders never throws, returns strings, caps copied headers at 1,024', async (t) => {
  fc.assert(fc.property(screenedHeaders, fc.oneof(uri, headerValue), fc.boolean(), fc.nat(), (h, ruri, throwing, at) => {
    let calls = 0;
    const a = H.attemptFromHeaders({
      callId: h['call-id'] ?? '',
      at,
      requestUri: ruri,
      // A getter that throws part of the time: the proxy's header access must not take screening down.
      get: (name) => {
        if (throwing && ++calls % 3 === 0) throw new Error('boom');
        return getter(h)(name);
      },
      source: '192.0.2.1:5060',
    });
    const max = Math.max(ruri.length, ...Object.values(h).map((v) => v?.length ?? 0));
    checkAttempt(a, max, H.MAX_SCREENED_VALUE);
    check(a.at === at, 'at passed through');
    for (const k of Object.keys(a.headers ?? {})) check((H.SCREENED_HEADERS as readonly string[]).includes(k), 'only screened headers copied', k);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
  // A Request-URI or callId that is not a string (a broken adapter) still yields an attempt.
  const odd = H.attemptFromHeaders({ callId: undefined as unknown as string, at: 0, requestUri: null as unknown as string, get: () => 42 as unknown as string });
  t.same([odd.callId, odd.caller, odd.callee, odd.headers], ['', '', '', {}]);
});

t.test('headers.ts: quoteDisplay writes one safe quoted-string that reads back as the name', async (t) => {
  fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), soup), (name) => {
    const q = H.quoteDisplay(name);
    check(noBreak(q), 'no line break', name, q);
    check(q.startsWith('"') && q.endsWith('"'), 'quoted', q);
    // Read back through our own parser: the name survives, line breaks as spaces.
    check(H.nameAddrDisplay(`${q} <sip:1@h>`) === name.replace(/[\r\n]/g, ' '), 'round trip', name, q);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
});

t.test('headers.ts: prefixDisplayName never throws, never writes a line break, never prefixes twice', async (t) => {
  fc.assert(fc.property(headerValue, prefix, fc.oneof(fc.constant(''), digits.map((d) => `+${d}`), soup), (v, p, fallback) => {
    const once = H.prefixDisplayName(v, p, fallback);
    check(typeof once === 'string', 'string', v, once);
    // Unchanged means "left alone"; anything it rewrote goes into the forwarded INVITE as is.
    if (once !== v) {
      check(noBreak(once), 'no line break in a rewritten header', v, p, fallback, once);
      check(once.length <= 2 * (v.length + p.length + fallback.length) + 8, 'bounded growth', v.length, once.length);
      check(H.nameAddrDisplay(once).startsWith(p.trim()), 'display carries the prefix', v, p, once);
    }
    // A call that passes Ringfence twice (a spiral, two instances in series) is marked once.
    const twice = H.prefixDisplayName(once, p, fallback);
    check(twice === once, 'idempotent', v, p, fallback, once, twice);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
  for (const x of NOT_STRINGS) t.equal(H.prefixDisplayName(x, '[SPAM?] '), x, 'non-strings left alone');
  t.equal(H.prefixDisplayName('"A" <sip:1@h>', ''), '"A" <sip:1@h>', 'no prefix, no change');
});

// ------------------------------------------------------------ lib/sip/drachtio-attempt.ts

t.test('drachtio-attempt.ts: splitList, parseNameAddr, uriNumber, identityOf, firstIdentity never throw', async (t) => {
  fc.assert(fc.property(headerValue, (v) => {
    for (const p of D.splitList(v)) check(typeof p === 'string' && p.length > 0 && p === p.trim(), 'splitList piece', v, p);
    const na = D.parseNameAddr(v);
    if (na !== null) {
      check(typeof na.uri === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/.test(na.uri), 'parsed URI is a URI', v, na);
      check(na.params === '' || na.params.startsWith(';'), 'params start with ;', v, na);
      check(na.display === undefined || typeof na.display === 'string', 'display string or absent', na);
      check(na.uri.length + na.params.length + (na.display?.length ?? 0) <= v.length, 'no growth', v, na);
    }
    const n = D.uriNumber(v);
    check(n === null || (typeof n === 'string' && n.length <= v.length), 'uriNumber', v, n);
    for (const id of [D.identityOf(v), D.firstIdentity(v)]) {
      if (id === null) continue;
      check(typeof id.number === 'string' && id.number.length <= v.length, 'identity number', v, id);
      check(id.display === undefined || (typeof id.display === 'string' && id.display.length <= v.length), 'identity display', v, id);
    }
    check(typeof D.isInitialInvite({ method: 'INVITE', get: getter({ to: v }) }) === 'boolean', 'isInitialInvite boolean');
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
  t.equal(D.identityOf(undefined), null);
  t.equal(D.firstIdentity(undefined), null);
});

t.test('drachtio-attempt.ts: attemptFromRequest never throws, returns strings, caps headers and source at 1,024', async (t) => {
  fc.assert(fc.property(screenedHeaders, fc.oneof(uri, headerValue), fc.option(headerValue, { nil: undefined }), fc.nat(), (h, ruri, stamped, at) => {
    const req: D.RequestView = {
      uri: ruri,
      method: 'INVITE',
      get: getter({ ...h, 'x-ingress-trunk': stamped }),
      source_address: '192.0.2.7',
    };
    const a = D.attemptFromRequest(req, at, { sourceHeader: 'X-Ingress-Trunk' });
    const max = Math.max(ruri.length, ...Object.values(h).map((v) => v?.length ?? 0));
    checkAttempt(a, max, D.MAX_HEADER_VALUE);
    check(a.callId === (h['call-id'] ?? '').trim(), 'callId as received, blanks around it dropped');
    check(a.source === undefined || a.source.length <= D.MAX_HEADER_VALUE, 'source cut', a.source?.length);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
});

t.test('drachtio-attempt.ts: headerSafe and prefixDisplayName never write a line break', async (t) => {
  fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), soup, headerValue), (v) => {
    const s = D.headerSafe(v);
    check(noBreak(s), 'headerSafe', v, s);
    check(D.headerSafe(s) === s, 'headerSafe idempotent', v);
    check(s === v || /[\r\n]/.test(v), 'headerSafe only touches line breaks', v, s);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
  fc.assert(fc.property(headerValue, prefix, (from, p) => {
    const once = D.prefixDisplayName(from, p);
    if (once === null) {
      check(D.parseNameAddr(from) === null, 'null only for an unparsable From', from);
      return;
    }
    check(noBreak(once), 'no line break', from, p, once);
    const back = D.parseNameAddr(once);
    check(back !== null && back.uri === D.parseNameAddr(from)!.uri, 'URI kept exactly and still parsable', from, once);
    check((back!.display ?? '').startsWith(p.trim()), 'display carries the prefix', from, p, once);
    check(D.prefixDisplayName(once, p) === once, 'idempotent', from, p, once);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
});

t.test('drachtio-attempt.ts: forwardHeadersFor writes no line break whatever the decision carries', async (t) => {
  const decision = fc.record({
    headers: fc.dictionary(fc.constantFrom('X-Ringfence-Score', 'X-Ringfence-Reasons', 'X-Other'), fc.oneof(soup, fc.string({ unit: 'binary', maxLength: 80 }))),
    displayPrefix: fc.option(prefix, { nil: undefined }),
  });
  fc.assert(fc.property(decision, fc.option(headerValue, { nil: undefined }), (d, from) => {
    const full = { callId: 'c', caller: '', callee: '', action: 'tag', score: 50, reasons: [], scope: 'default', ...d } as unknown as Decision;
    for (const [k, v] of Object.entries(D.forwardHeadersFor(full, from))) check(typeof v === 'string' && noBreak(v), `header ${k}`, v);
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
});

// ------------------------------------------------------------ both adapters

/**
 * Well-formed caller IDs must give the same caller whichever adapter carried
 * the call: lib/sip/headers.ts promises "a signal sees the same call". The
 * known differences on malformed and parameter-laden input are listed in the
 * issue note; this pins down the common ground.
 */
t.test('both adapters agree on well-formed From, P-Asserted-Identity and Request-URI', async (t) => {
  const num = digits.filter((d) => d.length > 0).chain((d) => fc.constantFrom(`+${d}`, d));
  const wellUri = fc.oneof(
    fc.tuple(fc.constantFrom('sip', 'sips'), num, fc.constantFrom('h', '127.0.0.1', 'edge.example:5060'), fc.constantFrom('', ';user=phone', ';transport=tcp')).map(([s, n, h, p]) => `${s}:${n}@${h}${p}`),
    num.map((n) => `tel:${n}`),
  );
  const wellDisplay = fc.oneof(
    fc.constant(''),
    fc.string({ unit: fc.constantFrom(...'abcXYZ09'), minLength: 1, maxLength: 12 }),
    fc.string({ unit: fc.constantFrom(...'abc XYZ,<>;:@'), maxLength: 12 }).map((s) => `"${s}"`),
  );
  const wellNameAddr = fc.tuple(wellDisplay, wellUri, fc.constantFrom('', ';tag=a1b2')).map(([d, u, p]) => `${d}${d ? ' ' : ''}<${u}>${p}`);
  fc.assert(fc.property(wellNameAddr, fc.option(fc.array(wellNameAddr, { minLength: 1, maxLength: 2 }).map((xs) => xs.join(', ')), { nil: undefined }), wellUri, (from, pai, ruri) => {
    const h = { from, 'p-asserted-identity': pai, to: '<sip:+8613800138000@h>', 'call-id': 'c1' };
    const a = H.attemptFromHeaders({ callId: 'c1', at: 1, requestUri: ruri, get: getter(h) });
    const b = D.attemptFromRequest({ uri: ruri, get: getter(h) }, 1);
    check(a.caller === b.caller, 'caller', from, pai, a.caller, b.caller);
    check(a.callee === b.callee, 'callee', ruri, a.callee, b.callee);
    check(a.callerVariants?.from === b.callerVariants?.from, 'From number', from, a.callerVariants, b.callerVariants);
    check(a.callerVariants?.pai === b.callerVariants?.pai, 'PAI number', pai, a.callerVariants, b.callerVariants);
    check(JSON.stringify(a.headers) === JSON.stringify(b.headers), 'copied headers');
  }), RUNS);
  t.pass(`${RUNS.numRuns} generated cases`);
});
