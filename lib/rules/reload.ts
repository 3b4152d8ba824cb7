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
import type { AnySignalPlugin } from '../engine/plugin.js';
import type { RulesMeta } from './compile.js';
import { RulesError } from './errors.js';
import { loadRulesDetailed } from './load.js';

export interface RulesWatcherOptions {
  plugins?: AnySignalPlugin[];
  /** Quiet time after the last file event before reloading (editors write in bursts). */
  debounceMs?: number;
  /** How often a watched directory that is gone is looked for again (default 1000 ms). */
  rearmMs?: number;
}

export interface RulesWatcherEvents {
  /** The new rules, and what was learnt loading them (warnings, fingerprint). */
  rules: [CompiledRules, RulesMeta];
  invalid: [RulesError];
  /** A watched directory was deleted or replaced: its edits go unseen until 'watchRearmed'. */
  watchLost: [string];
  watchRearmed: [string];
}

/**
 * Events: 'rules' (CompiledRules) after a change that loads; 'invalid'
 * (RulesError) after one that does not: keep running on the old rules.
 * 'watchLost' / 'watchRearmed' (directory) when a watched directory goes
 * away and when the watch is back on it.
 */
export class RulesWatcher extends EventEmitter<RulesWatcherEvents> {
  readonly file: string;
  private readonly opts: RulesWatcherOptions;
  /** Watched directories, with the identity (dirIdentity) each watch is tied to, to tell a recreated directory from the old one. */
  private readonly dirs = new Map<string, { w: FSWatcher; id: string }>();
  /** Directories wanted but not watched (deleted, or replaced): looked for every rearmMs. */
  private readonly lost = new Set<string>();
  private readonly verifying = new Set<string>();
  private poll: NodeJS.Timeout | undefined;
  /** Files the current rules depend on → their last seen fingerprint. */
  private prints = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CompiledRules | undefined> | undefined;
  private again = false;
  private stopped = true;
  private last: CompiledRules | undefined;
  private lastMeta: RulesMeta | undefined;

  constructor(file: string, opts: RulesWatcherOptions = {}) {
    super();
    this.file = file;
    this.opts = opts;
  }

  /** The most recent rules that loaded. */
  get current(): CompiledRules | undefined {
    return this.last;
  }

  /** What loading the current rules reported besides them (warnings, fingerprint). */
  get meta(): RulesMeta | undefined {
    return this.lastMeta;
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
    this.lastMeta = meta;
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
    if (this.poll) clearTimeout(this.poll);
    this.poll = undefined;
    for (const { w } of this.dirs.values()) w.close();
    this.dirs.clear();
    this.lost.clear();
  }

  private loadOpts(): { plugins?: AnySignalPlugin[] } {
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
      this.lastMeta = meta;
      await this.track(meta.sources, before);
      this.emit('rules', rules, meta);
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
    for (const [d, { w }] of this.dirs) {
      if (!wanted.has(d)) {
        w.close();
        this.dirs.delete(d);
      }
    }
    for (const d of this.lost) if (!wanted.has(d)) this.lost.delete(d);
    for (const d of wanted) {
      if (this.dirs.has(d) || this.lost.has(d)) continue;
      // Gone already (a list file's directory removed while loading): look for it until it is back.
      if (!(await this.arm(d))) this.lose(d);
    }
  }

  /** Watch `d`; false when it is not there (or not watchable). */
  private async arm(d: string): Promise<boolean> {
    let id: string;
    try {
      // Identity before the watch: if the directory is swapped in between, the next event sees a mismatch and re-arms.
      const s = await stat(d);
      if (!s.isDirectory()) return false;
      id = dirIdentity(s);
    } catch {
      return false;
    }
    if (this.stopped) return false;
    const had = this.dirs.get(d);
    if (had) return had.id === id;
    try {
      const w = watch(d, { persistent: true }, (_event, name) => this.onEvent(d, name));
      w.on('error', () => {
        if (this.dirs.get(d)?.w === w) this.lose(d);
        else w.close();
      });
      this.dirs.set(d, { w, id });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The watch on `d` is dead: the directory was deleted (config-management
   * tools remove and recreate whole directories) or replaced. A watch is
   * tied to the old inode and never fires again, so drop it and poll for the
   * directory until it can be watched again.
   */
  private lose(d: string): void {
    const had = this.dirs.get(d);
    if (had) {
      had.w.close();
      this.dirs.delete(d);
    }
    if (this.stopped || this.lost.has(d)) return;
    this.lost.add(d);
    this.emit('watchLost', d);
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.poll || this.stopped) return;
    this.poll = setTimeout(() => {
      this.poll = undefined;
      void this.rearm();
    }, this.opts.rearmMs ?? 1000);
    // Not unref'd: it stands in for the persistent watches it replaces.
  }

  private async rearm(): Promise<void> {
    let back = false;
    for (const d of [...this.lost]) {
      if (this.stopped) return;
      if (!this.lost.has(d) || !(await this.arm(d))) continue;
      this.lost.delete(d);
      back = true;
      this.emit('watchRearmed', d);
    }
    if (this.stopped) return;
    if (this.lost.size > 0) this.schedulePoll();
    // Files written while nothing watched them are only seen by comparing fingerprints.
    if (back) this.kick();
  }

  /** After any event in `d`: is `d` still the directory we watch? (Its own deletion arrives as an event named after it.) */
  private verify(d: string): void {
    if (this.verifying.has(d)) return;
    this.verifying.add(d);
    void stat(d).then((s) => (s.isDirectory() ? dirIdentity(s) : ''), () => '').then((id) => {
      this.verifying.delete(d);
      const a = this.dirs.get(d);
      if (a && a.id !== id) this.lose(d);
    });
  }

  private onEvent(dir: string, name: string | Buffer | null): void {
    if (this.stopped) return;
    // The directory's own deletion is reported under its own name. ext4 hands a recreated
    // directory the freed inode at once, so the identity check alone can miss the swap:
    // drop the watch and re-arm on whatever is there now (harmless if nothing changed).
    if (name !== null && String(name) === basename(dir)) {
      this.lose(dir);
      return;
    }
    this.verify(dir);
    // Names are a hint only (null on some platforms; ConfigMaps change '..data', not the file).
    if (name !== null) {
      const n = String(name);
      const ours = [...this.prints.keys()].some((f) => dirname(f) === dir && basename(f) === n);
      if (!ours && !n.startsWith('..')) return;
    }
    this.kick();
  }

  /** Reload once events have been quiet for debounceMs, if a tracked file really changed. */
  private kick(): void {
    if (this.stopped) return;
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

/** A directory's identity: inode and birth time (an inode number alone is reused at once on ext4). */
function dirIdentity(s: { dev: number; ino: number; birthtimeMs: number }): string {
  return `${s.dev}:${s.ino}:${s.birthtimeMs}`;
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
