/**
 * `ringfence inspect` and `ringfence holds`: ask a running Ringfence (its
 * admin endpoint) what it holds for a number, and whom it keeps on hold. It asks the live process rather than reading a
 * snapshot so the answer is what the engine decides on right now.
 */
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_ADMIN, DEFAULT_HOLDS_TOP, MAX_HOLDS_TOP, parseHostPort } from './admin.js';
import { formatHolds, type HoldsReport } from './holds.js';
import { formatInspect, type InspectReport } from './inspect.js';

export interface InspectArgs {
  number: string;
  callee?: string;
  /** HOST:PORT of the admin endpoint. */
  admin?: string;
  /** Read the windows at this time (epoch ms or ISO 8601) instead of now. */
  at?: string;
  source?: string;
  json?: boolean;
  /** Give up after this many ms. */
  timeout?: number;
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const stdio: Io = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
};

/**
 * GET one admin route and parse its JSON; `check` says whether the body is
 * what that route sends. Resolves to the parsed body, or to an error message
 * (no endpoint, a refusal, something else answering on that port).
 */
async function askAdmin<T>(
  admin: string,
  path: string,
  q: URLSearchParams,
  timeout: number,
  what: string,
  check: (body: unknown) => body is T,
  method: 'GET' | 'POST' = 'GET',
): Promise<{ ok: true; body: T } | { ok: false; error: string }> {
  let base: string;
  try {
    const { host, port } = parseHostPort(admin);
    base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  } catch (err) {
    return { ok: false, error: `--admin: ${(err as Error).message}` };
  }
  const qs = q.toString();
  const url = `${base}${path}${qs ? `?${qs}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, { method, signal: AbortSignal.timeout(timeout), headers: { accept: 'application/json', ...(method === 'POST' ? { 'x-ringfence-admin': '1' } : {}) } });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.cause?.message === 'bad port') {
      // fetch refuses the WHATWG "bad ports" (5060 and 5061 among them) before connecting: no server is to blame.
      return { ok: false, error: `cannot ask the admin endpoint at ${base}: Node's HTTP client refuses that port as unsafe (the WHATWG fetch "bad ports", which include the SIP ports 5060 and 5061).\nRun \`serve --admin\` on another port, such as the default ${DEFAULT_ADMIN}.` };
    }
    const why = e.name === 'TimeoutError' ? `no answer within ${timeout} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, error: `cannot reach the admin endpoint at ${base} (${why}).\nIs Ringfence running with \`serve --admin ${admin}\`? Point --admin at the address it serves on.` };
  }
  const body = await res.text().catch(() => '');
  if (!res.ok) {
    let msg = body.trim();
    try {
      msg = String((JSON.parse(body) as { error?: unknown }).error ?? msg);
    } catch {
      // not JSON: show the text as it came
    }
    return { ok: false, error: `the admin endpoint at ${base} answered ${res.status}: ${msg || res.statusText}` };
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (!check(parsed)) throw new Error(`not ${what}`);
    return { ok: true, body: parsed };
  } catch (err) {
    return { ok: false, error: `the admin endpoint at ${base} sent something that is not ${what} (${(err as Error).message}); is that address really Ringfence's admin endpoint?` };
  }
}

const isInspectReport = (b: unknown): b is InspectReport => typeof b === 'object' && b !== null && Array.isArray((b as InspectReport).tables);

/** Runs one inspect against the admin endpoint; resolves to the exit code (0 ok, 1 failure). */
export async function runInspect(args: InspectArgs, io: Io = stdio): Promise<number> {
  const q = new URLSearchParams({ number: args.number });
  if (args.callee) q.set('callee', args.callee);
  if (args.at) q.set('at', args.at);
  if (args.source) q.set('source', args.source);
  const r = await askAdmin(args.admin ?? DEFAULT_ADMIN, '/inspect', q, args.timeout ?? 5000, 'an inspect report', isInspectReport);
  if (!r.ok) {
    io.err(`ringfence inspect: ${r.error}\n`);
    return 1;
  }
  io.out(args.json ? `${JSON.stringify(r.body, null, 2)}\n` : formatInspect(r.body));
  return 0;
}

export interface HoldsArgs {
  top?: number;
  /** Lift this caller's hold instead of listing holds. */
  release?: string;
  admin?: string;
  json?: boolean;
  timeout?: number;
}

const isHoldsReport = (b: unknown): b is HoldsReport => typeof b === 'object' && b !== null && Array.isArray((b as HoldsReport).holds) && typeof (b as HoldsReport).held === 'number';

/** Lists the callers on hold in a running Ringfence; resolves to the exit code (0 ok, 1 failure). */
export async function runHolds(args: HoldsArgs, io: Io = stdio): Promise<number> {
  if (args.release !== undefined) return runRelease(args.release, args, io);
  const q = new URLSearchParams();
  if (args.top !== undefined) q.set('top', String(args.top));
  const r = await askAdmin(args.admin ?? DEFAULT_ADMIN, '/holds', q, args.timeout ?? 5000, 'a list of holds', isHoldsReport);
  if (!r.ok) {
    io.err(`ringfence holds: ${r.error}\n`);
    return 1;
  }
  io.out(args.json ? `${JSON.stringify(r.body, null, 2)}\n` : formatHolds(r.body));
  return 0;
}

interface ReleaseReport {
  number: string;
  caller: string;
  released: boolean;
  rejected?: number;
  since?: string;
  why?: string;
}
const isReleaseReport = (b: unknown): b is ReleaseReport => typeof b === 'object' && b !== null && typeof (b as ReleaseReport).released === 'boolean' && typeof (b as ReleaseReport).caller === 'string';

