/**
 * `ringfence generate`: realistic, labelled international-ingress traffic
 * into a home country, deterministic for a seed.
 *
 * A small discrete-event simulation: each population (people calling
 * family, businesses calling customers, a hotel's switchboard, a Wangiri
 * campaign, ...) is an actor that wakes up, schedules calls at or after
 * "now" and names its next wake-up. One min-heap orders calls and wake-ups
 * by (time, sequence), so output is sorted by timestamp and reproducible,
 * and memory holds only what is scheduled ahead, never the whole day.
 *
 * Every actor draws from its own named child stream of the seed, so changing
 * one population's size does not reshuffle another's calls. Population
 * sizes, burst sizes, rates and answer rates are themselves drawn from the
 * seed, so a rules file tuned on one seed is tested on different traffic by
 * the next. Fraud shares routes (sources) and number formats with legitimate
 * traffic: no single column gives it away.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { MinHeap } from './heap.js';
import {
  BAIT_COUNTRIES, CALLER_MIX, PLANS, UIFN, invalidNumber, isValid, present, validFrom, validInBlock, validNumber, homeNumber,
  type CountryPlan, type Format,
} from './numbering.js';
import { Rng, clamp } from './rng.js';

export interface GenerateOptions {
  /** Length of the traffic, hours (default 24). */
  hours?: number;
  /** Seed (default 1). */
  seed?: number;
  /** Volume multiplier: population sizes and campaign counts scale with it (default 1, about 60k calls a day). */
  scale?: number;
  /** Home country, ISO 3166 alpha-2 (default CN). */
  home?: string;
  /** Start: ISO 8601 or epoch ms (default Monday 2025-03-03 00:00 home time). */
  start?: string | number;
}

export interface GeneratedCall {
  /** INVITE time, epoch ms. */
  at: number;
  callId: string;
  /** Caller as presented on the wire. */
  caller: string;
  callee: string;
  source: string;
  status: number;
  /** Seconds from INVITE to final response. */
  ring: number;
  /** Talk seconds (0 unless answered). */
  duration: number;
  /** 'legit' or the fraud kind. */
  label: string;
  /** Population that made the call (legitimate ones too: person, redial, business, popular-line, conference). */
  kind: string;
}

export const LEGIT_KINDS = ['person', 'redial', 'business', 'popular-line', 'conference', 'roaming'] as const;
export const FRAUD_KINDS = ['wangiri', 'robocall', 'rotating-cli', 'spoofed-home', 'fan-in', 'toll-free-cli', 'nuisance', 'invalid-cli'] as const;

export const CSV_HEADER = 'timestamp,call_id,caller,callee,source,status,ring,duration,label,kind';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ---- diurnal profiles (activity by local hour, 0..1) -------------------------

/** People: quiet at night, peaks late morning and evening. */
const PERSONAL = [0.25, 0.12, 0.06, 0.04, 0.04, 0.08, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.85, 0.8, 0.8, 0.8, 0.8, 0.85, 0.9, 1, 1, 0.95, 0.75, 0.45];
/** Call centres: office hours with a lunch dip. */
const OFFICE = [0, 0, 0, 0, 0, 0, 0, 0.05, 0.4, 0.9, 1, 1, 0.7, 0.8, 1, 1, 0.95, 0.8, 0.4, 0.15, 0.05, 0, 0, 0];
/** Hotels, consulates, airline desks: long opening hours. */
const DESK = [0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.2, 0.5, 0.8, 1, 1, 1, 0.9, 0.9, 1, 1, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2];
/** Fraud runs from abroad around the clock, a little more in the target's daytime. */
const FLAT = [0.5, 0.4, 0.35, 0.3, 0.3, 0.35, 0.5, 0.7, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.95, 0.9, 0.8, 0.6];

function level(profile: readonly number[], t: number, utcHours: number): number {
  let h = (t / HOUR + utcHours) % 24;
  if (h < 0) h += 24;
  const i = Math.floor(h);
  const f = h - i;
  return (profile[i] as number) * (1 - f) + (profile[(i + 1) % 24] as number) * f;
}

function mean(profile: readonly number[]): number {
  return profile.reduce((a, b) => a + b, 0) / profile.length;
}

/** Day of week (0 Sunday) at local time. */
function weekday(t: number, utcHours: number): number {
  return new Date(t + utcHours * HOUR).getUTCDay();
}

// ---- routes: ingress peers and the formats each one sends ---------------------

interface Source {
  name: string;
  caller: readonly (readonly [Format, number])[];
  callee: readonly (readonly [Format, number])[];
}

/**
 * International peers (documentation address ranges and a trunk name). Each
 * has its own habits for caller and callee formats, as real carriers do.
 */
const SOURCES: readonly Source[] = [
  { name: '198.51.100.10', caller: [['e164', 6], ['sip', 3], ['nameaddr', 0.5]], callee: [['e164', 7], ['sip', 3]] },
  { name: '198.51.100.23', caller: [['plain', 5], ['idd', 3], ['e164', 2]], callee: [['plain', 5], ['national', 5]] },
  { name: '203.0.113.5', caller: [['sip', 7], ['nameaddr', 1], ['e164', 2]], callee: [['sip', 8], ['e164', 2]] },
  { name: '203.0.113.41', caller: [['tel', 5], ['spaced', 2], ['e164', 3]], callee: [['e164', 5], ['national', 5]] },
  { name: 'trunk-sg-2', caller: [['idd', 6], ['dashed', 2], ['e164', 2]], callee: [['idd', 5], ['e164', 5]] },
  { name: '192.0.2.77', caller: [['e164', 3], ['plain', 2], ['idd', 2], ['spaced', 1], ['sip', 2], ['tel', 1]], callee: [['e164', 4], ['plain', 3], ['national', 3]] },
];
/** The wholesale route: cheapest, so everybody uses it some, and fraud a little more. */
const WHOLESALE = SOURCES.length - 1;

// ---- the simulation ---------------------------------------------------------------

interface Outcome {
  status: number;
  ring: number;
  duration: number;
}

