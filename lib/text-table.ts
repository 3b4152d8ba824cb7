/**
 * Columns padded to their widest cell, two spaces apart, for the text reports
 * of a terminal (replay's summary, inspect, holds). Counts read best
 * right-aligned: every column is, except those listed in `left` (the first,
 * unless told otherwise). `rows` includes the header row; a missing cell is
 * empty. Lines come back trimmed at the end, without a newline.
 */
export function padColumns(rows: readonly (readonly string[])[], left: readonly number[] = [0]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => widths.map((w, i) => (left.includes(i) ? (r[i] ?? '').padEnd(w) : (r[i] ?? '').padStart(w))).join('  ').trimEnd());
}
