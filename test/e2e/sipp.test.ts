/**
 * sipp through the standalone proxy: 2,000 clean calls at 200 calls/s must
 * all succeed, and a spoofed home-country caller ID must get 608. Needs
 * `sipp` (Debian package sip-tester); skipped with a reason without it.
 */
import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness, yamlRules } from '../helpers/sip-rules.js';
import { until } from '../helpers/sip-peer.js';

const here = dirname(fileURLToPath(import.meta.url));
const scenarios = join(here, 'sipp');
const hasSipp = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' }).status === 0;

const CALLS = Number(process.env.RINGFENCE_SIPP_CALLS ?? 2000);
const RATE = Number(process.env.RINGFENCE_SIPP_RATE ?? 200);

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

interface SippResult {
  code: number | null;
  stats: Record<string, string>;
  out: string;
}

/** Run a sipp caller to completion; its final statistics row is read from -trace_stat. */
function runSipp(args: string[], statFile: string, timeoutMs: number): Promise<SippResult> {
  return new Promise((resolve) => {
    const p = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += String(d)));
    p.stderr.on('data', (d) => (out += String(d)));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      let stats: Record<string, string> = {};
      try {
        const lines = readFileSync(statFile, 'utf8').trim().split('\n');
        const head = (lines[0] ?? '').split(';');
        const last = (lines[lines.length - 1] ?? '').split(';');
        stats = Object.fromEntries(head.map((h, i) => [h, last[i] ?? '']));
      } catch {
        // no stats file: the caller died early; `out` says why
      }
      resolve({ code, stats, out: out.slice(-4000) });
    });
  });
}

t.test('sipp through the standalone proxy', { skip: hasSipp ? false : 'sipp is not on PATH (Debian: apt-get install sip-tester)' }, async (t) => {
  const dir = t.testdir({});
  const uasPort = await freeUdpPort();
  const rules = await yamlRules();
  const h = await startHarness(uasPort, rules);
  let uas: ChildProcess | undefined;
  t.teardown(async () => {
    if (uas && uas.exitCode === null) uas.kill('SIGTERM');
    await h.proxy.close();
  });
  uas = spawn('sipp', ['-sf', join(scenarios, 'uas.xml'), '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin', '-buff_size', '4194304', '-trace_err', '-error_file', join(dir, 'uas-errors.log')], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  t.equal(uas.exitCode, null, 'sipp callee is running');

  await t.test(`${CALLS} clean calls at ${RATE}/s, zero failures`, async (t) => {
    // Foreign callers (US numbers) to home callees: nothing in the rules flags them.
    const rows = ['SEQUENTIAL'];
    for (let i = 0; i < CALLS; i++) rows.push(`+1202555${String(i % 10000).padStart(4, '0')};+86138${String(i).padStart(8, '0')};`);
    writeFileSync(join(dir, 'clean.csv'), rows.join('\n') + '\n');
    const stat = join(dir, 'clean-stats.csv');
    const r = await runSipp([
      `127.0.0.1:${h.port}`, '-sf', join(scenarios, 'uac.xml'), '-inf', join(dir, 'clean.csv'),
      '-i', '127.0.0.1', '-p', String(await freeUdpPort()), '-r', String(RATE), '-m', String(CALLS), '-l', '2000',
      '-nostdin', '-buff_size', '4194304', '-timeout', '50s', '-timeout_error',
      '-trace_stat', '-stf', stat, '-fd', '1', '-trace_err', '-error_file', join(dir, 'uac-errors.log'),
    ], stat, 55_000);
    t.equal(r.code, 0, `sipp exit code 0 (all calls successful)\n${r.code === 0 ? '' : r.out}`);
    t.equal(Number(r.stats['SuccessfulCall(C)']), CALLS, 'successful calls');
    t.equal(Number(r.stats['FailedCall(C)']), 0, 'failed calls');
    const s = h.proxy.stats();
    t.equal(s.invites, CALLS, 'every INVITE screened');
    t.equal(s.forwarded - s.byes, CALLS, 'every INVITE forwarded');
    t.equal(s.rejected, 0);
    t.equal(s.internalErrors, 0);
    t.equal(s.badMessages, 0);
    t.ok(await until(() => h.engine.sizes().pending === 0, 5000), 'every call reached the engine as finished');
    t.comment(`proxy: ${JSON.stringify({ ...s, bad: undefined, transport: undefined })}`);
  });

  await t.test('a spoofed home-country caller ID is rejected with 608', async (t) => {
    writeFileSync(join(dir, 'spoof.csv'), 'SEQUENTIAL\n+8613912345678;+8613800138000;\n');
    const stat = join(dir, 'spoof-stats.csv');
    const before = h.proxy.stats().forwarded;
    const { acksAbsorbed, foreignDialog, timeoutH } = h.proxy.stats();
    const r = await runSipp([
      `127.0.0.1:${h.port}`, '-sf', join(scenarios, 'uac-reject.xml'), '-inf', join(dir, 'spoof.csv'),
      '-i', '127.0.0.1', '-p', String(await freeUdpPort()), '-r', '10', '-m', '5',
      '-nostdin', '-timeout', '20s', '-timeout_error', '-trace_stat', '-stf', stat, '-fd', '1',
    ], stat, 25_000);
    t.equal(r.code, 0, `every call got 608\n${r.code === 0 ? '' : r.out}`);
    t.equal(Number(r.stats['SuccessfulCall(C)']), 5);
    t.equal(h.proxy.stats().forwarded, before, 'nothing reached the callee');
    t.ok(h.proxy.stats().rejected >= 5);
    // Each ACK matched its INVITE's transaction: no 608 left to retransmit until Timer H.
    t.equal(h.proxy.stats().acksAbsorbed - acksAbsorbed, 5, 'every ACK absorbed by its transaction');
    t.equal(h.proxy.stats().foreignDialog, foreignDialog, 'no ACK taken for a stray in-dialog request');
    t.equal(h.proxy.stats().timeoutH, timeoutH);
  });
});