interface Pending {
  t: number;
  seq: number;
  call?: { caller: string; callee: string; source: number; label: string; kind: string; o: Outcome };
  actor?: Actor;
}

interface Actor {
  /** Schedule what happens at t; return the next wake-up (Infinity when done). */
  wake(t: number): number;
}

const less = (a: Pending, b: Pending): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);

/** Per-seed knobs, drawn once so every seed is a slightly different world. */
interface World {
  home: CountryPlan;
  /** Caller countries (home excluded) with weights. */
  mix: (readonly [string, number])[];
  /** Per country: weighted sources. */
  routes: Map<string, (readonly [number, number])[]>;
  answer: number;
}

/** Times in the simulation are absolute epoch ms, so local hours and weekdays come straight from them. */
class Sim {
  readonly heap = new MinHeap<Pending>(less);
  private seq = 0;
  readonly end: number;

  constructor(readonly world: World, readonly begin: number, hours: number) {
    this.end = begin + hours * HOUR;
  }

  get days(): number {
    return (this.end - this.begin) / DAY;
  }

  at(t: number, actor: Actor): void {
    if (t < this.end) this.heap.push({ t, seq: this.seq++, actor });
  }

  /** Schedule a call; `caller` is E.164 (or raw junk for invalid CLIs), presented per the route at emission. */
  call(t: number, caller: string, callerIso: string, callee: string, label: string, kind: string, o: Outcome, rng: Rng, fraud = false): void {
    if (t < this.begin || t >= this.end) return;
    const source = this.route(callerIso, rng, fraud);
    this.heap.push({ t: Math.round(t), seq: this.seq++, call: { caller, callee, source, label, kind, o } });
  }

  route(iso: string, rng: Rng, fraud: boolean): number {
    const r = this.world.routes.get(iso) ?? this.world.routes.get('US')!;
    if (rng.chance(fraud ? 0.3 : 0.15)) return WHOLESALE;
    return rng.weighted(r);
  }
}

/** Countries a population draws callers from (the home country's own numbers are not foreign callers). */
function foreignMix(home: string, rng: Rng): (readonly [string, number])[] {
  // Jitter the mix per seed: which diaspora calls most differs between networks and weeks.
  return CALLER_MIX.filter(([c]) => c !== home && PLANS[c]).map(([c, w]) => [c, w * rng.uniform(0.6, 1.5)] as const);
}

function pickCountry(w: World, rng: Rng): string {
  return rng.weighted(w.mix);
}

/** Ring time before an answer, seconds. */
const answerRing = (rng: Rng, median = 9): number => clamp(rng.logNormal(median, 0.45), 1.2, 45);

/** Outcome of an unanswered person-to-person attempt, by why it was not answered. */
function missed(rng: Rng, why: 'busy' | 'off' | 'noanswer' | 'other'): Outcome {
  switch (why) {
    case 'busy':
      return { status: 486, ring: rng.uniform(0.3, 2.5), duration: 0 };
    case 'off': // switched off / out of coverage: the network answers quickly with an announcement then fails
      return { status: 480, ring: rng.uniform(1, 6), duration: 0 };
    case 'noanswer':
      return rng.chance(0.7)
        ? { status: 487, ring: clamp(rng.logNormal(25, 0.35), 6, 60), duration: 0 }
        : { status: 480, ring: rng.uniform(40, 60), duration: 0 };
    default:
      return { status: rng.pick([404, 408, 503, 503, 480]), ring: rng.uniform(0.2, 3), duration: 0 };
  }
}

function whyMissed(rng: Rng): 'busy' | 'off' | 'noanswer' | 'other' {
  return rng.weighted([['busy', 12], ['off', 18], ['noanswer', 62], ['other', 8]] as const);
}

/** Lazily created numbers: pools cost a validation each, so only numbers actually dialled are built. */
class Pool {
  private readonly items: (string | undefined)[];
  constructor(size: number, private readonly make: (i: number) => string) {
    this.items = new Array<string | undefined>(Math.max(1, Math.round(size)));
  }
  get size(): number {
    return this.items.length;
  }
  get(i: number): string {
    let v = this.items[i];
    if (v === undefined) {
      v = this.make(i);
      this.items[i] = v;
    }
    return v;
  }
  pick(rng: Rng): string {
    return this.get(Math.floor(rng.next() * this.items.length));
  }
}

/** An index drawn by weight from cumulative weights: the first whose running total reaches a uniform draw over the whole. */
function pickCumulative(cum: Float64Array, rng: Rng): number {
  const u = rng.next() * (cum[cum.length - 1] as number);
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] as number) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Person {
  iso: string;
  num?: string;
  contacts?: string[];
  persistence: number;
}

/** Foreign people with family and friends in the home country: the bulk of legitimate traffic. */
class People implements Actor {
  readonly persons: Person[];
  private readonly cum: Float64Array;
  private readonly rate: number;
  private readonly duration: number;

