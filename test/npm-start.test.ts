/**
 * `npm start` as the README's quick start uses it: run in the background,
 * then stopped. npm runs the script through `sh -c` and passes SIGTERM on
 * to that shell; unless the shell execs node, the shell dies and serve is
 * left running, orphaned, still holding its ports.
 */
import t, { type Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const script: string = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts.start;

t.test('SIGTERM to the shell npm start runs reaches serve, which stops cleanly', async (t) => {
  t.match(script, /node dist\/lib\/cli\.js serve/, 'the start script runs serve');
  // The script as npm runs it, on the sources instead of dist/ (as test/cli.test.ts does), on free ports.
  const cmd = `${script.replace('node dist/lib/cli.js', 'node --import tsx lib/cli.ts')} --no-admin --listen udp:127.0.0.1:0`;
  const sh = spawn('sh', ['-c', cmd], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  sh.stdout.on('data', (b: Buffer) => void (out += b.toString()));
  sh.stderr.on('data', (b: Buffer) => void (out += b.toString()));
  const servePid = (): number | undefined => {
    const m = /"pid":(\d+)/.exec(out);
    return m ? Number(m[1]) : undefined;
  };
  t.teardown(() => {
    // Whatever happened, leave no serve behind.
    const pid = servePid();
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    sh.kill('SIGKILL');
  });
  const until = async (ok: () => boolean, ms: number): Promise<boolean> => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (ok()) return true;
    return ok();
  };
  t.ok(await until(() => /standalone SIP proxy listening/.test(out), 30_000), 'serve started');
  sh.kill('SIGTERM');
  t.ok(await until(() => /"msg":"stopped"/.test(out), 10_000), 'serve got the signal and stopped');
});

/** `ringfence serve` on the sources with these options (and node options), on a free UDP port, once it listens: its process, output so far and exit status. */
async function startServe(t: Test, args: string[], nodeArgs: string[] = []): Promise<{ p: ChildProcess; out: () => string; exited: Promise<number | null> }> {
  const p = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'lib/cli.ts', 'serve', '--no-admin', '--listen', 'udp:127.0.0.1:0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout?.on('data', (b: Buffer) => void (out += b.toString()));
  p.stderr?.on('data', (b: Buffer) => void (out += b.toString()));
  t.teardown(() => void p.kill('SIGKILL'));
  const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
  for (const end = Date.now() + 30_000; Date.now() < end && !/standalone SIP proxy listening/.test(out); ) await new Promise((r) => setTimeout(r, 50));
  t.match(out, /standalone SIP proxy listening/, 'serve started');
  return { p, out: () => out, exited };
}

t.test('a state snapshot that fails at shutdown makes serve exit 1, not 0', async (t) => {
  // The statistics and holds are lost: a service manager must be able to tell.
  const dir = t.testdir({});
  const state = join(dir, 'state', 'rf.bin');
  mkdirSync(join(dir, 'state'));
  const { p, out, exited } = await startServe(t, ['--state', state, '--drain', '0']);
  rmSync(join(dir, 'state'), { recursive: true }); // the snapshot's directory goes away under it
  p.kill('SIGTERM');
  t.equal(await exited, 1, 'exit status 1');
  t.match(out(), /state snapshot failed/);
  t.match(out(), /exiting with status 1: the state snapshot at shutdown failed/);
});

t.test('one Ctrl-C delivered twice (terminal and npm both signal serve) still stops cleanly with the snapshot', async (t) => {
  // A terminal's Ctrl-C signals the whole foreground group, npm and node, and npm passes its own on:
  // serve saw "SIGINT again" a millisecond later and exited 1 at once, with no drain and no snapshot.
  const dir = t.testdir({});
  const state = join(dir, 'rf.bin');
  const { p, out, exited } = await startServe(t, ['--state', state, '--drain', '30s']);
  p.kill('SIGINT');
  p.kill('SIGINT');
  // --drain 30s, but no call is in flight: it stops as soon as it finds none, not 30 s later.
  t.equal(await exited, 0, 'exit status 0');
  t.notMatch(out(), /again: exiting now/);
  t.match(out(), /no calls left in flight/);
  t.match(out(), /state snapshot written/);
  t.ok(statSync(state).size > 0, 'the snapshot is on disk');
});

t.test('an exception nothing caught: serve writes its state snapshot, then exits 1', async (t) => {
  // The throw comes from a timer of a module loaded before serve (--import), as one from inside a
  // library's socket callback would: no handler of ours is on the stack.
  const dir = t.testdir({});
  const go = join(dir, 'go');
  // Throws once the test says so (after serve is listening), from a timer: an interval of its own, unref'd.
  writeFileSync(join(dir, 'throw-later.mjs'), `import { existsSync } from 'node:fs';\nsetInterval(() => { if (existsSync(${JSON.stringify(go)})) throw new Error('boom from a callback'); }, 50).unref();\n`);
  const state = join(dir, 'rf.bin');
  const { out, exited } = await startServe(t, ['--state', state], ['--import', join(dir, 'throw-later.mjs')]);
  writeFileSync(go, '');
  const code = await exited;
  t.equal(code, 1, 'exit status 1');
  t.match(out(), /"level":60[^\n]*uncaught exception: exiting with status 1 after a state snapshot/, 'logged as fatal');
  t.match(out(), /boom from a callback/, 'with the error');
  t.match(out(), /"why":"crash"[^\n]*state snapshot written|state snapshot written[^\n]*"why":"crash"/);
  t.ok(statSync(state).size > 0, 'the snapshot is on disk');
});
