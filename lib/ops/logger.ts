/**
 * pino set up for Ringfence: JSON lines to stdout by default (what journald,
 * Docker and log shippers expect), or one readable line per event for a
 * terminal. The readable form is a few lines here rather than a pino-pretty
 * dependency in a process that sits on live traffic.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  /** trace | debug | info | warn | error | fatal | silent; default 'info'. */
  level?: string;
  /** One readable line per event instead of JSON (for a terminal, not for shipping). */
  pretty?: boolean;
  /** File descriptor (1 = stdout, 2 = stderr) or file path (appended, directories created); default 1. */
  destination?: string | number;
  /**
   * Write synchronously (default true: nothing is lost if the process dies).
   * false buffers writes for throughput; then call logger.flush() before exit.
   */
  sync?: boolean;
  /**
   * With sync: false, the most bytes held for a stalled reader (a full pipe to journald or a
   * log driver); lines past it are dropped and counted (droppedLogLines) instead of
   * blocking. Default 0: no bound.
   */
  maxBuffer?: number;
}

let dropped = 0;
/** Log lines dropped because the log's reader fell more than maxBuffer behind (since the process started). */
export function droppedLogLines(): number {
  return dropped;
}

const LEVELS = Object.keys(pino.levels.values);

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  if (level !== 'silent' && !LEVELS.includes(level)) {
    throw new Error(`unknown log level '${level}': use one of ${[...LEVELS, 'silent'].join(', ')}`);
  }
  const sync = opts.sync ?? true;
  const dest = pino.destination({ dest: opts.destination ?? 1, sync, mkdir: typeof opts.destination === 'string', ...(!sync && opts.maxBuffer ? { maxLength: opts.maxBuffer } : {}) });
  dest.on('drop', () => void dropped++);
  const stream: DestinationStream = opts.pretty ? prettyStream(dest) : dest;
  return pino({ level }, stream);
}

const LEVEL_NAMES: Record<number, string> = Object.fromEntries(Object.entries(pino.levels.values).map(([name, n]) => [n, name.toUpperCase()]));
/** Fields every line has, or that are shown in the line head instead. */
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

/** Turns pino's JSON lines into `12:00:00.000 INFO  decision call_id=... action=reject ...`. */
export function prettyStream(out: DestinationStream): DestinationStream {
  return {
    write(line: string): void {
      out.write(prettyLine(line));
    },
  };
}

export function prettyLine(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[o.level as number] ?? String(o.level)).padEnd(5);
  const parts = [time, level, String(o.msg ?? '')];
  for (const [k, v] of Object.entries(o)) {
    if (SKIP.has(k) || v === undefined) continue;
    parts.push(`${k}=${Array.isArray(v) && v.every((x) => typeof x === 'string') ? `[${v.join('; ')}]` : typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  let text = parts.filter((p) => p !== '').join(' ');
  const err = o.err as { stack?: unknown; message?: unknown } | undefined;
  if (err && typeof err === 'object') {
    const stack = typeof err.stack === 'string' ? err.stack : String(err.message ?? '');
    text += `\n    ${stack.split('\n').join('\n    ')}`;
  }
  return `${text}\n`;
}