  constructor(private readonly sim: Sim, private readonly rng: Rng, private readonly homes: Pool, scale: number) {
    const w = sim.world;
    const n = Math.max(50, Math.round(rng.uniform(8000, 14000) * scale));
    this.persons = [];
    this.cum = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) {
      this.persons.push({ iso: pickCountry(w, rng), persistence: rng.uniform(0.05, 0.75) });
      // Heavy-tailed activity: a few people call home every day, most now and then.
      acc += Math.min(40, 1 / Math.pow(rng.uniform(0.02, 1), 0.9));
      this.cum[i] = acc;
    }
    const perDay = rng.uniform(30000, 50000) * scale;
    // Thinning: candidates at the peak rate, accepted by the home and the caller's local hour.
    this.rate = perDay / DAY / (mean(PERSONAL) * (0.35 + 0.65 * mean(PERSONAL)));
    this.duration = rng.uniform(80, 150);
  }

  pickPerson(rng: Rng): Person {
    return this.persons[pickCumulative(this.cum, rng)] as Person;
  }

  numberOf(p: Person, rng: Rng): string {
    p.num ??= validNumber(p.iso, rng.chance(0.75) ? 'mobile' : 'fixed', rng);
    return p.num;
  }

  start(): number {
    return this.sim.begin + this.rng.exp(1 / this.rate);
  }

  wake(t: number): number {
    const rng = this.rng;
    const w = this.sim.world;
    const p = this.pickPerson(rng);
    const plan = PLANS[p.iso] as CountryPlan;
    const accept = level(PERSONAL, t, w.home.utc) * (0.35 + 0.65 * level(PERSONAL, t, plan.utc));
    if (rng.chance(accept)) this.callHome(t, p);
    return t + rng.exp(1 / this.rate);
  }

  private callHome(t: number, p: Person): void {
    const rng = this.rng;
    const w = this.sim.world;
    if (!p.contacts) {
      p.contacts = [];
      for (let k = rng.int(1, 3); k > 0; k--) p.contacts.push(this.homes.pick(rng));
    }
    const callee = rng.chance(0.9) ? rng.pick(p.contacts) : this.homes.pick(rng);
    // Withheld caller IDs exist in legitimate traffic too.
    const caller = rng.chance(0.003) ? 'anonymous' : this.numberOf(p, rng);
    const night = level(PERSONAL, t, w.home.utc) < 0.2 ? 0.7 : 1;
    let why: ReturnType<typeof whyMissed> | null = null;
    let at = t;
    let persist = p.persistence;
    for (let attempt = 0; attempt < 10; attempt++) {
      const kind = attempt === 0 ? 'person' : 'redial';
      let o: Outcome;
      // A phone that was off or busy a minute ago mostly still is.
      const sticky: boolean = why !== null && rng.chance(0.6);
      if (!sticky && rng.chance(w.answer * night)) {
        o = { status: 200, ring: answerRing(rng), duration: clamp(rng.logNormal(this.duration, 1.1), 2, 7200) };
      } else {
        why = sticky && why ? why : whyMissed(rng);
        o = missed(rng, why);
      }
      this.sim.call(at, caller, p.iso, callee, 'legit', kind, o, rng);
      if (o.status === 200 || !rng.chance(persist)) break;
      // Relatives redial a line that does not answer, sometimes many times.
      persist *= 0.85;
      at += (o.ring + clamp(rng.logNormal(75, 0.9), 10, 2400)) * S;
    }
  }
}

/**
 * The home network's own subscribers abroad (travellers, students, crews)
 * calling home with their home mobile as caller ID, as CS roaming presents
 * it: the legitimate twin of spoofed-home. Numbers come from
 * roamingSubscribers(), so the HLR export of a run (--roaming-out) lists them.
 */
class Roamers implements Actor {
  private readonly roamers: { num: string; iso: string; contacts: string[] }[] = [];
  private readonly cum: Float64Array;
  private readonly rate: number;

  constructor(private readonly sim: Sim, private readonly rng: Rng, numbers: readonly string[]) {
    const w = sim.world;
    this.cum = new Float64Array(numbers.length);
    let acc = 0;
    for (const [i, num] of numbers.entries()) {
      // Their own draws, not the shared pool of home numbers: a pool number is made on first use, so
      // picking from it here would have renumbered every other population's callees.
      const contacts: string[] = [];
      for (let k = rng.int(1, 4); k > 0; k--) contacts.push(homeNumber(w.home.iso, rng.chance(0.7) ? 'mobile' : 'fixed', rng));
      this.roamers.push({ num, iso: pickCountry(w, rng), contacts });
      acc += Math.min(20, 1 / Math.pow(rng.uniform(0.05, 1), 0.8));
      this.cum[i] = acc;
    }
    // 0.5-2 calls a day per roamer on average, a few far more.
    const perDay = numbers.length * rng.uniform(0.5, 2);
    this.rate = perDay / DAY / (mean(PERSONAL) * (0.35 + 0.65 * mean(PERSONAL)));
  }

  start(): number {
    return this.roamers.length ? this.sim.begin + this.rng.exp(1 / this.rate) : Infinity;
  }

  wake(t: number): number {
    const rng = this.rng;
    const w = this.sim.world;
    const r = this.roamers[pickCumulative(this.cum, rng)] as (typeof this.roamers)[number];
    const plan = PLANS[r.iso] as CountryPlan;
    if (rng.chance(level(PERSONAL, t, w.home.utc) * (0.35 + 0.65 * level(PERSONAL, t, plan.utc)))) {
      // Mostly family and the office; now and then a bank, an airline or a hotel at home.
      const callee = rng.chance(0.85) ? rng.pick(r.contacts) : homeNumber(w.home.iso, rng.chance(0.5) ? 'mobile' : 'fixed', rng);
      let at = t;
      for (let k = 0; k < 3; k++) {
        const o: Outcome = rng.chance(w.answer)
          ? { status: 200, ring: answerRing(rng), duration: clamp(rng.logNormal(110, 1.1), 3, 5400) }
          : missed(rng, whyMissed(rng));
        this.sim.call(at, r.num, r.iso, callee, 'legit', 'roaming', o, rng);
        if (o.status === 200 || !rng.chance(0.4)) break;
        at += (o.ring + clamp(rng.logNormal(90, 0.8), 15, 1800)) * S;
      }
    }
    return t + rng.exp(1 / this.rate);
  }
}

/**
 * The home subscribers registered abroad during a run, as an HLR/HSS export
 * would list them: those that call home in the traffic (first `calling`)
 * and the larger number that stay silent. Deterministic for the options.
 */
export function roamingSubscribers(options: GenerateOptions = {}): { calling: string[]; all: string[] } {
  const o = checkOptions(options);
  const rng = new Rng(o.seed).fork('roaming');
  const home = (PLANS[o.home] as CountryPlan).iso;
  const n = Math.max(5, Math.round(rng.uniform(120, 360) * o.scale));
  const all = new Set<string>();
  while (all.size < n * 4) all.add(homeNumber(home, 'mobile', rng));
  const list = [...all];
  return { calling: list.slice(0, n), all: list };
}

