/**
 * The robustness gates as the shipped China example uses them, through the
 * real engine: calls are decided, then their outcomes observed, as in replay.
 * Each scenario is a population that real traffic has and the generator did
 * not (or a dialler it must still catch), so a change to the example or to a
 * gate that undoes the protection fails here.
 */
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../lib/engine/engine.js';
import type { Decision } from '../../lib/engine/types.js';
import { loadRules } from '../../lib/rules/load.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/rules/china-ingress.yaml', import.meta.url));
const SEC = 1000;
const MIN = 60 * SEC;
// 10:00 in Shanghai on a Monday: daytime, outside the night scope.
const T0 = Date.UTC(2025, 2, 3, 2, 0, 0);

type Outcome = { status: number; talk?: number };
const answered = (talk: number): Outcome => ({ status: 200, talk });
const cancelled: Outcome = { status: 487 };
const unavailable: Outcome = { status: 480 };

let seq = 0;
/** Place one call and report its outcome unless it was rejected (a rejected call has none). */
function place(e: Engine, at: number, caller: string, callee: string, o: Outcome): Decision {
  const callId = `g${++seq}`;
  const d = e.decide({ callId, at, caller, callee, source: '192.0.2.1' });
  if (d.action === 'reject') return d;
  const ring = 15 * SEC;
  if (o.status === 200) {
    e.observe({ callId, at: at + ring, status: 200 });
    e.observe({ callId, at: at + ring + (o.talk ?? 0) * SEC, endedAt: at + ring + (o.talk ?? 0) * SEC });
  } else e.observe({ callId, at: at + ring, status: o.status });
  return d;
}

/** A Chinese mobile number, different for each i. */
const callee = (i: number): string => `+86139${String(10_000_000 + i).slice(-8)}`;

async function example(): Promise<Engine> {
  return new Engine(await loadRules(EXAMPLE));
}

t.test('a dialler that reaches nobody is still rejected', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  for (let i = 0; i < 20; i++) ds.push(place(e, T0 + i * 2 * MIN, '+442079460001', callee(i), i % 3 === 0 ? answered(6) : cancelled));
  const first = ds.findIndex((d) => d.action === 'reject');
  t.ok(first >= 0, 'rejected within 20 calls');
  t.ok(first >= 9, `not on thin evidence (first reject at call ${first + 1})`);
  t.match(ds[first]!.reasons.map((r) => r.signal).join(' '), /unanswered/);
});

t.test('confidence: ten calls that happen to reach nobody do not reject a caller', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  // The 11th call is decided on 10 completed calls, all unanswered, to 10 numbers.
  for (let i = 0; i < 11; i++) ds.push(place(e, T0 + i * 2 * MIN, '+442079460002', callee(100 + i), unavailable));
  t.notOk(ds.some((d) => d.action === 'reject'), `scores ${ds.map((d) => d.score).join(',')}`);
});

t.test('min_conversations: a call centre answered a quarter of the time that talks is left alone', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  // 60 calls in 2 h, one in four answered and a conversation of 2 minutes: 75% no conversation.
  for (let i = 0; i < 60; i++) ds.push(place(e, T0 + i * 2 * MIN, '+6531580001', callee(200 + i), i % 4 === 1 ? answered(120) : unavailable));
  t.notOk(ds.some((d) => d.action === 'reject'), `scores ${ds.map((d) => d.score).join(',')}`);
  t.notOk(ds.slice(12).some((d) => d.action !== 'forward'), 'once it has three conversations it is not even tagged');
});

t.test('max_answered: voice OTP, answered and short by design, is not rejected', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  // 80 calls in 40 minutes to new numbers, 17 of 20 answered, every one over in 10 s.
  for (let i = 0; i < 80; i++) ds.push(place(e, T0 + i * 30 * SEC, '+6531580002', callee(300 + i), i % 20 < 17 ? answered(10) : cancelled));
  t.notOk(ds.some((d) => d.action === 'reject'), `scores ${ds.map((d) => d.score).join(',')}`);
});

t.test('max_answered: a notification dialler answered three times in five, every answer short, is not rejected', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  // 60 calls in an hour to new numbers, 3 of 5 answered and over in 15 s, the rest cancelled after ringing:
  // all of them "no conversation", but cold lists are not answered like that.
  for (let i = 0; i < 60; i++) ds.push(place(e, T0 + i * MIN, '+6531580003', callee(500 + i), i % 5 < 3 ? answered(15) : cancelled));
  t.notOk(ds.some((d) => d.action === 'reject'), `scores ${ds.map((d) => d.score).join(',')}`);
});