/** Lifts one caller's hold in a running Ringfence; exit code 0 when a hold was lifted, 1 otherwise. */
async function runRelease(number: string, args: HoldsArgs, io: Io): Promise<number> {
  const r = await askAdmin(args.admin ?? DEFAULT_ADMIN, '/holds/release', new URLSearchParams({ number }), args.timeout ?? 5000, 'a release report', isReleaseReport, 'POST');
  if (!r.ok) {
    io.err(`ringfence holds: ${r.error}\n`);
    return 1;
  }
  const b = r.body;
  if (args.json) io.out(`${JSON.stringify(b, null, 2)}\n`);
  else if (b.released) io.out(`released ${b.caller}: on hold since ${b.since}, ${b.rejected} call${b.rejected === 1 ? '' : 's'} rejected on it, after ${b.why}\nIts next call is scored on its signals again (and held again if they still reject it). To let it through whatever it does, put it on an allow list.\n`);
  else io.err(`ringfence holds: ${b.caller} is not on hold\n`);
  return b.released ? 0 : 1;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number of milliseconds above 0');
  return n;
}

function holdsTop(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_HOLDS_TOP) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_HOLDS_TOP}`);
  return n;
}

export function registerHoldsCommand(program: Command): Command {
  return program
    .command('holds')
    .summary('list the callers a running Ringfence keeps on hold, most rejected calls first')
    .description(
      'Ask a running Ringfence, through its admin endpoint, which callers it holds right now: a caller ' +
        'rejected for its behaviour stays on hold (hold: in the rules), and every call it makes is ' +
        'rejected until the hold ends. For each: the calls rejected on the hold, when it started and ends, ' +
        'probe calls let through (hold.probe), and the reject that set it with its strongest reason.\n\n' +
        'A business listed here that should get through is released by adding it to an allow list ' +
        '(lists: with action: allow) and reloading the rules (save the file, or SIGHUP): allow lists are checked before the hold. ' +
        'To lift one hold now: --release NUMBER (its next call is scored again). Without --release nothing is changed by this command.',
    )
    .option('--top <n>', `how many holds to list (1-${MAX_HOLDS_TOP})`, holdsTop, DEFAULT_HOLDS_TOP)
    .option('--release <number>', "lift this caller's hold now (POST /holds/release) instead of listing; its next call is scored again")
    .option('--admin <host:port>', 'admin endpoint of the running Ringfence (its `serve --admin`)', DEFAULT_ADMIN)
    .option('--json', 'print the raw list as JSON instead of a table')
    .option('--timeout <ms>', 'give up when the endpoint does not answer within this time', positiveInt, 5000)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ ringfence holds',
        `  $ ringfence holds --top 100 --admin ${DEFAULT_ADMIN} --json`,
        '  $ ringfence holds --release +447911123456',
        '',
        'Exit status: 0 on success, 1 when the endpoint cannot be reached or refuses the request (with --release: or the number was not on hold).',
        'The admin endpoint listens on loopback by default; run this on the Ringfence host.',
      ].join('\n'),
    )
    .action(async (o: { top: number; release?: string; admin: string; json?: boolean; timeout: number }) => {
      process.exitCode = await runHolds(o);
    });
}

export function registerInspectCommand(program: Command): Command {
  return program
    .command('inspect')
    .summary('show what a running Ringfence holds for a number, and how it would score a call')
    .description(
      'Ask a running Ringfence, through its admin endpoint, what it holds for NUMBER right now: ' +
        'how it classifies the number; its counters per window (attempts, rejected, answered, failed, ' +
        'cancelled, quick, short, talk seconds) and distinct counterparties as a caller, as a callee, ' +
        'for its number block and, with --callee, for the caller->callee pair; whether it is on hold; ' +
        'and, with --callee, the decision a call from NUMBER to that callee would get now, with its reasons.\n\n' +
        'Nothing is changed: the score is computed on the counts as they stand (the call itself is ' +
        'not counted), and no statistics, holds or LRU order are touched.',
    )
    .argument('<number>', 'the number to look at, in any format the engine accepts (+447911123456, 00447911123456, ...)')
    .option('--callee <number>', 'also show the pair with this callee and the decision a call to it would get')
    .option('--admin <host:port>', 'admin endpoint of the running Ringfence (its `serve --admin`)', DEFAULT_ADMIN)
    .option('--at <time>', 'read the windows at this time (epoch ms or ISO 8601) instead of now')
    .option('--source <peer>', 'ingress peer (IP or trunk) of the hypothetical call, for rule scopes that match on it')
    .option('--json', 'print the raw report as JSON instead of tables')
    .option('--timeout <ms>', 'give up when the endpoint does not answer within this time', positiveInt, 5000)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ ringfence inspect +447911123456',
        '  $ ringfence inspect +447911123456 --callee +8613800138000',
        `  $ ringfence inspect 00447911123456 --admin ${DEFAULT_ADMIN} --json`,
        '',
        'Exit status: 0 on success, 1 when the endpoint cannot be reached or refuses the request.',
        'The admin endpoint listens on loopback by default; run this on the Ringfence host.',
      ].join('\n'),
    )
    .action(async (number: string, o: { callee?: string; admin: string; at?: string; source?: string; json?: boolean; timeout: number }) => {
      process.exitCode = await runInspect({ number, ...o });
    });
}
