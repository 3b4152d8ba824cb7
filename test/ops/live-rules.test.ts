/**
 * Which rules are live: serve logs the rules' fingerprint at start and on
 * reload (with what changed), and /metrics carries it with the load time.
 */
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadRulesDetailed } from '../../lib/rules/load.js';
import { serve } from '../../lib/serve.js';

const RULES = 'home_country: CN\nlists: { deny: { action: reject, files: [deny.txt] } }\nsignals: { fan-out: {} }\n';

type Line = { level: number; msg: string; fingerprint?: string; changes?: Record<string, { from: unknown; to: unknown }> };

t.test('start-up and reload log the fingerprint; /metrics shows the live rules', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'deny.txt': '+447700900001\n' });
  const file = join(dir, 'rules.yaml');
  const out: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void out.push(s) });
  const lines = (): Line[] => out.map((l) => JSON.parse(l) as Line);
  const before = Math.floor(Date.now() / 1000);
  const server = await serve({ rules: file, listen: ['udp:127.0.0.1:0'], admin: '127.0.0.1:0', signals: false, logger, drainMs: 0 });
  t.teardown(() => server.close());
  const scrape = async (): Promise<string> => (await fetch(`${server.admin!.address.url}/metrics`)).text();
  const info = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('ringfence_rules_info{'));
  const loadedAt = (text: string): number => Number(/^ringfence_rules_loaded_timestamp_seconds (\S+)$/m.exec(text)?.[1]);

  const fp1 = (await loadRulesDetailed(file)).meta.fingerprint;
  t.match(fp1, /^[0-9a-f]{12}$/);
  const started = lines().find((l) => l.msg.startsWith('rules loaded'));
  t.equal(started?.msg, `rules loaded (fingerprint ${fp1})`);
  t.equal(started?.fingerprint, fp1);
  let text = await scrape();
  t.same(info(text), [`ringfence_rules_info{fingerprint="${fp1}",file="${file}"} 1`]);
  const t1 = loadedAt(text);
  t.ok(t1 >= before && t1 <= Date.now() / 1000, 'loaded at start, unix seconds');

  // A list-only edit: a new fingerprint, none of the summarised settings changed.
  await writeFile(join(dir, 'deny.txt'), '+447700900001\n+447700900002\n');
  // Found by fingerprint, not by count: an edit caught half-way may be loaded once more in between.
  const reloadedAs = async (fp: string): Promise<Line | undefined> => {
    const deadline = Date.now() + 10_000;
    const find = (): Line | undefined => lines().find((l) => l.msg.startsWith('rules reloaded') && l.fingerprint === fp);
    while (!find() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return find();
  };
  const fp2 = (await loadRulesDetailed(file)).meta.fingerprint;
  t.not(fp2, fp1);
  const r1 = await reloadedAs(fp2);
  t.equal(r1?.msg, `rules reloaded (fingerprint ${fp2}): home_country, monitor, the thresholds (top level and each scope's), the number of scopes, signals and lists unchanged; any other edit (signal settings, list entries, hold) is in force`);
  t.same(r1?.changes, {});

  await new Promise((r) => setTimeout(r, 1100)); // so the load time visibly moves
  await writeFile(file, 'home_country: CN\nthresholds: { reject: 80 }\nsignals: { fan-out: {}, unanswered: {} }\n');
  const fp3 = (await loadRulesDetailed(file)).meta.fingerprint;
  const r2 = await reloadedAs(fp3);
  t.equal(r2?.msg, `rules reloaded (fingerprint ${fp3}): thresholds.reject 100 → 80, signals 1 → 2, lists 1 → 0`);
  t.same(r2?.changes, { threshold_reject: { from: 100, to: 80 }, signals: { from: 1, to: 2 }, lists: { from: 1, to: 0 } });
  text = await scrape();
  t.same(info(text), [`ringfence_rules_info{fingerprint="${fp3}",file="${file}"} 1`], 'only the live fingerprint');
  t.ok(loadedAt(text) > t1, 'the load time moved on reload');

  // A table limit: reloaded, but the running engine keeps its tables as sized at start, and says so.
  await writeFile(file, 'home_country: CN\nthresholds: { reject: 80 }\nstats: { max: { caller: 5000 } }\nsignals: { fan-out: {}, unanswered: {} }\n');
  const fp4 = (await loadRulesDetailed(file)).meta.fingerprint;
  await reloadedAs(fp4);
  const later = lines().find((l) => l.msg.startsWith('rules reloaded, but'));
  t.match(later?.msg, /^rules reloaded, but: stats\.max\.caller 5000 takes effect at the next restart \(\d+ until then\)$/);
  t.equal(later?.level, 40, 'a warning');

  // SIGHUP (systemctl reload) with nothing edited: said to be unchanged, not "reloaded".
  const before4 = lines().length;
  await server.watcher.reload();
  const deadline = Date.now() + 5000;
  const reread = (): Line | undefined => lines().slice(before4).find((l) => l.msg.startsWith('rules re-read'));
  while (!reread() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.equal(reread()?.msg, `rules re-read: unchanged (fingerprint ${fp4}: the rules file and its lists are as they were)`);
  t.notOk(lines().slice(before4).some((l) => l.msg.startsWith('rules reloaded (')), 'no "reloaded" line for it');
});