t.test('national_cap: a foreign national number scores below the tag threshold, the same range with +86 is rejected', async (t) => {
  const e = await example();
  // A Hong Kong number sent in its national format reads as an unallocated Chinese range:
  // 30 points, counted beside other evidence but no tag on its own (a carrier sends its
  // national format for every caller, and families calling home would all be tagged).
  const hk = place(e, T0, '87846671', callee(400), answered(60));
  t.equal(hk.action, 'forward');
  t.equal(hk.score, 30);
  t.match(hk.reasons[0]!.detail, /presented without country code/);
  t.equal(place(e, T0 + MIN, '+8687846671', callee(401), answered(60)).action, 'reject');
  // The same Beijing fixed line written in fullwidth digits shows as a home number on the callee's screen.
  const wide = place(e, T0 + MIN, 'sip:＋８６１０６５５２９９８８@gw', callee(404), answered(60));
  t.equal(wide.action, 'reject', 'fullwidth digits do not hide a home caller ID');
  t.equal(wide.rejectedBy, 'domestic-cli');
  // A London number in the UK national format reads as a valid Guangzhou fixed line: 30 as well.
  const london = place(e, T0 + MIN, '02079460123', callee(403), answered(60));
  t.equal(london.action, 'forward');
  t.same(london.reasons.map((r) => [r.signal, r.points]), [['domestic-national-cli', 30]]);
  // Six digits are no national number: junk, scored as an unallocated range (60, a tag on its own).
  const junk = place(e, T0 + 2 * MIN, '604801', callee(402), answered(60));
  t.equal(junk.action, 'tag', 'six digits are no national number: junk');
  t.same(junk.reasons.map((r) => [r.signal, r.points]), [['invalid-cli', 60]]);
});

/** A call whose outcome comes after `ringSec` of ringing (the quick_ring of the example is 8 s). */
function placeRing(e: Engine, at: number, caller: string, to: string, status: number, ringSec: number, talk = 0): Decision {
  const callId = `r${++seq}`;
  const d = e.decide({ callId, at, caller, callee: to, source: '192.0.2.1' });
  if (d.action === 'reject') return d;
  e.observe({ callId, at: at + ringSec * SEC, status });
  if (status === 200) e.observe({ callId, at: at + (ringSec + talk) * SEC, endedAt: at + (ringSec + talk) * SEC });
  return d;
}

t.test('block-wangiri: one-ring bait rotated through a block is caught before any of its numbers is', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  // 30 caller IDs of one block, each ringing two numbers for 4 s and hanging up: no number reaches wangiri's 5.
  for (let i = 0; i < 60; i++) {
    const caller = `+4479111230${String(Math.floor(i / 2)).padStart(2, '0')}`;
    ds.push(placeRing(e, T0 + i * 40 * SEC, caller, callee(300 + i), 487, 4));
  }
  const first = ds.findIndex((d) => d.reasons.some((r) => r.signal === 'block-wangiri' && r.points > 0));
  t.ok(first >= 0 && first < 20, `block-wangiri scores by call ${first + 1}`);
  t.ok(ds.slice(first).every((d) => d.action !== 'forward'), 'every later call tagged or rejected');
  t.ok(ds.some((d) => d.action === 'reject'), 'rejected with the other block signals');
  t.notOk(ds.some((d) => d.reasons.some((r) => r.signal === 'wangiri' && r.points > 0)), 'no single number is a wangiri caller');
});

t.test('block-wangiri: a crowded range of people who sometimes hang up quickly is left alone', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  // 40 people in one range: most calls answered and talked, some ring out, one in eight given up within seconds.
  for (let i = 0; i < 120; i++) {
    const caller = `+4479111240${String(i % 40).padStart(2, '0')}`;
    const k = i % 8;
    const d = k === 0 ? placeRing(e, T0 + i * 30 * SEC, caller, callee(500 + i), 487, 4)
      : k < 3 ? placeRing(e, T0 + i * 30 * SEC, caller, callee(500 + i), 487, 25)
      : placeRing(e, T0 + i * 30 * SEC, caller, callee(500 + i), 200, 10, 180);
    ds.push(d);
  }
  t.notOk(ds.some((d) => d.reasons.some((r) => r.signal === 'block-wangiri' && r.points > 0)), 'never scored');
  t.notOk(ds.some((d) => d.action === 'reject'), 'nobody rejected');
});

/** The i-th of many different foreign mobiles, each from a different block (no block evidence). */
const floodCaller = (i: number): string => `+4479${String(10 + (i % 80)).padStart(2, '0')}${String(100_000 + i * 7).slice(-6)}`;

