import t from 'tap';
import { compileRulesText } from '../../lib/rules/load.js';
import { LocalClock } from '../../lib/rules/clock.js';
import type { CompiledScope } from '../../lib/engine/config.js';
import type { NumberInfo } from '../../lib/numbers/types.js';
import { input, issuesOf, num, opts } from './fixtures/helpers.js';

async function scope(when: string, timezone = 'UTC'): Promise<CompiledScope> {
  const r = await compileRulesText(`home_country: CN\ntimezone: ${timezone}\nscopes:\n  - name: s\n    when: ${when}\n`, opts);
  return r.scopes[0] as CompiledScope;
}

t.test('source: trunk names and CIDR networks', async (t) => {
  const s = await scope("{ source: ['10.1.0.0/16', trunk-grey, '2001:db8:100::/40', '192.0.2.1'] }");
  const m = (source: string | undefined): boolean | undefined => s.match?.(input({ source }));
  t.equal(m('trunk-grey'), true);
  t.equal(m('trunk-gray'), false);
  t.equal(m('10.1.200.3'), true);
  t.equal(m('10.2.0.1'), false);
  t.equal(m('10.1.0.1:5060'), true);
  t.equal(m('2001:db8:1ff::9'), true);
  t.equal(m('[2001:db8:100::1]:5061'), true);
  t.equal(m('2001:db8:200::1'), false);
  t.equal(m('192.0.2.1'), true);
  t.equal(m('::ffff:192.0.2.1'), true);
  t.equal(m(undefined), false, 'no source: no match');
});

t.test('caller_country and prefixes', async (t) => {
  const s = await scope("{ caller_country: [ng, GB], caller_prefix: ['+44', '0023480'], callee_prefix: [86138] }");
  const ok = (caller: string | null, country: string | null, callee: string): boolean | undefined =>
    s.match?.(input({ caller: num(caller, country), callee: num(callee, 'CN') }));
  t.equal(ok('+442071234567', 'GB', '+8613812345678'), true);
  t.equal(ok('+2348012345678', 'NG', '+8613812345678'), true);
  t.equal(ok('+2347012345678', 'NG', '+8613812345678'), false, 'NG but not +23480');
  t.equal(ok('+442071234567', 'GB', '+8613912345678'), false, 'callee prefix');
  t.equal(ok('+12025550100', 'US', '+8613812345678'), false, 'country');
  t.equal(ok(null, null, '+8613812345678'), false, 'no E.164 caller');
});

t.test('non-geographic caller_country 001', async (t) => {
  const s = await scope('{ caller_country: ["001"] }');
  t.equal(s.match?.(input({ caller: num('+80012345678', '001') })), true);
  t.equal(s.match?.(input({ caller: num('+442071234567', 'GB') })), false);
});

