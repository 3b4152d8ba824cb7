/**
 * Allow / deny / marketing lists: exact E.164 numbers and '+CC...*' prefixes.
 * Lookup is O(digits): one Set probe for the exact number, then one probe per
 * prefix length that actually occurs in the list, longest first.
 */
import { analyse } from './normalise.js';
import { callingCodeLength, homePlan, type HomePlan } from './metadata.js';

export interface PrefixMatch {
  /** The entry that matched: an E.164 number, or a prefix written with its trailing '*'. */
  match: string;
  exact: boolean;
}

export type PrefixSetErrorHandler = (lineNumber: number, line: string, message: string) => void;

/** Where fromText has got to in its text. */
interface LineReading {
  text: string;
  plan: HomePlan;
  onError: PrefixSetErrorHandler | undefined;
  pos: number;
  lineNo: number;
}

export class PrefixSet {
  private readonly exact = new Set<string>();
  /** Prefix ('+86138') → how it is reported ('+86138*'), so lookups allocate nothing new. */
  private readonly prefixes = new Map<string, string>();
  /** lengths[n] is true when some prefix is n characters long (counting '+'). */
  private readonly lengths: boolean[] = [];
  private minLen = Number.POSITIVE_INFINITY;
  private maxLen = 0;

  get size(): number {
    return this.exact.size + this.prefixes.size;
  }

  /**
   * Add '+8613800138000' (exact) or '+86138*' (prefix). Visual separators are
   * ignored; anything that is not international form throws.
   */
  add(entry: string): void {
    const s = entry.trim();
    if (s.endsWith('*')) {
      const p = compact(s.slice(0, -1));
      if (p === null || p.length < 2 || p.charCodeAt(0) !== 43) {
        throw new Error(`bad prefix ${JSON.stringify(entry)}: want '+' and digits before '*', e.g. +86138*`);
      }
      if (p.charCodeAt(1) === 48) throw new Error(`bad prefix ${JSON.stringify(entry)}: country codes do not start with 0`);
      if (p.length > 16) throw new Error(`bad prefix ${JSON.stringify(entry)}: longer than an E.164 number`);
      this.addPrefix(p);
      return;
    }
    const n = compact(s);
    if (n === null || n.charCodeAt(0) !== 43 || n.length < 8 || n.length > 16 || n.charCodeAt(1) === 48) {
      throw new Error(`bad number ${JSON.stringify(entry)}: want E.164 such as +8613800138000, or a prefix ending in '*'`);
    }
    this.exact.add(n);
  }

  /** Exact entry first, then the longest matching prefix; null when nothing matches. */
  has(e164: string): PrefixMatch | null {
    if (this.exact.has(e164)) return { match: e164, exact: true };
    const top = Math.min(this.maxLen, e164.length);
    for (let len = top; len >= this.minLen; len--) {
      if (this.lengths[len] !== true) continue;
      const shown = this.prefixes.get(len === e164.length ? e164 : e164.slice(0, len));
      if (shown !== undefined) return { match: shown, exact: false };
    }
    return null;
  }

  /**
   * One entry per line; '#' starts a comment; blank lines are skipped. Exact
   * entries may be in any format normalise() understands (national forms are
   * read against `home`); prefixes need international form ('+', '00' or the
   * home IDD). Bad lines go to onError and are skipped, never thrown.
   */
  static fromText(text: string, opts: { home: string }, onError?: PrefixSetErrorHandler): PrefixSet {
    const set = new PrefixSet();
    set.readLines({ text, plan: homePlan(opts.home), onError, pos: 0, lineNo: 0 }, Number.POSITIVE_INFINITY);
    return set;
  }

  /**
   * fromText, handing the event loop back every `linesPerTurn` lines. A list
   * of millions of numbers takes seconds to read (3 million: 4 s), and a
   * rules reload did it in one go on the thread that proxies the calls: no
   * SIP message was handled for as long, and callers' retransmissions piled
   * up. Between turns the old rules stay in force.
   */
  static async fromTextAsync(text: string, opts: { home: string }, onError?: PrefixSetErrorHandler, linesPerTurn = 20_000): Promise<PrefixSet> {
    const set = new PrefixSet();
    const r: LineReading = { text, plan: homePlan(opts.home), onError, pos: 0, lineNo: 0 };
    while (!set.readLines(r, linesPerTurn)) await new Promise<void>((resolve) => setImmediate(resolve));
    return set;
  }

  /** Up to `max` more lines of r.text; true when the text is done. */
  private readLines(r: LineReading, max: number): boolean {
    const { text, plan, onError } = r;
    for (let n = 0; n < max; n++) {
      if (r.pos > text.length) return true;
      let end = text.indexOf('\n', r.pos);
      if (end < 0) end = text.length;
      r.lineNo++;
      const original = text.slice(r.pos, end);
      r.pos = end + 1;

      const hash = original.indexOf('#');
      const line = (hash >= 0 ? original.slice(0, hash) : original).trim();
      if (line.length === 0) continue;
      const problem = this.addLine(line, plan);
      if (problem !== null && onError) onError(r.lineNo, original.replace(/\r$/, ''), problem);
    }
    return r.pos > text.length;
  }

  /** Returns an error message, or null when the line was added. */
  private addLine(line: string, plan: HomePlan): string | null {
    if (line.endsWith('*')) {
      let p = compact(line.slice(0, -1));
      if (p === null) return `not a number prefix: ${JSON.stringify(line)}`;
      if (p.charCodeAt(0) !== 43) {
        const m = plan.idd.exec(p);
        const idd = m !== null ? m[0].length : p.startsWith('00') ? 2 : -1;
        if (idd < 0) return `prefix must be international (+CC... or 00CC...): ${JSON.stringify(line)}`;
        p = '+' + p.slice(idd);
      }
      try {
        this.add(p + '*');
      } catch (err) {
        return (err as Error).message;
      }
      return null;
    }
    // Canonical E.164 is by far the common case in big lists: take it as
    // written rather than spend a libphonenumber parse on every line.
    if (isCanonical(line)) {
      this.exact.add(line);
      return null;
    }
    const a = analyse(line, plan);
    if (a.e164 === null) return `cannot read ${JSON.stringify(line)} as a phone number (${a.problem ?? 'invalid'})`;
    this.exact.add(a.e164);
    return null;
  }

  private addPrefix(p: string): void {
    if (this.prefixes.has(p)) return;
    this.prefixes.set(p, p + '*');
    this.lengths[p.length] = true;
    if (p.length < this.minLen) this.minLen = p.length;
    if (p.length > this.maxLen) this.maxLen = p.length;
  }
}

/** '+' then 7-15 digits, assigned calling code, and no 0 right after it (which libphonenumber might rewrite). */
function isCanonical(s: string): boolean {
  const n = s.length;
  if (n < 8 || n > 16 || s.charCodeAt(0) !== 43) return false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const cc = callingCodeLength(s, 1);
  return cc > 0 && s.charCodeAt(1 + cc) !== 48;
}

/** Drop visual separators, keep a leading '+'; null on any other character. */
function compact(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
    else if (c === 43 && out.length === 0) out = '+';
    else if (c !== 32 && c !== 45 && c !== 46 && c !== 40 && c !== 41 && c !== 9 && c !== 13) return null;
  }
  return out.length > 0 ? out : null;
}
