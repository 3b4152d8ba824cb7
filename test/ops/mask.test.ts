/**
 * `serve --mask-digits N`: the decision line shows no full phone number
 * anywhere, the reasons included. Plugins name the caller's E.164 number, the
 * raw form as presented (with the separators it came with) and other numbers
 * in their details; every one is masked to the same width as the caller field.
 */
import t, { type Test } from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import { maskText, identityDigits } from '../../lib/ops/mask.js';
import { Screener } from '../../lib/ops/screener.js';
import { compileRulesText } from '../../lib/rules/load.js';
import { ringfence } from '../../lib/sip/drachtio.js';
import { builtinPlugins } from '../../plugins/index.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { Wire, inviteText } from '../helpers/drachtio-wire.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const CALLEE = '+442079460123';
/** A number that is not the call's, named by a plugin as plugins may. */
const OTHER = '+14155550123';

/** Names a number of no identity of the call, bare and in international form. */
const namesOther = definePlugin<Record<string, never>>({
  name: 'names-other',
  description: 'test: names another number in its reason',
  schema: {},
  score: () => ({ points: 1, detail: `same pattern as ${OTHER} and 4155550199 earlier, seen 1234 times at 2026-01-05T09:00:00Z` }),
});

const rules = compileRulesText(
  `
version: 1
home_country: GB
thresholds: { tag: 40, reject: 100 }
hold: { duration: 0 }
signals:
  toll-free: {}
  domestic-cli: {}
  cli-mismatch: {}
  names-other: {}
`,
  { file: 'mask-test.yaml', plugins: [...builtinPlugins, namesOther] },
);

