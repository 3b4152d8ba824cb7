import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerRulesCommands } from '../../lib/rules/command.js';

function program(): Command {
  const p = new Command('ringfence').exitOverride();
  registerRulesCommands(p);
  return p;
}

/** Run the CLI in-process, capturing output and the exit code it sets. */
async function run(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  let out = '';
  let err = '';
  const o = process.stdout.write;
  const e = process.stderr.write;
  const saved = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    await program().parseAsync(['node', 'ringfence', ...args]);
    return { out, err, code: process.exitCode as number | undefined };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
    process.exitCode = saved;
  }
}

t.test('commands and help', async (t) => {
  const p = program();
  t.same(p.commands.map((c) => c.name()), ['check', 'schema']);
  const help = p.commands[0]!.helpInformation();
  t.match(help, 'Usage: ringfence check [options] <rules>');
  t.match(help, '--json');
  t.match(p.commands[1]!.helpInformation(), '--plugin <module...>');
});

t.test('check: exit 0 with the configuration on stdout, 1 with problems on stderr', async (t) => {
  const dir = t.testdir({ 'ok.yaml': 'home_country: CN\nsignals: { fan-out: {} }\n', 'bad.yaml': 'home_country: CN\nsignals: { fan-out: { windw: 1m } }\n' });
  const ok = await run(['check', join(dir, 'ok.yaml')]);
  t.equal(ok.code, 0);
  t.match(ok.out, /home_country: CN/);
  t.equal(ok.err, '');
  const bad = await run(['check', join(dir, 'bad.yaml')]);
  t.equal(bad.code, 1);
  t.equal(bad.out, '');
  t.equal(bad.err, `${join(dir, 'bad.yaml')}:2:23: signals.fan-out.windw: unknown key 'windw', did you mean 'window'?\n`);
  const json = await run(['check', '--json', join(dir, 'bad.yaml')]);
  t.equal(json.code, 1);
  t.equal(JSON.parse(json.out).issues[0].code, 'RF_RULES_UNKNOWN_KEY');
});

t.test('schema to a file', async (t) => {
  const dir = t.testdir({});
  const r = await run(['schema', '-o', join(dir, 's.json')]);
  t.equal(r.code, undefined);
  const s = JSON.parse(await readFile(join(dir, 's.json'), 'utf8'));
  t.ok(s.$defs['plugin.fan-out'], 'built-in plugins are described');
  const nodir = await run(['schema', '-o', join(dir, 'nodir', 's.json')]);
  t.equal(nodir.code, 1);
  t.match(nodir.err, /^ringfence schema: cannot write .*s\.json: ENOENT\n$/);
});
