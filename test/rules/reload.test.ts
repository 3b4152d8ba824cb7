import t, { type Test } from 'tap';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RulesWatcher } from '../../lib/rules/reload.js';
import { RulesError } from '../../lib/rules/errors.js';
import type { CompiledRules } from '../../lib/engine/config.js';
import { opts } from './fixtures/helpers.js';

const rules = (distinct: number): string => `home_country: CN\nsignals: { fan-out: { distinct: ${distinct} } }\n`;
const distinctOf = (r: CompiledRules | undefined): unknown => r?.base.signals[0]?.cfg.distinct;
const next = <T>(w: RulesWatcher, ev: 'rules' | 'invalid' | 'watchLost' | 'watchRearmed'): Promise<T> =>
  once(w, ev, { signal: AbortSignal.timeout(10_000) }).then(([x]) => x as T);

function watcher(t: { teardown(fn: () => void): void }, file: string): RulesWatcher {
  const w = new RulesWatcher(file, { ...opts, debounceMs: 50, rearmMs: 50 });
  t.teardown(() => w.stop());
  return w;
}

t.test('a valid edit emits new rules; an invalid one keeps the old', async (t) => {
  const dir = t.testdir({ 'rules.yaml': rules(3) });
  const file = join(dir, 'rules.yaml');
  const w = watcher(t, file);
  const first = await w.start();
  t.equal(distinctOf(first), 3);
  t.equal(w.current, first);

  let p: Promise<unknown> = next(w, 'rules');
  await writeFile(file, rules(4));
  t.equal(distinctOf((await p) as CompiledRules), 4);

  p = next(w, 'invalid');
  await writeFile(file, 'home_country: CN\nsignals: { fan-out: { distinct: zero } }\n');
  const err = (await p) as RulesError;
  t.type(err, RulesError);
  t.equal(err.issues[0]?.path, 'signals.fan-out.distinct');
  t.equal(distinctOf(w.current), 4, 'the old rules stay current');

  p = next(w, 'rules');
  await writeFile(file, rules(6));
  t.equal(distinctOf((await p) as CompiledRules), 6, 'fixing the file recovers');
});

t.test('editors that write a temp file and rename it over the rules', async (t) => {
  const dir = t.testdir({ 'rules.yaml': rules(3) });
  const file = join(dir, 'rules.yaml');
  const w = watcher(t, file);
  await w.start();
  for (const n of [7, 8]) {
    const p = next<CompiledRules>(w, 'rules');
    await writeFile(join(dir, '.rules.yaml.tmp'), rules(n));
    await rename(join(dir, '.rules.yaml.tmp'), file);
    t.equal(distinctOf(await p), n, `rename-replace #${n - 6}`);
  }
});

t.test('a changed list file reloads too', async (t) => {
  const dir = t.testdir({
    'rules.yaml': 'home_country: CN\nlists: { deny: { action: reject, files: [lists/deny.txt] } }\n',
    lists: { 'deny.txt': '+447700900001\n' },
  });
  const w = watcher(t, join(dir, 'rules.yaml'));
  t.equal((await w.start()).lists[0]?.size, 1);
  const p = next<CompiledRules>(w, 'rules');
  await writeFile(join(dir, 'lists', 'deny.txt'), '+447700900001\n+447700900002\n');
  t.equal((await p).lists[0]?.size, 2);
});

t.test('reload() on demand (SIGHUP) and stop()', async (t) => {
  const dir = t.testdir({ 'rules.yaml': rules(3) });
  const file = join(dir, 'rules.yaml');
  const w = new RulesWatcher(file, { ...opts, debounceMs: 60_000 }); // events never fire in time: only reload() counts
  t.teardown(() => w.stop());
  await w.start();
  await writeFile(file, rules(9));
  t.equal(distinctOf(await w.reload()), 9);
  await writeFile(file, 'home_country: [\n');
  const seen: RulesError[] = [];
  w.on('invalid', (e) => seen.push(e));
  t.equal(await w.reload(), undefined);
  t.equal(seen.length, 1);
  t.equal(seen[0]?.issues[0]?.code, 'RF_RULES_YAML');
  t.equal(distinctOf(w.current), 9);

  w.stop();
  const late: unknown[] = [];
  w.on('rules', (r) => late.push(r));
  await writeFile(file, rules(10));
  await new Promise((r) => setTimeout(r, 200));
  t.same(late, [], 'nothing after stop()');
});

t.test('start() throws when the first load fails', async (t) => {
  const dir = t.testdir({ 'rules.yaml': 'home_country: XX\n' });
  const w = watcher(t, join(dir, 'rules.yaml'));
  await t.rejects(w.start(), RulesError);
});