t.test('callee-flood: a TDoS of busy and dropped calls from fresh callers is rejected while it lasts', async (t) => {
  const e = await example();
  const victim = '+862088880001';
  const ds: Decision[] = [];
  // 60 callers in 10 minutes, none seen before. The line answers most of them busy, picks up and drops
  // some, and holds a conversation now and then: enough that callee-unanswered stands down.
  for (let i = 0; i < 60; i++) {
    const k = i % 6;
    ds.push(placeRing(e, T0 + i * 10 * SEC, floodCaller(i), victim, k < 2 ? 200 : 486, 2, k === 0 ? 60 : 5));
  }
  t.notOk(ds.some((d) => d.reasons.some((r) => r.signal === 'callee-unanswered' && r.points > 0)), 'callee-unanswered never scores');
  const first = ds.findIndex((d) => d.action === 'reject');
  t.ok(first >= 30, `not before 30 different callers (first reject at call ${first + 1})`);
  t.ok(first >= 0 && first < 50, 'rejected within the flood');
  const d = ds[first]!;
  t.equal(d.code, 603);
  t.equal(d.rejectedBy, 'callee-flood');
  t.match(d.reasons.find((r) => r.signal === 'callee-flood')?.detail, /callee/);
  t.ok(ds.slice(first).every((x) => x.action === 'reject'), 'every later call of the flood rejected');
  // No hold: a flood caller calling someone else is judged on its own record.
  t.equal(placeRing(e, T0 + 11 * MIN, floodCaller(59), callee(900), 200, 5, 120).action, 'forward');
  // Once the flood is over (a window later), the line is reachable again.
  t.equal(placeRing(e, T0 + 25 * MIN, '+33612345678', victim, 200, 5, 120).action, 'forward');
});

t.test('callee-flood: a hotline in a rush whose answered callers talk is left alone', async (t) => {
  const e = await example();
  const hotline = '+861095583000';
  const ds: Decision[] = [];
  // 45 different callers in 10 minutes (under callee-surge's 50); half get busy, half are answered and talk for minutes.
  for (let i = 0; i < 45; i++) ds.push(placeRing(e, T0 + i * 13 * SEC, floodCaller(i), hotline, i % 2 === 0 ? 486 : 200, 3, 240));
  t.notOk(ds.some((d) => d.action === 'reject'), 'nobody rejected');
  t.notOk(ds.some((d) => d.reasons.some((r) => r.signal === 'callee-flood' && r.points > 0)), 'never scored');
});

t.test('callee-surge: a flood that holds the line open is rejected on its volume alone', async (t) => {
  const e = await example();
  const victim = '+862088880002';
  const ds: Decision[] = [];
  // 70 fresh callers in 10 minutes whose answered calls talk, as bots playing audio to tie up the lines do.
  for (let i = 0; i < 70; i++) ds.push(placeRing(e, T0 + i * 8 * SEC, floodCaller(i), victim, i % 2 === 0 ? 200 : 486, 1, 150));
  const first = ds.findIndex((d) => d.action === 'reject');
  t.ok(first >= 49 && first <= 50, `from the 50th different caller (first reject at call ${first + 1})`);
  t.equal(ds[first]?.rejectedBy, 'callee-surge');
  t.equal(ds[first]?.code, 603);
  t.notOk(ds.some((d) => d.reasons.some((r) => r.signal === 'callee-flood' && r.points > 0)), 'the no-conversation test does not see it');
});

t.test('callee-surge: a conference bridge 40 people dial into at the hour is left alone', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  for (let i = 0; i < 40; i++) ds.push(placeRing(e, T0 + i * 10 * SEC, floodCaller(100 + i), '+861065550123', 200, 3, 3000));
  t.notOk(ds.some((d) => d.action !== 'forward'), 'every call forwarded');
});

t.test('a reject the points decide says it was screening, in the Reason header, without naming the test', async (t) => {
  const e = await example();
  const ds: Decision[] = [];
  for (let i = 0; i < 20; i++) ds.push(place(e, T0 + i * 2 * MIN, '+442079460003', callee(700 + i), i % 3 === 0 ? answered(6) : cancelled));
  const byScore = ds.find((d) => d.rejectedBy === 'score');
  t.ok(byScore, 'rejected on its points');
  t.equal(byScore?.code, 608);
  t.equal(byScore?.headers?.Reason, 'SIP;cause=608;text="Rejected by call screening"');
  const byHold = ds.find((d) => d.rejectedBy === 'hold');
  t.equal(byHold?.headers?.Reason, 'SIP;cause=608;text="Rejected by call screening"', 'a hold says the same');
});
