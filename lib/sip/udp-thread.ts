/**
 * UDP sockets on a thread of their own, so that the kernel's work on every
 * datagram is not done on the main thread.
 *
 * Why: profiled under sipp load at 1,875 calls/s, 40% of the proxy
 * thread's busy time was inside dgram's send, the sendmsg system call (on
 * loopback the sender's call also delivers to the receiving socket), about
 * 16 µs a datagram and 7 datagrams a call. Screening, transactions and
 * parsing cost less than that. The I/O thread (lib/sip/udp-worker.ts)
 * receives into one shared ring and sends from another
 * (lib/sip/datagram-ring.ts); the main thread only copies bytes in and out.
 * Its ring of received datagrams also keeps filling while the main thread
 * is in a garbage-collection pause, like a larger socket buffer.
 */
import { Worker } from 'node:worker_threads';
import { DatagramRing, intToIpv4, ipv4ToInt, type DatagramView } from './datagram-ring.js';
import type { UdpWorkerData, UdpWorkerReply } from './udp-worker.js';

export interface UdpThreadOptions {
  listen: { host: string; port: number }[];
  recvBufferBytes: number;
  /** Bytes of each ring (received, to send); rounded up to a power of two. */
  ringBytes?: number;
  onMessage(data: Buffer, listener: number, address: string, port: number): void;
  onError?(err: Error): void;
  /** The thread ended without close() (a crash): its sockets are closed, their ports free again. */
  onExit?(code: number): void;
}

/** 16 MiB a direction: at 7 datagrams of ~700 bytes a call, a second of 3,000 calls/s. */
const DEFAULT_RING = 16 * 1024 * 1024;
/** Datagrams handled before the main thread lets timers and other I/O run. */
const RECV_BATCH = 256;

/** The worker's module next to this one: .js when built, .ts under a TypeScript loader (tests). */
function workerUrl(): URL {
  const self = import.meta.url;
  return new URL(self.endsWith('.ts') ? './udp-worker.ts' : './udp-worker.js', self);
}

/** `make(key)`, remembered in a map of at most 4,096 entries (emptied when full). */
function remembered<K, V>(m: Map<K, V>, key: K, make: (key: K) => V): V {
  let v = m.get(key);
  if (v === undefined) {
    v = make(key);
    if (m.size >= 4096) m.clear();
    m.set(key, v);
  }
  return v;
}

export class UdpThread {
  readonly ports: number[];
  readonly recvBuffer: number[];
  private readonly inbound: DatagramRing;
  private readonly outbound: DatagramRing;
  private readonly stats: Int32Array;
  private closed = false;
  private exited: Promise<void>;
  /** Remote address text by its number: peers are few, and text per datagram is garbage. */
  private readonly names = new Map<number, string>();
  private readonly numbers = new Map<string, number>();
  private badDestinations = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly o: UdpThreadOptions,
    rings: { inbound: SharedArrayBuffer; outbound: SharedArrayBuffer; stats: SharedArrayBuffer },
    ready: { ports: number[]; recvBuffer: number[] },
  ) {
    this.inbound = new DatagramRing(rings.inbound);
    this.outbound = new DatagramRing(rings.outbound);
    this.stats = new Int32Array(rings.stats);
    this.ports = ready.ports;
    this.recvBuffer = ready.recvBuffer;
    this.exited = new Promise<void>((r) => worker.once('exit', (code) => {
      r();
      if (this.closed) return;
      this.closed = true;
      this.inbound.wake();
      o.onExit?.(code);
    }));
    worker.on('error', (err) => o.onError?.(err));
    this.run();
  }

  /** The receive loop; one that fails (an allocation, say) is reported and started again a moment later. */
  private run(): void {
    this.inbound.consume(RECV_BATCH, this.deliver, () => this.closed).catch((err: unknown) => {
      this.o.onError?.(err as Error);
      if (!this.closed) setTimeout(() => this.run(), 10).unref();
    });
  }

  static async open(o: UdpThreadOptions): Promise<UdpThread> {
    const ringBytes = o.ringBytes ?? DEFAULT_RING;
    const rings = {
      inbound: DatagramRing.allocate(ringBytes),
      outbound: DatagramRing.allocate(ringBytes),
      stats: new SharedArrayBuffer(16),
    };
    const data: UdpWorkerData = { listen: o.listen, recvBufferBytes: o.recvBufferBytes, ...rings };
    const worker = new Worker(workerUrl(), { workerData: data });
    const reply = await new Promise<UdpWorkerReply>((resolve) => {
      worker.once('message', (m: UdpWorkerReply) => resolve(m));
      worker.once('error', (err) => resolve({ type: 'error', message: err.message }));
      worker.once('exit', (code) => resolve({ type: 'error', message: `UDP thread ended at start (exit code ${code})` }));
    });
    if (reply.type !== 'ready') {
      await worker.terminate();
      throw new Error(reply.message);
    }
    return new UdpThread(worker, o, rings, reply);
  }

  /** Datagrams received that the main thread had no room for. */
  get droppedIn(): number {
    return this.inbound.dropped;
  }

  /** Datagrams to send that the I/O thread had no room for, plus socket errors there. */
  get sendErrors(): number {
    return this.outbound.dropped + Atomics.load(this.stats, 0) + this.badDestinations;
  }

  /** Queue a datagram from listener `listener` to an IPv4 address; false when it was dropped. */
  send(listener: number, address: string, port: number, data: Buffer): boolean {
    if (this.closed) return false;
    if (!(port > 0 && port < 65536)) {
      this.badDestinations++;
      return false;
    }
    const ip = remembered(this.numbers, address, ipv4ToInt);
    if (Number.isNaN(ip)) {
      this.badDestinations++;
      return false;
    }
    const ok = this.outbound.push(data, ip, port, listener);
    // One wake-up of the I/O thread per batch: the sends of one turn of this thread go together.
    this.outbound.notifySoon(queueMicrotask);
    return ok;
  }

  /** One received datagram to the handler. */
  private readonly deliver = (v: DatagramView): void => {
    if (this.closed) return;
    try {
      this.o.onMessage(this.inbound.copy(v), v.tag, remembered(this.names, v.ip, intToIpv4), v.port);
    } catch (err) {
      // The handler's bug must not stop every later datagram.
      this.o.onError?.(err as Error);
    }
  };

  async close(): Promise<void> {
    if (this.closed) return this.exited;
    this.closed = true;
    this.worker.postMessage('close');
    // Wake the receive loop so that it sees `closed` (it may be waiting on an empty ring).
    this.inbound.wake();
    const t = setTimeout(() => void this.worker.terminate(), 2000);
    await this.exited;
    clearTimeout(t);
  }
}
