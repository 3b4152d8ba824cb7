/**
 * Command-line parsing shared by the bench scripts: `--help` prints the
 * script's usage, and a mistyped option or a bad number is named with the
 * usage after it, instead of a stack trace or a run on NaN.
 */
import { parseArgs } from 'node:util';

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  default?: string | boolean;
}

export interface BenchArgs<O extends Record<string, OptionSpec>> {
  values: { [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K] extends { default: string } ? string : string | undefined };
  positionals: string[];
}

function fail(message: string, usage: string): never {
  process.stderr.write(`error: ${message}\n\n${usage.trimEnd()}\n`);
  process.exit(2);
}

/** Parse process.argv for a bench script; `--help`/`-h` print `usage` and exit 0, bad input exits 2. */
export function benchArgs<O extends Record<string, OptionSpec>>(usage: string, options: O, maxPositionals = 0): BenchArgs<O> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's own text for an unknown option runs on about positional arguments: name the option and stop.
    const unknown = /^Unknown option '([^']+)'/.exec((err as Error).message);
    fail(unknown ? `unknown option '${unknown[1] as string}'` : (err as Error).message, usage);
  }
  if (parsed.values['help'] === true) {
    process.stdout.write(`${usage.trimEnd()}\n`);
    process.exit(0);
  }
  if (parsed.positionals.length > maxPositionals) {
    fail(`unexpected argument '${parsed.positionals[maxPositionals] as string}'`, usage);
  }
  return { values: parsed.values as BenchArgs<O>['values'], positionals: parsed.positionals };
}

/** A whole number from an option's text, at least `min`; exits with the usage otherwise. */
export function wholeNumber(text: string | undefined, name: string, usage: string, min = 1): number {
  const v = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(v) || v < min) {
    fail(`${name} must be a whole number of at least ${min}, not '${text ?? ''}'`, usage);
  }
  return v;
}
