/**
 * What carriers actually put in From / P-Asserted-Identity, per home country,
 * with the E.164 and problem normalise() must give. Shared by the normalise
 * tests and the fast-vs-reference classification test.
 */
import type { NumberProblem } from '../../lib/numbers/index.js';

export type Row = [raw: string, e164: string | null, problem?: NumberProblem];

export const table: Record<string, Row[]> = {
  CN: [
    ['+8613800138000', '+8613800138000'],
    ['+86 138-0013-8000', '+8613800138000'],
    ['+86 (138) 0013.8000', '+8613800138000'],
    ['0086 13800138000', '+8613800138000'],
    ['008613800138000', '+8613800138000'],
    ['013800138000', '+8613800138000'], // mobile with a stray trunk 0
    ['13800138000', '+8613800138000'], // 11-digit mobile, no trunk prefix
    ['8613800138000', '+8613800138000'], // '+' dropped by the carrier
    ['010 6552 9988', '+861065529988'], // Beijing fixed line, trunk 0
    ['01065529988', '+861065529988'],
    ['1065529988', '+861065529988'],
    ['17951 00 44 20 7946 0000', '+442079460000'], // carrier-select IDD from metadata
    ['442079460000', '+442079460000'], // foreign number without '+', valid only internationally
    ['＋８６ １０ ６５５２ ９９８８', '+861065529988'], // fullwidth: the callee's phone shows a Beijing number
    ['sip:＋８６１０６５５２９９８８@gw', '+861065529988'],
    // The same, percent-encoded as RFC 3261 wants it in a URI (drachtio passes the user part as written).
    ['sip:%EF%BC%8B%EF%BC%98%EF%BC%96%EF%BC%91%EF%BC%90%EF%BC%96%EF%BC%95%EF%BC%95%EF%BC%92%EF%BC%99%EF%BC%99%EF%BC%98%EF%BC%98@gw', '+861065529988'],
    ['sip:%E9%2B861065529988@gw', null, 'non-digit'], // a byte that is no UTF-8 stays a non-digit
    ['٠٠٩٧١٥٠١٢٣٤٥٦٧', '+971501234567'], // Arabic-Indic digits, 00 IDD
    ['12064002931', '+12064002931'], // US number without '+' whose digits also start like a carrier-select IDD (1206400)
    ['12125008777', '+12125008777'],
    ['sip:+442079460000@gw;user=phone', '+442079460000'],
    ['sips:+442079460000@gw.example.net:5061', '+442079460000'],
    ['SIP:+442079460000@gw', '+442079460000'],
    ['tel:+1-212-555-0100;phone-context=example.com', '+12125550100'],
    ['tel:5550100;phone-context=+1-212', '+12125550100'], // local number, global context
    ['tel:+8613800138000;npdi;rn=+8613900000000', '+8613800138000'],
    ['tel:+8613800138000;isub=1234', '+8613800138000'],
    ['sip:+8613800138000;isub=123@host', '+8613800138000'],
    ['sip:+1-212-555-0100;phone-context=+1@host;user=phone', '+12125550100'],
    ['<sip:008613800138000@1.2.3.4>', '+8613800138000'],
    ['<sip:+8613800138000@10.0.0.1:5060;user=phone>', '+8613800138000'],
    ['"Bob" <sip:+8613800138000@10.0.0.1:5060;user=phone>;tag=a1b2', '+8613800138000'],
    ['"Anonymous" <sip:+8613800138000@10.0.0.1>', '+8613800138000'],
    ['Bob <tel:+8613800138000>', '+8613800138000'],
    ['sip:8613800138000:secret@host', '+8613800138000'],
    ['+8613800138000@10.0.0.1', '+8613800138000'],
    ['sip:%2B8613800138000@x', '+8613800138000'],
    ['sip:%2b86%20138%200013%208000@x', '+8613800138000'],
    ['  +8613800138000\t', '+8613800138000'],
    ['+1 (800) 555-0199', '+18005550199'],
    ['+80012345678', '+80012345678'],
    ['+44 (0)20 7946 0000', '+442079460000'], // libphonenumber drops the '(0)' trunk digit
    ['0039 06 1234 5678', '+390612345678'], // Italian leading zero is part of the number
    ['+86 100 0000 0000', '+8610000000000', 'invalid'],
    ['12345678', '+8612345678', 'invalid'],
    ['', null, 'empty'],
    ['   ', null, 'empty'],
    ['<>', null, 'empty'],
    ['sip:10.0.0.1', null, 'empty'], // host-only URI: no user part
    ['anonymous', null, 'anonymous'],
    ['Anonymous', null, 'anonymous'],
    ['unavailable', null, 'anonymous'],
    ['RESTRICTED', null, 'anonymous'],
    ['private', null, 'anonymous'],
    ['sip:anonymous@anonymous.invalid', null, 'anonymous'],
    ['"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1', null, 'anonymous'],
    ['abc', null, 'non-digit'],
    ['sip:alice@example.com', null, 'non-digit'],
    ['+86138001380x0', null, 'non-digit'],
    ['86+13800138000', null, 'non-digit'],
    ['++8613800138000', null, 'non-digit'],
    ['+', null, 'non-digit'],
    ['---', null, 'non-digit'],
    ['*31#13800138000', null, 'non-digit'],
    ['１３８００１３８０００', '+8613800138000'], // fullwidth digits: read as the digits a phone shows
    ['☎️ 13800138000', null, 'non-digit'],
    ['\u0000\uffff\ud800', null, 'non-digit'],
    ['%', null, 'non-digit'],
    ['%zz', null, 'non-digit'],
    ['1'.repeat(40), null, 'too-long'],
    ['+' + '9'.repeat(40), null, 'too-long'],
    ['+8613800138000123', null, 'too-long'],
    ['1380013800013800', null, 'too-long'],
    ['12', null, 'too-short'],
    ['+8612', null, 'too-short'],
    ['+999123456', null, 'unknown-country'],
    ['00999123456', null, 'unknown-country'],
    ['+0086 138 0013 8000', '+8613800138000'], // an IDD typed after the '+': read as dialled
    ['+0086138001380', '+86138001380', 'invalid'], // ... and judged as what it then is, here too short for a mobile
    ['+00999123456', null, 'unknown-country'],
    ['+01012345678', null, 'unknown-country'], // a stray '+' before a national number: no reading as a home number
    ['+0000000000', null, 'unknown-country'],
    ['+0000', null, 'too-short'], // a placeholder some routes send: junk, judged by its length first
  ],
  GB: [
    ['020 7946 0000', '+442079460000'],
    ['07400 123456', '+447400123456'],
    ['+44 7400 123456', '+447400123456'],
    ['+02079460000', null, 'unknown-country'], // a stray '+' before a national number
    ['+011 44 20 7946 0000', null, 'unknown-country'], // 011 is no UK international prefix
    ['0044 20 7946 0000', '+442079460000'],
    ['00 86 138 0013 8000', '+8613800138000'],
    ['0800 123 4567', '+448001234567'],
    ['8613800138000', '+8613800138000'],
    ['442079460000', '+442079460000'],
    ['tel:+442079460000', '+442079460000'],
  ],
  US: [
    ['(212) 555-0100', '+12125550100'],
    ['212.555.0100', '+12125550100'],
    ['1-212-555-0100', '+12125550100'],
    ['12125550100', '+12125550100'],
    ['011 44 20 7946 0000', '+442079460000'], // NANP IDD
    ['+011 44 20 7946 0000', '+442079460000'], // NANP IDD after a '+'
    ['+0044 20 7946 0000', '+442079460000'],
    ['+0123456789', null, 'unknown-country'], // not the IDD: no national reading behind a '+'
    ['011 86 138 0013 8000', '+8613800138000'],
    ['00 44 20 7946 0000', '+442079460000'], // libphonenumber alone reads this as national
    ['1 (800) 555-0199', '+18005550199'],
    ['sip:+12125550100@gw', '+12125550100'],
  ],
  IN: [
    ['98765 43210', '+919876543210'],
    ['098765 43210', '+919876543210'],
    ['919876543210', '+919876543210'],
    ['011 2345 6789', '+911123456789'],
    ['00 86 13800138000', '+8613800138000'],
  ],
};
