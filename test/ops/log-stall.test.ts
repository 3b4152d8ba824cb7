/**
 * A log reader that stops reading (journald busy, a container's log driver
 * stuck, a pipe nobody drains) must not stop screening: serve writes its log
 * asynchronously, so the call path never waits for the pipe. With synchronous
 * writes one full 64 KiB pipe (about 150 decision lines) froze the process.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SipResponse } from '../../lib/sip/sip-types.js';
import { makeInvite, UdpPeer, until } from '../helpers/sip-peer.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

t.test('serve keeps answering INVITEs while nobody reads its log', async (t) => {
  // The embedded example rules; a Beijing fixed line from abroad is rejected, one decision line a call.
  const p = spawn(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'serve', '--no-admin', '--listen', 'udp:127.0.0.1:0', '--drain', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  t.teardown(() => void p.kill('SIGKILL'));
  let out = '';
  const onData = (b: Buffer): void => void (out += b.toString());
  p.stdout.on('data', onData);
  await until(() => /standalone SIP proxy listening/.test(out), 30_000);
  const port = Number(/"udp:127\.0\.0\.1:(\d+)"/.exec(out)?.[1]);
  t.ok(port > 0, 'serve started');
  // From here on nobody reads: the pipe and Node's read buffer fill, then the writer is on its own.
  p.stdout.off('data', onData);
  p.stdout.pause();

  const uac = await UdpPeer.open('caller');
  t.teardown(() => uac.close());
  const calls = 600; // ~250 kB of decision lines, several times what the pipe and the reader's buffer hold
  const ids: string[] = [];
  for (let i = 0; i < calls; i++) {
    const inv = makeInvite(uac, { proxyPort: port, caller: '+861065529988', callee: `+86138001${String(i).padStart(5, '0')}` });
    ids.push(inv.headers['call-id']!);
    uac.send(inv, port);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
  }
  const answered = (): number => new Set(uac.queue.filter((x) => ((x.msg as SipResponse).status ?? 0) >= 200).map((x) => x.msg.headers['call-id'])).size;
  await until(() => answered() >= calls, 20_000, 100);
  t.equal(answered(), calls, 'every INVITE got its final response');
  t.ok(uac.queue.some((x) => (x.msg as SipResponse).status === 608), 'rejected as the rules say');
});