/** Airlines, banks, couriers abroad calling customers: many callees, healthy answers, long calls. */
class Business implements Actor {
  private readonly clis: string[];
  private readonly iso: string;
  private readonly rate: number;
  private readonly customers: Pool;
  private readonly hours: readonly number[];
  private readonly answer: number;
  private readonly talk: number;

  constructor(private readonly sim: Sim, private readonly rng: Rng, homes: Pool) {
    const w = sim.world;
    this.iso = rng.weighted([['US', 4], ['GB', 3], ['SG', 3], ['HK', 3], ['JP', 2], ['DE', 2], ['AU', 2], ['AE', 2], ['KR', 1], ['FR', 1], ['CA', 1]].filter(([c]) => c !== w.home.iso) as [string, number][]);
    const base = validNumber(this.iso, 'fixed', rng);
    // A call centre presents a few numbers from its own block.
    this.clis = [base];
    for (let k = rng.int(0, 3); k > 0; k--) this.clis.push(validInBlock(base, 2, rng));
    const perDay = Math.exp(rng.uniform(Math.log(150), Math.log(1500)));
    this.hours = rng.chance(0.4) ? DESK : OFFICE;
    this.rate = perDay / DAY / mean(this.hours);
    this.customers = new Pool(perDay * rng.uniform(1.5, 4), () => (rng.chance(0.3) ? homes.pick(rng) : homeNumber(w.home.iso, rng.chance(0.85) ? 'mobile' : 'fixed', rng)));
    this.answer = rng.uniform(0.55, 0.8);
    this.talk = rng.uniform(100, 260);
  }

  start(): number {
    return this.sim.begin + this.rng.exp(1 / this.rate);
  }

  wake(t: number): number {
    const rng = this.rng;
    const home = this.sim.world.home;
    const dow = weekday(t, home.utc);
    const weekend = dow === 0 || dow === 6 ? 0.25 : 1;
    if (rng.chance(level(this.hours, t, home.utc) * weekend)) {
      const callee = this.customers.pick(rng);
      const o = this.outcome();
      this.sim.call(t, rng.pick(this.clis), this.iso, callee, 'legit', 'business', o, rng);
      // One retry of a customer who did not answer, an hour or three later.
      if (o.status !== 200 && rng.chance(0.35)) this.sim.call(t + rng.uniform(1, 3) * HOUR, rng.pick(this.clis), this.iso, callee, 'legit', 'business', this.outcome(), rng);
    }
    return t + rng.exp(1 / this.rate);
  }

  private outcome(): Outcome {
    const rng = this.rng;
    if (rng.chance(this.answer)) return { status: 200, ring: answerRing(rng, 11), duration: clamp(rng.logNormal(this.talk, 0.8), 10, 3600) };
    return rng.weighted([
      [{ status: 480, ring: rng.uniform(27, 33), duration: 0 }, 60], // the dialler gives up at 30 s
      [{ status: 486, ring: rng.uniform(0.3, 2), duration: 0 }, 15],
      [{ status: 480, ring: rng.uniform(1, 5), duration: 0 }, 15],
      [{ status: 487, ring: rng.uniform(18, 30), duration: 0 }, 10],
    ] as const);
  }
}

/** A hotel, consulate or airline desk in the home country, called by many different foreigners. */
class PopularLine implements Actor {
  private readonly number: string;
  private readonly rate: number;
  private readonly answer: number;

  constructor(private readonly sim: Sim, private readonly rng: Rng, private readonly people: People) {
    this.number = homeNumber(sim.world.home.iso, 'fixed', rng);
    const perDay = rng.uniform(60, 500);
    this.rate = perDay / DAY / mean(DESK);
    this.answer = rng.uniform(0.75, 0.92);
  }

  start(): number {
    return this.sim.begin + this.rng.exp(1 / this.rate);
  }

  wake(t: number): number {
    const rng = this.rng;
    const w = this.sim.world;
    if (rng.chance(level(DESK, t, w.home.utc))) {
      let caller: string;
      let iso: string;
      if (rng.chance(0.55)) {
        const p = this.people.pickPerson(rng);
        caller = this.people.numberOf(p, rng);
        iso = p.iso;
      } else {
        // A traveller, never seen before.
        iso = pickCountry(w, rng);
        caller = validNumber(iso, 'mobile', rng);
      }
      let at = t;
      for (let k = 0; k < 3; k++) {
        const o: Outcome = rng.chance(this.answer)
          ? { status: 200, ring: answerRing(rng, 6), duration: clamp(rng.logNormal(150, 0.9), 5, 3600) }
          : rng.chance(0.5) ? { status: 486, ring: rng.uniform(0.5, 2), duration: 0 } : { status: 487, ring: clamp(rng.logNormal(20, 0.3), 5, 60), duration: 0 };
        this.sim.call(at, caller, iso, this.number, 'legit', 'popular-line', o, rng);
        if (o.status === 200 || !rng.chance(0.5)) break;
        at += (o.ring + rng.uniform(30, 120)) * S;
      }
    }
    return t + rng.exp(1 / this.rate);
  }
}

/** A conference bridge in the home country: a dozen countries dial it within minutes of each meeting. */
class Bridge implements Actor {
  private readonly number: string;
  private readonly roster: { iso: string; num?: string }[] = [];
  private readonly meetings: number[] = [];
  private next = 0;

  constructor(private readonly sim: Sim, private readonly rng: Rng) {
    const w = sim.world;
    this.number = homeNumber(w.home.iso, 'fixed', rng);
    const countries: string[] = [];
    for (let k = rng.int(6, 14); k > 0; k--) countries.push(pickCountry(w, rng));
    for (let k = rng.int(25, 60); k > 0; k--) this.roster.push({ iso: rng.pick(countries) });
    // Local midnights covering the run (a meeting may start before `begin` and still have late joiners).
    const utc = w.home.utc * HOUR;
    const first = Math.floor((sim.begin + utc) / DAY) * DAY - utc;
    for (let day = first; day < sim.end; day += DAY) {
      for (let m = rng.int(3, 10); m > 0; m--) {
        // Meetings start on the quarter hour, mostly in home office hours, some at global-friendly odd hours.
        const localHour = rng.chance(0.7) ? rng.int(8, 17) : rng.int(6, 23);
        const t = day + localHour * HOUR + rng.int(0, 3) * 15 * MIN;
        if (t + 5 * MIN >= sim.begin && t < sim.end) this.meetings.push(t);
      }
    }
    this.meetings.sort((a, b) => a - b);
  }

