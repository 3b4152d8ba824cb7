/**
 * Header values as the wire has them, where drachtio-srf's parser (which
 * unescapes header names) would read them otherwise.
 */
import t from 'tap';
import { caseSplit, hasEscapedName, wireGet, wireHeaders } from '../../lib/sip/wire-headers.js';
import { Srf } from '../helpers/drachtio-wire.js';

const CRLF = '\r\n';
const msg = (...headers: string[]): string => ['INVITE sip:+4420%37946@h SIP/2.0', ...headers, 'Content-Length: 0', '', ''].join(CRLF);

t.test('hasEscapedName: a % in a name, not in the start line, a value or a folded line', async (t) => {
  t.equal(hasEscapedName(msg('From: <sip:a@b>;tag=1')), false, 'none');
  t.equal(hasEscapedName(msg('From: "100%" <sip:a%40x@b>;tag=1')), false, 'in a value');
  t.equal(hasEscapedName(msg('From: <sip:a@b>;tag=1', ' ;x=%41')), false, 'on a folded line');
  t.equal(hasEscapedName(msg('Fr%6Fm: <sip:a@b>')), true);
  t.equal(hasEscapedName(msg('To: <sip:a@b>', 'X%: 1')), true, 'anywhere in a name');
  t.equal(hasEscapedName(msg('To: <sip:a@b>') + 'a%b: in the body\r\n'), false, 'not in the body');
  t.equal(hasEscapedName(msg('Odd%Name')), true, 'a line without a colon');
});

t.test('wireHeaders: names as written, compact forms expanded, repeats joined as drachtio-srf joins them', async (t) => {
  const h = wireHeaders(msg('f: <sip:a@b>;tag=1', 'P-Asserted-Identit%79: <sip:decoy@x>', 'P-Asserted-Identity: <sip:one@x>', 'p-asserted-identity: <tel:+1>', 'Subject: a', '  b'));
  t.equal(h.get('from'), '<sip:a@b>;tag=1');
  t.equal(h.get('p-asserted-identity'), '<sip:one@x>,<tel:+1>');
  t.equal(h.get('subject'), 'a\r\n  b', 'a folded line stays part of its header');
  t.notOk([...h.keys()].some((k) => k.includes('%')), 'escaped names left out');
});

t.test('caseSplit: names of drachtio-srf\'s parse that differ only in case', async (t) => {
  t.equal(caseSplit(new Srf.SipMessage(msg('From: <sip:a@b>;tag=1', 'X-A: 1', 'P-Charging-Vector: x')).headers), false);
  t.equal(caseSplit(new Srf.SipMessage(msg('P-Asserted-Identity: <sip:a@b>', 'P-ASSERTED-IDENTITY: <sip:c@d>')).headers), true);
  t.equal(caseSplit(new Srf.SipMessage(msg('X-Trunk: a', 'x-trunk: b')).headers), true);
  t.equal(caseSplit(undefined), false);
});

t.test('wireGet: the request itself unless a name is escaped', async (t) => {
  const clean = new Srf.SipMessage(msg('From: <sip:a@b>;tag=1', 'X-A: 1'));
  t.equal(wireGet(clean)('X-A'), '1');
  t.equal(wireGet(clean)('from'), '<sip:a@b>;tag=1');
  const escaped = new Srf.SipMessage(msg('Fr%6Fm: <sip:decoy@x>', 'From: <sip:a@b>;tag=1', 'i: c1', 'X-A: 1'));
  t.equal(escaped.get('from'), '<sip:decoy@x>,<sip:a@b>;tag=1', "drachtio-srf's reading");
  const get = wireGet(escaped);
  t.equal(get('From'), '<sip:a@b>;tag=1');
  t.equal(get('call-id'), 'c1');
  t.equal(get('x-a'), '1', 'any case');
  t.equal(get('to'), undefined);
  t.equal(wireGet({ get: () => 'v' })('x'), 'v', 'no raw text: the request');
});
