/**
 * The plugin registry a rules file is compiled against: the built-in signals
 * plus third-party modules named in the file's `plugins:`.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnySignalPlugin } from '../engine/plugin.js';
import { SIGNAL_KEYS } from './defaults.js';

/** The built-in signals (plugins/index.ts), imported lazily so lib/rules has no static dependency on them. */
export async function builtinPlugins(): Promise<AnySignalPlugin[]> {
  return (await import('../../plugins/index.js')).builtinPlugins;
}

/** Why a value is not a SignalPlugin, or null when it is one. */
export function pluginProblem(p: unknown): string | null {
  if (p === null || typeof p !== 'object') return 'not an object';
  const o = p as Record<string, unknown>;
  if (typeof o.name !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(o.name)) return 'missing or malformed `name`';
  if (o.schema === null || typeof o.schema !== 'object') return `plugin '${o.name}': missing \`schema\``;
  for (const [k, f] of Object.entries(o.schema as Record<string, unknown>)) {
    if ((SIGNAL_KEYS as readonly string[]).includes(k)) return `plugin '${o.name}': schema key '${k}' is reserved for every signal (${SIGNAL_KEYS.join(', ')})`;
    const field = f as Record<string, unknown> | null;
    if (!field || typeof field.parse !== 'function' || typeof field.jsonSchema !== 'function') return `plugin '${o.name}': schema key '${k}' is not a Field (build it with the helpers of 'ringfence/fields': int, num, duration, points ...)`;
  }
  if (typeof o.score !== 'function') return `plugin '${o.name}': missing \`score\` function`;
  if (o.needs !== undefined && typeof o.needs !== 'function') return `plugin '${o.name}': \`needs\` must be a function`;
  return null;
}

export interface LoadedModule {
  spec: string;
  file: string;
  plugins?: AnySignalPlugin[];
  error?: { code: 'RF_RULES_PLUGIN_LOAD' | 'RF_RULES_PLUGIN_INVALID'; message: string };
}

/**
 * Import a third-party plugin module. The module URL carries the file's
 * mtime so an edited plugin is picked up on reload (Node caches modules by
 * URL); an unchanged file hits the cache.
 */
export async function importPluginModule(spec: string, baseDir: string): Promise<LoadedModule> {
  const file = isAbsolute(spec) ? spec : resolve(baseDir, spec);
  let version: number;
  try {
    version = (await stat(file)).mtimeMs;
  } catch (err) {
    return { spec, file, error: { code: 'RF_RULES_PLUGIN_LOAD', message: `cannot read plugin module ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(`${pathToFileURL(file).href}?mtime=${version}`)) as Record<string, unknown>;
  } catch (err) {
    return { spec, file, error: { code: 'RF_RULES_PLUGIN_LOAD', message: `cannot import plugin module ${file}: ${(err as Error).message.split('\n')[0]}` } };
  }
  const exported = mod.default ?? mod.plugins;
  const list = Array.isArray(exported) ? exported : [exported];
  if (exported === undefined || list.length === 0) {
    return { spec, file, error: { code: 'RF_RULES_PLUGIN_INVALID', message: `${file} has no default export (want a SignalPlugin or an array of them)` } };
  }
  for (const p of list) {
    const why = pluginProblem(p);
    if (why) return { spec, file, error: { code: 'RF_RULES_PLUGIN_INVALID', message: `${file}: ${why}` } };
  }
  return { spec, file, plugins: list as AnySignalPlugin[] };
}