  start(): number {
    return this.meetings.length ? Math.max(this.sim.begin, (this.meetings[0] as number) - 5 * MIN) : Infinity;
  }

  wake(_t: number): number {
    const rng = this.rng;
    const begin = this.meetings[this.next++] as number;
    const length = rng.pick([30, 45, 60, 60, 90]) * MIN;
    const n = Math.min(this.roster.length, rng.int(6, 25));
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(rng.int(0, this.roster.length - 1));
    for (const i of chosen) {
      const who = this.roster[i]!;
      who.num ??= validNumber(who.iso, rng.chance(0.6) ? 'mobile' : 'fixed', rng);
      let join = begin + clamp(rng.normal() * 90 + 60, -180, 600) * S;
      const leave = begin + length + rng.normal() * 3 * MIN;
      if (rng.chance(0.03)) {
        // The bridge port was busy: dial again a little later.
        this.sim.call(join, who.num, who.iso, this.number, 'legit', 'conference', { status: rng.pick([486, 503]), ring: rng.uniform(0.3, 2), duration: 0 }, rng);
        join += rng.uniform(20, 60) * S;
      }
      const ring = rng.uniform(0.3, 2);
      if (rng.chance(0.1)) {
        // Dropped mid-meeting and rejoined.
        const drop = join + rng.uniform(0.2, 0.7) * (leave - join);
        this.sim.call(join, who.num, who.iso, this.number, 'legit', 'conference', { status: 200, ring, duration: Math.max(30, (drop - join) / S - ring) }, rng);
        join = drop + rng.uniform(10, 60) * S;
      }
      this.sim.call(join, who.num, who.iso, this.number, 'legit', 'conference', { status: 200, ring, duration: Math.max(30, (leave - join) / S - ring) }, rng);
    }
    const nxt = this.meetings[this.next];
    return nxt === undefined ? Infinity : Math.max(_t, nxt - 5 * MIN);
  }
}

// ---- fraud ---------------------------------------------------------------------------

/** A time in [0, end) drawn with a profile of home-local activity. */
function profiledTime(sim: Sim, rng: Rng, profile: readonly number[]): number {
  for (let i = 0; i < 100; i++) {
    const t = rng.uniform(sim.begin, sim.end);
    if (rng.chance(level(profile, t, sim.world.home.utc))) return t;
  }
  return rng.uniform(sim.begin, sim.end);
}

/** A fresh callee in the home country: mostly random mobiles, some real customers of the network. */
function victim(sim: Sim, rng: Rng, homes: Pool): string {
  return rng.chance(0.15) ? homes.pick(rng) : homeNumber(sim.world.home.iso, rng.chance(0.9) ? 'mobile' : 'fixed', rng);
}

/** Scam calls that someone answers and stays on for a while: spoofed and toll-free caller IDs. */
function scamOutcome(rng: Rng, answer: number): Outcome {
  if (rng.chance(answer)) return { status: 200, ring: answerRing(rng, 8), duration: clamp(rng.logNormal(60, 1.2), 2, 3600) };
  return rng.chance(0.65) ? { status: 487, ring: rng.uniform(15, 40), duration: 0 } : { status: 480, ring: rng.uniform(20, 45), duration: 0 };
}

/** Wangiri: bursts of one-ring calls across many callees, hoping for expensive call-backs. */
class Wangiri implements Actor {
  private readonly clis: string[];
  private readonly iso: string;
  private readonly bursts: number[];
  private readonly rotate: boolean;
  private next = 0;

  constructor(private readonly sim: Sim, private readonly rng: Rng, private readonly homes: Pool) {
    const w = sim.world;
    this.iso = rng.chance(0.6) ? rng.pick(BAIT_COUNTRIES.filter((c) => c !== w.home.iso)) : pickCountry(w, rng);
    const base = validNumber(this.iso, rng.chance(0.5) ? 'mobile' : 'fixed', rng);
    this.clis = [base];
    for (let k = rng.int(0, 5); k > 0; k--) this.clis.push(rng.chance(0.5) ? validInBlock(base, 3, rng) : validNumber(this.iso, 'mobile', rng));
    this.rotate = rng.chance(0.3);
    this.bursts = [];
    for (let k = Math.max(1, Math.round(rng.int(1, 4) * Math.min(1, sim.days))); k > 0; k--) this.bursts.push(profiledTime(sim, rng, FLAT));
    this.bursts.sort((a, b) => a - b);
  }

  start(): number {
    return this.bursts[0] ?? Infinity;
  }

  wake(t: number): number {
    const rng = this.rng;
    const size = Math.round(rng.uniform(40, 350) * rng.uniform(0.6, 1.4));
    const span = rng.uniform(4, 45) * MIN;
    const cli = rng.pick(this.clis);
    const sweep = rng.chance(0.5);
    // Sweeps walk a number range; the first number is a real one.
    let cursor = homeNumber(this.sim.world.home.iso, 'mobile', rng);
    const step = rng.int(1, 13);
    for (let i = 0; i < size; i++) {
      const at = t + rng.next() * span;
      let callee: string;
      if (sweep) {
        cursor = '+' + (BigInt(cursor.slice(1)) + BigInt(step)).toString();
        // Past the end of an allocated range the sweep jumps elsewhere, as bait diallers skip dead numbers.
        if (!isValid(cursor)) cursor = homeNumber(this.sim.world.home.iso, 'mobile', rng);
        callee = cursor;
      } else callee = victim(this.sim, rng, this.homes);
      const r = rng.next();
      const o: Outcome = r < 0.03 ? { status: 200, ring: rng.uniform(1, 3), duration: rng.uniform(1, 8) }
        : r < 0.07 ? { status: 486, ring: rng.uniform(0.3, 1), duration: 0 }
        : r < 0.12 ? { status: 480, ring: rng.uniform(0.5, 3), duration: 0 }
        : { status: 487, ring: clamp(rng.logNormal(2.5, 0.35), 0.8, 7), duration: 0 };
      this.sim.call(at, this.rotate ? rng.pick(this.clis) : cli, this.iso, callee, 'wangiri', 'wangiri', o, rng, true);
    }
    this.next++;
    const nxt = this.bursts[this.next];
    return nxt === undefined ? Infinity : Math.max(t, nxt);
  }
}

