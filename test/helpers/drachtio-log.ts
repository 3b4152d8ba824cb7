/** A pino logger whose JSON lines land in an array, for asserting on what the adapter logs. */
import { pino, type Logger } from 'pino';

export interface CapturedLog {
  logger: Logger;
  lines: Record<string, unknown>[];
  /** Lines whose msg matches. */
  find(re: RegExp): Record<string, unknown>[];
  /** Resolve when a line whose msg matches is logged. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export function captureLog(level: pino.LevelWithSilent = 'debug'): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const waiters: { re: RegExp; resolve(l: Record<string, unknown>): void }[] = [];
  const logger = pino({ level }, {
    write(s: string) {
      const line = JSON.parse(s) as Record<string, unknown>;
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.re.test(String(line.msg))) w.resolve(line);
        else waiters.push(w);
      }
    },
  });
  const find = (re: RegExp): Record<string, unknown>[] => lines.filter((l) => re.test(String(l.msg)));
  return {
    logger,
    lines,
    find,
    waitFor(re, timeoutMs = 5000) {
      const seen = find(re)[0];
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matching ${re} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ re, resolve: (l) => { clearTimeout(timer); resolve(l); } });
      });
    },
  };
}
