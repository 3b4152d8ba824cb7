/**
 * Seeded samplers for the numbering differential tests: a failure
 * reproduces from the seeds. xorshift32 for digits and picks, fast-check
 * for strings that match a metadata pattern.
 */
import fc from 'fast-check';

export interface Samples {
  /** Integer in [0, n). */
  rnd(n: number): number;
  pick<T>(xs: readonly T[]): T;
  randomDigits(n: number): string;
  /** Up to n digit strings matching a metadata pattern entirely. */
  matching(pattern: unknown, n: number): string[];
}

export function samples(seed: number, sampleSeed: number): Samples {
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  return {
    rnd,
    pick: <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!,
    randomDigits(n) {
      let s = '';
      for (let i = 0; i < n; i++) s += String(rnd(10));
      return s;
    },
    matching(pattern, n) {
      if (typeof pattern !== 'string' || pattern === '') return [];
      const re = new RegExp('^(?:' + pattern + ')$');
      return fc.sample(fc.stringMatching(re), { numRuns: n, seed: sampleSeed++ }).filter((s) => /^\d*$/.test(s));
    },
  };
}
