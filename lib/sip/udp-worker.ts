/**
 * The UDP I/O thread (see lib/sip/udp-thread.ts): owns the UDP sockets,
 * queues every datagram it receives for the main thread and sends what the
 * main thread queues. Nothing here parses SIP.
 */
import dgram from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { DatagramRing, intToIpv4, ipv4ToInt, type DatagramView } from './datagram-ring.js';

export interface UdpWorkerData {
  listen: { host: string; port: number }[];
  recvBufferBytes: number;
  /** Main thread ← this thread. */
  inbound: SharedArrayBuffer;
  /** Main thread → this thread. */
  outbound: SharedArrayBuffer;
  /** Int32 counters: [0] socket errors. */
  stats: SharedArrayBuffer;
}

export type UdpWorkerReply =
  | { type: 'ready'; ports: number[]; recvBuffer: number[] }
  | { type: 'error'; message: string };

/** Datagrams sent before the thread looks at its sockets again. */
const SEND_BATCH = 256;

async function main(d: UdpWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const inbound = new DatagramRing(d.inbound);
  const outbound = new DatagramRing(d.outbound);
  const stats = new Int32Array(d.stats);
  const socks: dgram.Socket[] = [];
  try {
    for (let i = 0; i < d.listen.length; i++) {
      const l = d.listen[i] as { host: string; port: number };
      // Destinations come from the main thread as IPv4 numbers: literals, nothing to resolve.
      const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: d.recvBufferBytes, lookup: (h, _o, cb) => cb(null, h, 4) });
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(l.port, l.host, () => {
          sock.off('error', reject);
          resolve();
        });
      });
      const tag = i;
      sock.on('error', () => Atomics.add(stats, 0, 1));
      sock.on('message', (data, rinfo) => {
        // A full ring drops the datagram, as a full socket buffer would; the ring counts it.
        inbound.push(data, ipv4ToInt(rinfo.address), rinfo.port, tag);
        // The main thread is woken once per turn of this thread's loop, after all the datagrams it read.
        inbound.notifySoon(setImmediate);
      });
      socks.push(sock);
    }
  } catch (err) {
    for (const s of socks) s.close();
    port.postMessage({ type: 'error', message: (err as Error).message } satisfies UdpWorkerReply);
    return;
  }
  const recvBuffer = socks.map((s) => {
    try {
      return s.getRecvBufferSize();
    } catch {
      return 0;
    }
  });
  let closing = false;
  port.on('message', (m: unknown) => {
    if (m !== 'close') return;
    closing = true;
    // Whatever is queued still goes out, then the sockets close and the thread ends.
    outbound.drain(Infinity, sendOne);
    let open = socks.length;
    for (const s of socks) s.close(() => {
      if (--open === 0) process.exit(0);
    });
  });
  port.postMessage({ type: 'ready', ports: socks.map((s) => s.address().port), recvBuffer } satisfies UdpWorkerReply);

  function sendOne(v: DatagramView): void {
    const sock = socks[v.tag] ?? socks[0];
    // A copy: the ring's bytes are reused once released, and dgram may queue a send.
    try {
      sock?.send(outbound.copy(v), v.port, intToIpv4(v.ip));
    } catch {
      Atomics.add(stats, 0, 1);
    }
  }

  await outbound.consume(SEND_BATCH, sendOne, () => closing);
}

void main(workerData as UdpWorkerData);
