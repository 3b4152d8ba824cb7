/** "Did you mean" for unknown keys and names. */

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions ('widnow' → 'window' is 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows are enough for the transposition lookback.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] as number;
}

/** Case and separators ignored, so `homeCountry` and `home-country` find `home_country`. */
const loose = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');

/** The closest candidate that is plausibly a typo of `word`, or undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lw = loose(word);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (loose(c) === lw) return c;
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  // Past about a third of the word the "suggestion" is just another word.
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestD <= limit ? best : undefined;
}

/** ", did you mean 'x'?" or ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `, did you mean '${c}'?`;
}