/** The digits of a number: what must not appear in a line, whatever separators surround them there. */
const digits = (s: string): string => s.replace(/\D/g, '');
/** The line with the separators a number may be written with removed, so '020 7946 0123' is found as 02079460123. */
const squeezed = (line: string): string => line.replace(/[ ().\-/"\\]/g, '');

function noFullNumber(t: Test, line: Record<string, unknown>, numbers: string[]): void {
  const text = squeezed(JSON.stringify(line));
  for (const n of numbers) t.notOk(text.includes(digits(n)), `no ${n} in the line`);
}

t.test('Screener with maskDigits: reasons mask the E.164, the presented forms and other numbers', async (t) => {
  const log = captureLog();
  const s = new Screener(new Engine(await rules), { logger: log.logger, maskDigits: 4 });

  // A toll-free caller: its E.164 is in the toll-free reason.
  s.decide({ callId: 'tf', at: T0, caller: '+80012345678', callee: CALLEE });
  // A home number in national format with separators, and a From that disagrees with the PAI.
  s.decide({ callId: 'home', at: T0, caller: '020 7946 0999', callee: CALLEE, callerVariants: { pai: '020 7946 0999', from: '+33 6 12 34 56 78' } });

  const [tf, home] = log.find(/^decision$/);
  t.ok(tf && home, 'two decision lines');
  if (!tf || !home) return;
  t.equal(tf.caller, '+8001234xxxx');
  const tfReasons = (tf.reasons as string[]).join('\n');
  t.match(tfReasons, /toll-free \+\d+: caller \+8001234xxxx is/, 'the reason shows the number masked as the caller field is');
  noFullNumber(t, tf, ['+80012345678', CALLEE, OTHER, '4155550199']);

  t.equal(home.caller, '+44207946xxxx');
  const homeReasons = (home.reasons as string[]).join('\n');
  t.match(homeReasons, /caller \+44207946xxxx is a home-country/, 'E.164 in the domestic-cli reason masked');
  t.match(homeReasons, /as "020 7946 xxxx"/, 'the national form as presented keeps its spaces, last digits masked');
  t.match(homeReasons, /From \+3361234xxxx \(FR\) disagrees/, 'the From identity cli-mismatch names is masked');
  t.match(homeReasons, /\+1415555xxxx and 415555xxxx/, 'a number that is not the call\'s is masked too');
  t.match(homeReasons, /seen 1234 times at 2026-01-05T09:00:00Z/, 'counts and times are left alone');
  noFullNumber(t, home, ['+442079460999', '02079460999', '+33612345678', CALLEE, OTHER, '4155550199']);
});

t.test('without maskDigits the reasons are as the plugins wrote them', async (t) => {
  const log = captureLog();
  const s = new Screener(new Engine(await rules), { logger: log.logger });
  s.decide({ callId: 'tf', at: T0, caller: '+80012345678', callee: CALLEE });
  const [tf] = log.find(/^decision$/);
  t.match((tf?.reasons as string[]).join('\n'), /caller \+80012345678 is/);
});

t.test('drachtio middleware: the decision line of a call it screens is masked', async (t) => {
  const wire = new Wire();
  const log = captureLog();
  const s = new Screener(new Engine(await rules), { logger: log.logger, maskDigits: 4 });
  const mw = ringfence({ screener: s, srf: wire.srf, nextHop: 'sip:127.0.0.1:5090', logger: log.logger, now: () => T0 });
  const { req, res } = wire.request(inviteText({ callId: 'd1', from: '"Helpline" <sip:+80012345678@carrier.example>;tag=f1' }));
  mw(req, res, () => undefined);
  const d = await log.waitFor(/^decision$/);
  t.equal(d.caller, '+8001234xxxx');
  t.match((d.reasons as string[]).join('\n'), /caller \+8001234xxxx is/);
  noFullNumber(t, d, ['+80012345678', CALLEE]);
  mw.close();
});

t.test('maskText: block labels and masked numbers keep the width; short digit runs stay', async (t) => {
  const ids = identityDigits(['+442079460123', '0044 (0)20 7946 0123']);
  t.equal(maskText('block +4420794601xx: 3 of 4', 4, ids), 'block +44207946xxxx: 3 of 4');
  t.equal(maskText('as "0044 (0)20 7946 0123"', 4, ids), 'as "0044 (0)20 7946 xxxx"');
  t.equal(maskText('caller +44207946xxxx', 4, ids), 'caller +44207946xxxx', 'masking twice changes nothing');
  t.equal(maskText('12 calls (threshold 100000)', 4, ids), '12 calls (threshold 100000)');
  t.equal(maskText('+442079460123', 0, ids), '+442079460123', '0 masks nothing');
});

t.test('hostile caller IDs: a 6,000-digit display name neither throws nor gets a call past screening', async (t) => {
  const log = captureLog();
  const r = await compileRulesText("home_country: GB\nlists:\n  deny: { action: reject, numbers: ['+447700900123'] }\n", { file: 'deny.yaml' });
  const s = new Screener(new Engine(r), { logger: log.logger, maskDigits: 4 });
  const long = '1'.repeat(6000);
  const d = s.decide({ callId: 'long', at: T0, caller: '+447700900123', callee: CALLEE, callerVariants: { display: long, from: long } });
  t.equal(d.action, 'reject', 'the deny list still rejects');
  const [line] = log.find(/^decision$/);
  t.ok(line, 'the decision is logged');
  t.equal(line?.caller, '+44770090xxxx');
  const t0 = process.hrtime.bigint();
  const text = maskText(`as "${'9'.repeat(60_000)}"`, 4, identityDigits(['9'.repeat(60_000), '+447700900123']));
  t.ok(Number(process.hrtime.bigint() - t0) < 5e9, 'a 60,000-digit text is masked in one pass');
  t.ok(text.endsWith('9xxxx"'));
});

t.test('maskText: separators a caller ID may carry, and fullwidth digits, are masked too', async (t) => {
  const ids = identityDigits(['+44_20_7946_0999']);
  t.equal(maskText('caller "+44_20_7946_0999" is not a valid number', 4, ids), 'caller "+44_20_7946_xxxx" is not a valid number');
  t.equal(maskText('seen +44_20_7946_0888 too', 4, []), 'seen +44_20_7946_xxxx too', 'underscores join a number without an identity too');
  const full = '\uff0b\uff14\uff14\uff12\uff10\uff17\uff19\uff14\uff16\uff10\uff19\uff19\uff19';
  t.equal(maskText(`caller "${full}"`, 4, identityDigits([full])), 'caller "+44207946xxxx"', 'fullwidth digits as written');
  const escaped = '\\uff0b\\uff14\\uff14\\uff12\\uff10\\uff17\\uff19\\uff14\\uff16\\uff10\\uff19\\uff19\\uff19';
  t.equal(maskText(`caller "${escaped}"`, 4, identityDigits([full])), 'caller "+44207946xxxx"', 'and as a reason escapes them');
  // The numbers module reads Arabic-Indic digits as the number they show (٠٠٩٧١٥٠١٢٣٤٥٦٧ is +971501234567): masked alike.
  const arabic = '\u0660\u0660\u0669\u0667\u0661\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667';
  t.equal(maskText(`caller "${arabic}"`, 4, identityDigits(['+971501234567'])), 'caller "0097150123xxxx"', 'Arabic-Indic digits as written');
  t.equal(maskText(`caller "${arabic.replace(/[\u0660-\u0669]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`, 4, identityDigits(['+971501234567'])), 'caller "0097150123xxxx"', 'and as a reason escapes them');
  t.equal(maskText('held until 2026-11-29T23:00:00Z after 12 calls', 4, ids), 'held until 2026-11-29T23:00:00Z after 12 calls', 'dates and times stay');
});