/** Shared shape of fraud that calls at a steady rate inside active windows. */
abstract class Windowed implements Actor {
  protected windows: [number, number][] = [];
  private w = 0;
  protected abstract readonly perMinute: number;

  constructor(protected readonly sim: Sim, protected readonly rng: Rng) {}

  protected plan(count: number, minH: number, maxH: number): void {
    // A run shorter than a day sees proportionally fewer windows (at least one).
    count = Math.max(1, Math.round(count * Math.min(1, this.sim.days)));
    for (let k = 0; k < count; k++) {
      const from = profiledTime(this.sim, this.rng, FLAT);
      this.windows.push([from, from + this.rng.uniform(minH, maxH) * HOUR]);
    }
    this.windows.sort((a, b) => a[0] - b[0]);
  }

  start(): number {
    return this.windows[0]?.[0] ?? Infinity;
  }

  protected gap(): number {
    return this.rng.exp(MIN / this.perMinute);
  }

  wake(t: number): number {
    let win = this.windows[this.w];
    while (win && t >= win[1]) win = this.windows[++this.w];
    if (!win) return Infinity;
    if (t >= win[0]) this.fire(t);
    const n = t + this.gap();
    return n < win[0] ? win[0] : n;
  }

  protected abstract fire(t: number): void;
}

/** Robocallers: a dialler with one to three caller IDs, many callees, short answered calls. */
class Robocall extends Windowed {
  private readonly clis: string[] = [];
  private readonly iso: string;
  protected readonly perMinute: number;
  private readonly answer: number;
  private readonly talk: number;

  constructor(sim: Sim, rng: Rng, private readonly homes: Pool) {
    super(sim, rng);
    this.iso = pickCountry(sim.world, rng);
    for (let k = rng.int(1, 3); k > 0; k--) this.clis.push(validNumber(this.iso, rng.chance(0.5) ? 'mobile' : 'fixed', rng));
    this.perMinute = rng.uniform(0.5, 5);
    this.answer = rng.uniform(0.25, 0.55);
    this.talk = rng.uniform(8, 25);
    this.plan(rng.int(1, 3), 1, 5);
  }

  protected fire(t: number): void {
    const rng = this.rng;
    const o: Outcome = rng.chance(this.answer)
      ? { status: 200, ring: answerRing(rng, 7), duration: clamp(rng.logNormal(this.talk, 0.7), 1, 400) }
      : rng.weighted([
          [{ status: 487, ring: rng.uniform(15, 35), duration: 0 }, 60],
          [{ status: 480, ring: rng.uniform(20, 40), duration: 0 }, 30],
          [{ status: 486, ring: rng.uniform(0.3, 2), duration: 0 }, 10],
        ] as const);
    this.sim.call(t, rng.pick(this.clis), this.iso, victim(this.sim, rng, this.homes), 'robocall', 'robocall', o, rng, true);
  }
}

/** Every call from a different number of one block: per-number counters never see more than one call. */
class Rotating extends Windowed {
  private readonly base: string;
  private readonly free: number;
  private readonly iso: string;
  protected readonly perMinute: number;
  private readonly bait: boolean;

  constructor(sim: Sim, rng: Rng, private readonly homes: Pool) {
    super(sim, rng);
    this.iso = pickCountry(sim.world, rng);
    this.base = validNumber(this.iso, rng.chance(0.5) ? 'mobile' : 'fixed', rng);
    this.free = rng.int(2, 4);
    this.perMinute = rng.uniform(0.5, 4);
    this.bait = rng.chance(0.4);
    this.plan(1, 1, 6);
  }

  protected fire(t: number): void {
    const rng = this.rng;
    const cli = validInBlock(this.base, this.free, rng);
    let o: Outcome;
    if (this.bait) o = rng.chance(0.9) ? { status: 487, ring: clamp(rng.logNormal(3, 0.4), 0.8, 9), duration: 0 } : { status: 200, ring: rng.uniform(1, 4), duration: rng.uniform(1, 10) };
    else o = rng.chance(0.4) ? { status: 200, ring: answerRing(rng, 7), duration: clamp(rng.logNormal(15, 0.7), 1, 300) } : { status: 487, ring: rng.uniform(12, 35), duration: 0 };
    this.sim.call(t, cli, this.iso, victim(this.sim, rng, this.homes), 'rotating-cli', 'rotating-cli', o, rng, true);
  }
}

/** Slow and steady: one call every few minutes for many hours, under any per-minute limit. */
class Nuisance extends Windowed {
  private readonly cli: string;
  private readonly iso: string;
  protected readonly perMinute: number;
  private readonly targets: string[] = [];
  private readonly answer: number;

  constructor(sim: Sim, rng: Rng, private readonly homes: Pool) {
    super(sim, rng);
    this.iso = pickCountry(sim.world, rng);
    this.cli = validNumber(this.iso, rng.chance(0.6) ? 'mobile' : 'fixed', rng);
    this.perMinute = 1 / rng.uniform(3, 10);
    if (rng.chance(0.3)) for (let k = rng.int(5, 30); k > 0; k--) this.targets.push(victim(sim, rng, homes));
    this.answer = rng.uniform(0.15, 0.35);
    this.plan(1, 6, 20);
  }

