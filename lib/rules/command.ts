/** `ringfence check` and `ringfence schema`, registered on the main CLI program. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { AnySignalPlugin } from '../engine/plugin.js';
import { checkRules } from './check.js';
import { RULES_ERRORS } from './errors.js';
import { builtinPlugins, importPluginModule } from './plugins.js';
import { rulesJsonSchema } from './schema.js';

const CODES = Object.entries(RULES_ERRORS).map(([c, d]) => `  ${c.padEnd(26)} ${d}`).join('\n');

export function registerRulesCommands(program: Command): void {
  program
    .command('check')
    .argument('<rules>', 'rules file (YAML)')
    .option('--json', 'machine-readable output: {ok, file, config, list_sizes, warnings} or {ok: false, file, issues: [{file, line, col, path, message, code}]}, always on stdout')
    .summary('validate a rules file and show the effective configuration')
    .description(
      'Load a rules file exactly as `serve` would: read its list files, load its plugins, check every key. ' +
        'On success print the effective configuration as YAML (every default filled in, durations such as 10m, ' +
        'list sizes and warnings, such as list file lines left out with bad_lines: skip, as comments) and exit 0. On failure print every problem, one per line as ' +
        '`file:line:col: path: message`, on stderr and exit 1.',
    )
    .addHelpText('after', `\nExamples:\n  $ ringfence check rules.yaml\n  $ ringfence check --json rules.yaml | jq .issues\n\nError codes:\n${CODES}\n`)
    .action(async (file: string, o: { json?: boolean }) => {
      const r = await checkRules(file, { json: o.json === true });
      // JSON always goes to stdout so a pipe gets it either way; the exit code says which.
      (r.ok || o.json ? process.stdout : process.stderr).write(r.text);
      process.exitCode = r.ok ? 0 : 1;
    });

  program
    .command('schema')
    .option('-p, --plugin <module...>', 'also describe the signals of these third-party plugin modules')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .summary('print the JSON Schema of rules files')
    .description(
      'Print a JSON Schema (draft 2020-12) for rules files, covering every key and the config of each ' +
        'built-in signal plugin (and of modules given with --plugin). Point your editor at it, e.g. with ' +
        '`# yaml-language-server: $schema=rules.schema.json` at the top of a rules file.',
    )
    .addHelpText('after', '\nExamples:\n  $ ringfence schema > rules.schema.json\n  $ ringfence schema --plugin ./my-plugin.js -o docs/rules.schema.json\n')
    .action(async (o: { plugin?: string[]; out?: string }) => {
      const plugins: AnySignalPlugin[] = [...(await builtinPlugins())];
      for (const spec of o.plugin ?? []) {
        const m = await importPluginModule(spec, process.cwd());
        if (m.error) {
          process.stderr.write(`${spec}: ${m.error.message}\n`);
          process.exitCode = 1;
          return;
        }
        plugins.push(...(m.plugins ?? []));
      }
      const text = JSON.stringify(rulesJsonSchema(plugins), null, 2) + '\n';
      if (!o.out) return void process.stdout.write(text);
      try {
        await writeFile(o.out, text);
      } catch (err) {
        process.stderr.write(`ringfence schema: cannot write ${o.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
