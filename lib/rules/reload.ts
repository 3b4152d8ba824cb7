/**
 * Hot reload: watch a rules file (and the list files and plugin modules it
 * names) and hand over new CompiledRules when they change. A broken edit
 * never replaces working rules: it is reported and the old rules stay.
 */
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { CompiledRules } from '../engine/config.js';
import type { SignalPlugin } from '../engine/plugin.js';
import { RulesError } from './errors.js';
import { loadRulesDetailed } from './load.js';

export interface RulesWatcherOptions {
  plugins?: SignalPlugin<any>[];
  /** Quiet time after the last file event before reloading (editors write in bursts). */
  debounceMs?: number;
}

export interface RulesWatcherEvents {
  rules: [CompiledRules];
  invalid: [RulesError];
}

/**
 * Events: 'rules' (CompiledRules) after a change that loads; 'invalid'
 * (RulesError) after one that does not: keep running on the old rules.
 */
export class RulesWatcher extends EventEmitter<RulesWatcherEvents> {
  readonly file: string;
  private readonly opts: RulesWatcherOptions;
  private readonly dirs = new Map<string, FSWatcher>();
  /** Files the current rules depend on → their last seen fingerprint. */
  private prints = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CompiledRules | undefined> | undefined;
  private again = false;
  private stopped = true;
  private last: CompiledRules | undefined;

  constructor(file: string, opts: RulesWatcherOptions = {}) {
    super();
    this.file = file;
    this.opts = opts;
  }

  /** The most recent rules that loaded. */
  get current(): CompiledRules | undefined {
    return this.last;
  }

  /**
   * Load the rules and start watching. Throws the RulesError when the file is
   * invalid at start: with no old rules to keep, the caller must decide.
   */
  async start(): Promise<CompiledRules> {
    this.stopped = false;
    const before = await fingerprint(resolve(this.file));
    const { rules, meta } = await loadRulesDetailed(this.file, this.loadOpts());
    this.last = rules;
    await this.track(meta.sources, new Map([[resolve(this.file), before]]));
    return rules;
  }

  /** Reload now (SIGHUP). Resolves to the new rules, or undefined when they were invalid ('invalid' was emitted). */
  reload(): Promise<CompiledRules | undefined> {
    if (this.running) {
      // One more pass after the current one, so the latest edit is never missed.
      this.again = true;
      return this.running;
    }
    this.running = this.load().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.dirs.values()) w.close();
    this.dirs.clear();
  }

  private loadOpts(): { plugins?: SignalPlugin<any>[] } {
    return this.opts.plugins ? { plugins: this.opts.plugins } : {};
  }

  private async load(): Promise<CompiledRules | undefined> {
    // Fingerprints from before the read: an edit that lands while loading then still counts as a change.
    const before = new Map<string, string>();
    for (const f of [resolve(this.file), ...this.prints.keys()]) before.set(f, await fingerprint(f));
    try {
      const { rules, meta } = await loadRulesDetailed(this.file, this.loadOpts());
      if (this.stopped) return undefined;
      this.last = rules;
      await this.track(meta.sources, before);
      this.emit('rules', rules);
      return rules;
    } catch (err) {
      if (this.stopped) return undefined;
      const e = err instanceof RulesError ? err
        : new RulesError([{ file: this.file, line: 0, col: 0, path: '', message: String((err as Error)?.message ?? err), code: 'RF_RULES_INTERNAL' }]);
      // Keep watching what we watched, plus the rules file, so the fix is picked up.
      await this.track([...before.keys()], before);
      this.emit('invalid', e);
      return undefined;
    }
  }

  /**
   * Watch the directories of `files`, not the files: editors that save by
   * writing a new file and renaming it over the old one (vim, many IDEs),
   * and Kubernetes ConfigMap symlink swaps, replace the inode a file watch
   * would be tied to.
   */
  private async track(files: string[], known?: Map<string, string>): Promise<void> {
    const prints = new Map<string, string>();
    for (const f of new Set(files)) prints.set(f, known?.get(f) ?? (await fingerprint(f)));
    this.prints = prints;
    if (this.stopped) return;
    const wanted = new Set([...prints.keys()].map(dirname));
    for (const [d, w] of this.dirs) {
      if (!wanted.has(d)) {
        w.close();
        this.dirs.delete(d);
      }
    }
    for (const d of wanted) {
      if (this.dirs.has(d)) continue;
      try {
        const w = watch(d, { persistent: true }, (_event, name) => this.onEvent(d, name));
        w.on('error', () => {
          w.close();
          this.dirs.delete(d);
        });
        this.dirs.set(d, w);
      } catch {
        // Directory gone or not watchable: SIGHUP (reload()) still works.
      }
    }
  }

  private onEvent(dir: string, name: string | Buffer | null): void {
    if (this.stopped) return;
    // Names are a hint only (null on some platforms; ConfigMaps change '..data', not the file).
    if (name !== null) {
      const n = String(name);
      const ours = [...this.prints.keys()].some((f) => dirname(f) === dir && basename(f) === n);
      if (!ours && !n.startsWith('..')) return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.changed().then((yes) => {
        if (yes && !this.stopped) void this.reload();
      });
    }, this.opts.debounceMs ?? 200);
  }

  /** Whether any tracked file differs from when it was last loaded (events also fire for touches and for other files). */
  private async changed(): Promise<boolean> {
    for (const [f, p] of this.prints) if ((await fingerprint(f)) !== p) return true;
    return false;
  }
}

/** Identity and version of a file through symlinks; 'missing' when absent (a rename-replace in progress). */
async function fingerprint(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