  protected override gap(): number {
    // Regular rather than Poisson: a scheduler, not people.
    return clamp(this.rng.logNormal(MIN / this.perMinute, 0.35), 30 * S, 40 * MIN);
  }

  protected fire(t: number): void {
    const rng = this.rng;
    const callee = this.targets.length ? rng.pick(this.targets) : victim(this.sim, rng, this.homes);
    const o: Outcome = rng.chance(this.answer)
      ? { status: 200, ring: answerRing(rng, 8), duration: clamp(rng.logNormal(15, 0.8), 1, 200) }
      : rng.chance(0.7) ? { status: 487, ring: rng.uniform(10, 30), duration: 0 } : { status: 480, ring: rng.uniform(20, 45), duration: 0 };
    this.sim.call(t, this.cli, this.iso, callee, 'nuisance', 'nuisance', o, rng, true);
  }
}

/** Calls at a Poisson rate over the day with caller IDs from `nextCli` (spoofed home, toll-free, invalid). */
class SpoofStream implements Actor {
  private readonly rate: number;
  private cli = '';
  private uses = 0;

  constructor(
    private readonly sim: Sim,
    private readonly rng: Rng,
    private readonly homes: Pool,
    perDay: number,
    private readonly label: string,
    private readonly nextCli: (rng: Rng) => string,
    private readonly reuse: [number, number],
    private readonly answer: number,
  ) {
    this.rate = perDay / DAY / mean(FLAT);
  }

  start(): number {
    return this.sim.begin + this.rng.exp(1 / this.rate);
  }

  wake(t: number): number {
    const rng = this.rng;
    if (rng.chance(level(FLAT, t, this.sim.world.home.utc))) {
      if (this.uses <= 0) {
        this.cli = this.nextCli(rng);
        this.uses = rng.int(this.reuse[0], this.reuse[1]);
      }
      this.uses--;
      // Spoofers route like anyone else: from wherever the call really comes from.
      this.sim.call(t, this.cli, pickCountry(this.sim.world, rng), victim(this.sim, rng, this.homes), this.label, this.label, scamOutcome(rng, this.answer), rng, true);
    }
    return t + rng.exp(1 / this.rate);
  }
}

/** Fan-in on one victim: a flood of foreign numbers calling one local number (TDoS, callback scams). */
class FanIn implements Actor {
  private readonly at: number;

  constructor(private readonly sim: Sim, private readonly rng: Rng, private readonly homes: Pool) {
    this.at = profiledTime(sim, rng, FLAT);
  }

  start(): number {
    return this.at;
  }

  wake(t: number): number {
    const rng = this.rng;
    const w = this.sim.world;
    const target = rng.chance(0.5) ? this.homes.pick(rng) : homeNumber(w.home.iso, 'fixed', rng);
    const n = rng.int(60, 400);
    const span = rng.uniform(5, 60) * MIN;
    let prev: [string, string] | null = null;
    for (let i = 0; i < n; i++) {
      let iso: string;
      let cli: string;
      if (prev && rng.chance(0.2)) [cli, iso] = prev;
      else {
        iso = pickCountry(w, rng);
        cli = validNumber(iso, rng.chance(0.7) ? 'mobile' : 'fixed', rng);
      }
      prev = [cli, iso];
      const r = rng.next();
      const o: Outcome = r < 0.45 ? { status: 486, ring: rng.uniform(0.2, 1), duration: 0 }
        : r < 0.7 ? { status: 200, ring: rng.uniform(1, 5), duration: rng.uniform(1, 20) }
        : { status: 487, ring: rng.uniform(2, 10), duration: 0 };
      this.sim.call(t + rng.next() * span, cli, iso, target, 'fan-in', 'fan-in', o, rng, true);
    }
    return Infinity;
  }
}

function tollFreeCli(home: string, rng: Rng): string {
  if (rng.chance(0.35)) {
    const u = rng.pick(UIFN);
    return validFrom(u.cc, [u.nsn], rng);
  }
  const iso = rng.pick(['US', 'CA', 'GB', 'DE', 'FR', 'JP', 'AU', 'SG', 'HK'].filter((c) => c !== home));
  return validNumber(iso, 'toll-free', rng);
}

// ---- assembly -------------------------------------------------------------------

function startTime(opts: GenerateOptions, home: CountryPlan): number {
  const s = opts.start;
  if (s === undefined) return Date.UTC(2025, 2, 3) - home.utc * HOUR;
  if (typeof s === 'number') return s;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) || !/T|\d:\d/.test(s) ? s : s + 'Z');
  if (!Number.isFinite(t)) throw new RangeError(`--start: not an ISO 8601 time: '${s}'`);
  return t;
}