t.test('caller_type: the number type as classified', async (t) => {
  const s = await scope('{ caller_type: [mobile, fixed-line-or-mobile] }');
  const of = (type: NumberInfo['type']): boolean | undefined => s.match?.(input({ caller: { ...num('+447911123456', 'GB'), type } }));
  t.equal(of('mobile'), true);
  t.equal(of('fixed-line-or-mobile'), true);
  t.equal(of('fixed-line'), false);
  t.equal(of('unknown'), false);
  const issues = await issuesOf(compileRulesText('home_country: CN\nscopes:\n  - name: s\n    when: { caller_type: [mobil] }\n', opts));
  t.equal(issues.length, 1);
  t.match(issues[0], { path: 'scopes[0].when.caller_type', line: 4 });
  t.match(issues[0]?.message, /'mobil' is not a number type \(one of mobile, fixed-line/);
  const one = await scope('{ caller_type: toll-free }');
  t.equal(one.match?.(input({ caller: { ...num('+80012345678', '001'), type: 'toll-free' } })), true, 'one bare value');
  const upper = await issuesOf(compileRulesText('home_country: CN\nscopes:\n  - name: s\n    when: { caller_type: Mobile }\n', opts));
  t.match(upper[0]?.message, /'Mobile' is not a number type/, 'written as the schema has it, like the toll-free types');
});

t.test('hours wrapping midnight in a time zone', async (t) => {
  const s = await scope("{ hours: '22:00-06:00' }", 'Asia/Shanghai');
  // Shanghai is UTC+8 all year.
  const at = (h: number, m = 0): boolean | undefined => s.match?.(input({ at: Date.UTC(2025, 0, 6, h, m) }));
  t.equal(at(14, 0), true, '22:00 local: start is inclusive');
  t.equal(at(13, 59), false, '21:59 local');
  t.equal(at(18, 0), true, '02:00 local');
  t.equal(at(21, 59), true, '05:59 local');
  t.equal(at(22, 0), false, '06:00 local: end is exclusive');
  t.equal(at(4, 0), false, 'noon local');
});

t.test('hours across a DST change', async (t) => {
  const s = await scope("{ hours: '09:00-17:00' }", 'Europe/London');
  t.equal(s.match?.(input({ at: Date.UTC(2025, 0, 15, 9, 30) })), true, 'winter: local = UTC');
  t.equal(s.match?.(input({ at: Date.UTC(2025, 6, 15, 8, 30) })), true, 'summer: 08:30 UTC is 09:30 BST');
  t.equal(s.match?.(input({ at: Date.UTC(2025, 6, 15, 16, 30) })), false, 'summer: 16:30 UTC is 17:30 BST');
});

t.test('several ranges, and whole days', async (t) => {
  const s = await scope("{ hours: ['00:00-07:00', '12:00-13:30', '23:00-24:00'] }");
  const at = (h: number, m = 0): boolean | undefined => s.match?.(input({ at: Date.UTC(2025, 0, 6, h, m) }));
  t.same([at(0), at(6, 59), at(7), at(12, 30), at(13, 30), at(23, 59), at(22, 59)], [true, true, false, true, false, true, false]);
});

t.test('days, in the local time zone', async (t) => {
  const s = await scope('{ days: [sat, sun] }', 'Asia/Tokyo');
  // Friday 2025-01-10 16:00 UTC is Saturday 01:00 in Tokyo.
  t.equal(s.match?.(input({ at: Date.UTC(2025, 0, 10, 16, 0) })), true);
  t.equal(s.match?.(input({ at: Date.UTC(2025, 0, 10, 14, 0) })), false, 'still Friday 23:00 in Tokyo');
  t.equal(s.match?.(input({ at: Date.UTC(2025, 0, 12, 14, 59) })), true, 'Sunday 23:59');
  t.equal(s.match?.(input({ at: Date.UTC(2025, 0, 12, 15, 0) })), false, 'Monday 00:00');
});

t.test('day ranges', async (t) => {
  const s = await scope('{ days: [mon-wed, Friday] }');
  const on = (d: number): boolean | undefined => s.match?.(input({ at: Date.UTC(2025, 0, 6 + d, 12) })); // 6 Jan 2025 is a Monday
  t.same([0, 1, 2, 3, 4, 5, 6].map(on), [true, true, true, false, true, false, false]);
  const w = await scope('{ days: [fri-mon] }');
  t.same([0, 1, 2, 3, 4, 5, 6].map((d) => w.match?.(input({ at: Date.UTC(2025, 0, 6 + d, 12) }))), [true, false, false, false, true, true, true], 'a range wraps the week');
});

t.test('hours with days: the night belongs to the day it starts', async (t) => {
  const s = await scope("{ hours: '22:00-06:00', days: [fri] }");
  const at = (day: number, h: number): boolean | undefined => s.match?.(input({ at: Date.UTC(2025, 0, day, h) }));
  t.equal(at(10, 23), true, 'Friday 23:00');
  t.equal(at(11, 3), true, 'Saturday 03:00 is still Friday night');
  t.equal(at(10, 3), false, 'Friday 03:00 belongs to Thursday night');
  t.equal(at(11, 23), false, 'Saturday 23:00');
});

t.test('every when key must match', async (t) => {
  const s = await scope("{ source: [trunk-a], caller_country: [GB], hours: '08:00-20:00' }");
  t.equal(s.match?.(input({ source: 'trunk-a' })), true);
  t.equal(s.match?.(input({ source: 'trunk-b' })), false);
  t.equal(s.match?.(input({ source: 'trunk-a', caller: num('+12025550100', 'US') })), false);
  t.equal(s.match?.(input({ source: 'trunk-a', at: Date.UTC(2025, 0, 6, 21) })), false);
});

t.test('scopes keep file order', async (t) => {
  const r = await compileRulesText(`
home_country: CN
scopes:
  - name: uk-trunk
    when: { source: [trunk-uk] }
  - name: uk
    when: { caller_country: [GB] }
  - name: rest
`, opts);
  const first = (source: string): string | undefined => r.scopes.find((s) => s.match?.(input({ source })))?.name;
  t.equal(first('trunk-uk'), 'uk-trunk');
  t.equal(first('trunk-us'), 'uk');
  t.same(r.scopes.map((s) => s.name), ['uk-trunk', 'uk', 'rest']);
});

t.test('UK and EL, common but not ISO 3166, name the ISO code', async (t) => {
  const issues = await issuesOf(compileRulesText(`home_country: uk
scopes:
  - name: a
    when: { caller_country: [GB, EL] }
`, opts));
  t.same(issues.map((i) => [i.line, i.path, i.message]), [
    [1, 'home_country', "unknown country code 'uk' (ISO 3166 writes the United Kingdom as GB)"],
    [4, 'scopes[0].when.caller_country', "entry 2: unknown country code 'EL' (ISO 3166 writes Greece as GR)"],
  ]);
});

t.test('bad when values', async (t) => {
  const issues = await issuesOf(compileRulesText(`home_country: CN
scopes:
  - name: a
    when:
      source: ['10.0.0.0/40', 'bad name!']
      caller_country: [XX]
      caller_prefix: ['+0044']
      hours: ['7-8', '8:60-9:00', '24:00-01:00']
      days: [someday]
      weather: rain
`, opts));
  t.same(issues.map((i) => [i.line, i.col, i.path, i.message]), [
    [5, 15, 'scopes[0].when.source', "entry 1: '10.0.0.0/40' is not a valid IP network (want 10.1.0.0/16 or 2001:db8::/32)"],
    [6, 23, 'scopes[0].when.caller_country', "entry 1: unknown country code 'XX'"],
    [7, 22, 'scopes[0].when.caller_prefix', "expected an international prefix such as +4420, got '+0044'"],
    [8, 14, 'scopes[0].when.hours', "entry 2: '8:60-9:00' is not a valid time range (hours 0-24, minutes 0-59)"],
    [9, 13, 'scopes[0].when.days', "expected a day such as mon or a range such as mon-fri, got 'someday'"],
    [10, 7, 'scopes[0].when.weather', "unknown key 'weather' (expected one of: source, caller_country, caller_type, caller_prefix, callee_prefix, hours, days)"],
  ]);
});

t.test('LocalClock caches per minute and agrees with Intl', async (t) => {
  const c = new LocalClock('America/New_York');
  const u = new LocalClock('UTC');
  for (let at = Date.UTC(2025, 2, 8, 0, 0); at < Date.UTC(2025, 2, 11); at += 37 * 60_000 + 13_000) {
    const d = new Date(at);
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', hour: '2-digit', minute: '2-digit', weekday: 'short' }).formatToParts(d);
    const get = (k: string): string => parts.find((p) => p.type === k)?.value ?? '';
    c.sync(at);
    t.equal(c.minute, Number(get('hour')) * 60 + Number(get('minute')));
    t.equal(c.day, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')));
    u.sync(at);
    t.equal(u.minute, d.getUTCHours() * 60 + d.getUTCMinutes());
    t.equal(u.day, (d.getUTCDay() + 6) % 7);
  }
});