t.test('a FIFO put in place of the rules file is refused and does not wedge later reloads', async (t) => {
  const dir = t.testdir({ 'rules.yaml': rules(3) });
  const file = join(dir, 'rules.yaml');
  const w = watcher(t, file);
  await w.start();
  let p: Promise<unknown> = next(w, 'invalid');
  await rm(file);
  execFileSync('mkfifo', [file]);
  const err = (await p) as RulesError;
  t.match(err.message, /rules\.yaml: not a regular file/);
  t.equal(distinctOf(w.current), 3, 'the old rules stay');
  // The fix lands: it must be picked up, by the watch and by SIGHUP, not queued behind a read that never ends.
  p = next(w, 'rules');
  await rm(file);
  await writeFile(file, rules(5));
  t.equal(distinctOf((await p) as CompiledRules), 5);
  await writeFile(file, rules(6));
  t.equal(distinctOf(await w.reload()), 6);
});

t.test('the rules directory deleted and recreated (config-management tools): the watch comes back', async (t) => {
  const dir = t.testdir({ etc: { 'rules.yaml': rules(3) } });
  const etc = join(dir, 'etc');
  const file = join(etc, 'rules.yaml');
  const w = watcher(t, file);
  const seen: string[] = [];
  w.on('watchLost', (d) => seen.push(`lost ${d}`));
  w.on('watchRearmed', (d) => seen.push(`rearmed ${d}`));
  await w.start();

  const invalid = next<RulesError>(w, 'invalid');
  const lost = next<string>(w, 'watchLost');
  await rm(etc, { recursive: true });
  t.match((await invalid).message, /rules file not found/);
  t.equal(await lost, etc, 'the lost watch is reported');
  t.equal(distinctOf(w.current), 3, 'the old rules stay');

  const back = next<string>(w, 'watchRearmed');
  let p = next<CompiledRules>(w, 'rules');
  await mkdir(etc);
  await writeFile(file, rules(5));
  t.equal(await back, etc, 'the watch is re-armed on the new directory');
  t.equal(distinctOf(await p), 5, 'the recreated file is loaded');

  // Later edits in the new directory are seen (the old code watched the deleted inode and heard nothing).
  p = next<CompiledRules>(w, 'rules');
  await appendFile(file, 'monitor: true\n');
  const r = await p;
  t.equal(r.monitor, true, 'an append to the recreated file is picked up');
  t.same(seen, [`lost ${etc}`, `rearmed ${etc}`]);
});

/** Swap the rules directory for a new one holding rules(4), then edit it: both must be picked up, the watch re-armed on the new directory. */
async function swapThenEdit(t: Test, swap: (etc: string, file: string) => Promise<void> | void): Promise<void> {
  const dir = t.testdir({ etc: { 'rules.yaml': rules(3) } });
  const etc = join(dir, 'etc');
  const file = join(etc, 'rules.yaml');
  const w = watcher(t, file);
  await w.start();
  const back = next<string>(w, 'watchRearmed');
  let p = next<CompiledRules>(w, 'rules');
  await swap(etc, file);
  t.equal(distinctOf(await p), 4);
  t.equal(await back, etc, 'the watch on the old directory was replaced');
  p = next<CompiledRules>(w, 'rules');
  await writeFile(file, rules(7));
  t.equal(distinctOf(await p), 7, 'an edit after the swap is picked up');
}

t.test('the rules directory swapped in one go (rm -rf and recreate inside the debounce): later edits are still seen', (t) =>
  swapThenEdit(t, async (etc, file) => {
    await rm(etc, { recursive: true });
    await mkdir(etc);
    await writeFile(file, rules(4));
  }));

t.test('rm -rf and mkdir in one shell step (ext4 gives the new directory the old inode): later edits are still seen', (t) =>
  swapThenEdit(t, (etc, file) => {
    execFileSync('sh', ['-c', `rm -rf '${etc}' && mkdir '${etc}' && printf '${rules(4).replace(/\n/g, '\\n')}' > '${file}'`]);
  }));

t.test('a list file directory deleted and recreated', async (t) => {
  const dir = t.testdir({
    'rules.yaml': 'home_country: CN\nlists: { deny: { action: reject, files: [feed/deny.txt] } }\n',
    feed: { 'deny.txt': '+447700900001\n' },
  });
  const w = watcher(t, join(dir, 'rules.yaml'));
  await w.start();
  const invalid = next<RulesError>(w, 'invalid');
  await rm(join(dir, 'feed'), { recursive: true });
  t.match((await invalid).message, /list file not found/);
  const p = next<CompiledRules>(w, 'rules');
  await mkdir(join(dir, 'feed'));
  await writeFile(join(dir, 'feed', 'deny.txt'), '+447700900001\n+447700900002\n+447700900003\n');
  t.equal((await p).lists[0]?.size, 3);
});