export function checkOptions(opts: GenerateOptions): Required<Omit<GenerateOptions, 'start'>> & { start: number } {
  const hours = opts.hours ?? 24;
  const seed = opts.seed ?? 1;
  const scale = opts.scale ?? 1;
  const home = (opts.home ?? 'CN').toUpperCase();
  if (!(hours > 0 && hours <= 24 * 366)) throw new RangeError(`--hours must be above 0 and at most a year, got ${hours}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`--seed must be an integer 0..4294967295, got ${seed}`);
  if (!(scale > 0 && scale <= 1000)) throw new RangeError(`--scale must be above 0 and at most 1000, got ${scale}`);
  const plan = PLANS[home];
  if (!plan) throw new RangeError(`--home ${home}: no numbering plan; one of ${Object.keys(PLANS).sort().join(' ')}`);
  return { hours, seed, scale, home, start: startTime(opts, plan) };
}

/** Generated calls in timestamp order. Lazy: pull as many as you need. */
export function* generateCalls(options: GenerateOptions = {}): Generator<GeneratedCall> {
  const o = checkOptions(options);
  const root = new Rng(o.seed);
  const home = PLANS[o.home] as CountryPlan;
  const wr = root.fork('world');
  const mix = foreignMix(home.iso, wr);
  const routes = new Map<string, (readonly [number, number])[]>();
  for (const [c] of mix) {
    // Each country reaches us over two or three peers, in its own proportions.
    const r: (readonly [number, number])[] = [];
    const first = wr.int(0, SOURCES.length - 2);
    r.push([first, wr.uniform(2, 6)]);
    for (let k = wr.int(1, 2); k > 0; k--) r.push([wr.int(0, SOURCES.length - 1), wr.uniform(0.5, 3)]);
    routes.set(c, r);
  }
  const world: World = { home, mix, routes, answer: wr.uniform(0.52, 0.68) };
  const sim = new Sim(world, o.start, o.hours);
  const scale = o.scale;
  // Legitimate populations exist whatever the length; fraud campaigns come and go, so their number follows the
  // length (at least one of each kind, so short runs still show every kind).
  const count = (name: string, lo: number, hi: number, perDay = false): number =>
    Math.max(1, Math.round(root.fork(name).uniform(lo, hi) * scale * (perDay ? sim.days : 1)));

  const hr = root.fork('homes');
  const homes = new Pool(Math.max(100, hr.uniform(9000, 16000) * scale), () => homeNumber(home.iso, hr.chance(0.85) ? 'mobile' : 'fixed', hr));
  const actors: { a: Actor; t: number }[] = [];
  const add = (a: Actor & { start(): number }): void => {
    actors.push({ a, t: a.start() });
  };
  const people = new People(sim, root.fork('people'), homes, scale);
  add(people);
  for (let i = 0, n = count('businesses', 6, 14); i < n; i++) add(new Business(sim, root.fork(`business#${i}`), homes));
  for (let i = 0, n = count('popular', 8, 20); i < n; i++) add(new PopularLine(sim, root.fork(`popular#${i}`), people));
  for (let i = 0, n = count('bridges', 3, 8); i < n; i++) add(new Bridge(sim, root.fork(`bridge#${i}`)));
  // Its calls are written with formats and call ids of their own streams, so adding them left every other row of a seed as it was.
  add(new Roamers(sim, root.fork('roaming-calls'), roamingSubscribers(o).calling));

  for (let i = 0, n = count('wangiri', 1.5, 4, true); i < n; i++) add(new Wangiri(sim, root.fork(`wangiri#${i}`), homes));
  for (let i = 0, n = count('robocall', 1.5, 4, true); i < n; i++) add(new Robocall(sim, root.fork(`robocall#${i}`), homes));
  for (let i = 0, n = count('rotating', 1, 3, true); i < n; i++) add(new Rotating(sim, root.fork(`rotating#${i}`), homes));
  for (let i = 0, n = count('nuisance', 3, 10, true); i < n; i++) add(new Nuisance(sim, root.fork(`nuisance#${i}`), homes));
  for (let i = 0, n = count('fan-in', 1, 3, true); i < n; i++) add(new FanIn(sim, root.fork(`fan-in#${i}`), homes));
  const sr = root.fork('spoof-rates');
  add(new SpoofStream(sim, root.fork('spoofed-home'), homes, sr.uniform(80, 400) * scale, 'spoofed-home',
    (r) => homeNumber(home.iso, r.chance(0.8) ? 'mobile' : 'fixed', r), [1, 3], 0.4));
  const tfr = root.fork('toll-free-set');
  const tollFree: string[] = [];
  for (let k = tfr.int(4, 25); k > 0; k--) tollFree.push(tollFreeCli(home.iso, tfr));
  add(new SpoofStream(sim, root.fork('toll-free'), homes, sr.uniform(60, 300) * scale, 'toll-free-cli', (r) => r.pick(tollFree), [1, 6], 0.35));
  add(new SpoofStream(sim, root.fork('invalid'), homes, sr.uniform(60, 300) * scale, 'invalid-cli', (r) => invalidNumber(r), [1, 4], 0.3));

  for (const { a, t } of actors) sim.at(t, a);

  const fmt = root.fork('formats');
  const roamFmt = root.fork('roaming-formats');
  let n = 0;
  let m = 0;
  const heap = sim.heap;
  while (heap.size > 0) {
    const e = heap.pop() as Pending;
    if (e.t >= sim.end) break;
    if (e.actor) {
      const next = e.actor.wake(e.t);
      if (next < sim.end) sim.at(Math.max(next, e.t), e.actor);
      continue;
    }
    const c = e.call!;
    const src = SOURCES[c.source] as Source;
    const roaming = c.kind === 'roaming';
    const f = roaming ? roamFmt : fmt;
    yield {
      at: e.t,
      callId: roaming ? `r${o.seed}-m${++m}` : `r${o.seed}-${++n}`,
      caller: present(c.caller, f.weighted(src.caller), src.name, f, home),
      callee: present(c.callee, f.weighted(src.callee), 'sbc.example.net', f, home),
      source: src.name,
      status: c.o.status,
      ring: Math.round(c.o.ring * 10) / 10,
      duration: c.o.status >= 200 && c.o.status < 300 ? Math.max(1, Math.round(c.o.duration)) : 0,
      label: c.label,
      kind: c.kind,
    };
  }
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(c: GeneratedCall): string {
  return `${new Date(c.at).toISOString()},${c.callId},${csvField(c.caller)},${csvField(c.callee)},${csvField(c.source)},${c.status},${c.ring},${c.duration},${c.label},${c.kind}`;
}

/** Write generated traffic as CSV (header first), honouring back-pressure; resolves with the number of calls. */
export async function writeTraffic(opts: GenerateOptions, out: Writable): Promise<number> {
  const calls = generateCalls(opts);
  let error: Error | null = null;
  const onError = (e: Error): void => {
    error ??= e;
  };
  out.on('error', onError);
  try {
    let buf = CSV_HEADER + '\n';
    let n = 0;
    for (const c of calls) {
      buf += csvLine(c) + '\n';
      n++;
      if (buf.length >= 1 << 16) {
        if (error) throw error;
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
    if (error) throw error;
    if (buf.length > 0 && !out.write(buf)) await once(out, 'drain');
    if (error) throw error;
    return n;
  } finally {
    out.off('error', onError);
  }
}
