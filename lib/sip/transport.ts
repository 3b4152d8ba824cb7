/**
 * SIP over UDP and TCP with our own sockets, and message decoding with the
 * `sip` package's parser behind checks of our own.
 *
 * Why our own sockets rather than the package's transport: its UDP socket
 * cannot be given a receive-buffer size (a 20–30 ms GC pause at a few
 * hundred calls/s overflows the kernel default of 208 KiB and drops
 * datagrams), and its transport is welded to its transaction layer, which
 * keeps every transaction for 32 s. Here the buffer is set at bind time and
 * the proxy owns its transactions.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { countListElements, hasSecondAddress, nameAddrDisplay, nameAddrUri, openAngle, quoteDisplay, splitHeaderList } from './headers.js';
import { prettyHeaderName } from './sip-text.js';
import { sip, type NameAddr, type Params, type RouteEntry, type SipMessage } from './sip-types.js';
import { UdpThread } from './udp-thread.js';

export type TransportName = 'udp' | 'tcp';

export interface ListenSpec {
  transport: TransportName;
  host: string;
  /** 0 picks a free port. */
  port: number;
}

/** A socket we listen on, with its real port. */
export interface Listener {
  transport: TransportName;
  host: string;
  port: number;
}

/** Where a message came from; `conn` for TCP, so responses go back on the same connection. */
export interface Peer {
  transport: TransportName;
  address: string;
  port: number;
  local: Listener;
  conn?: net.Socket;
}

export interface Dest {
  transport: TransportName;
  address: string;
  port: number;
}

export interface TransportOptions {
  /** SO_RCVBUF for UDP sockets, bytes (the kernel caps it at net.core.rmem_max). */
  recvBufferBytes: number;
  /** Largest message accepted, bytes. */
  maxMessageBytes: number;
  /** Idle TCP connections are closed after this long, ms. */
  tcpIdleMs?: number;
  /** Upper bound on TCP connections, in and out. At it, the oldest connection (accepted or opened) that never delivered a whole message is closed for a new one. */
  maxTcpConnections?: number;
  /** A TCP message begun must be complete within this long, ms (default 10 s): each byte of a dripped one reset the idle timer. */
  tcpMessageMs?: number;
  onMessage(data: Buffer, peer: Peer): void;
  /** A stream that could not be framed (oversize, junk): kind for counters. */
  onBadStream(kind: string, peer: Peer): void;
  onError?(err: Error, where: string): void;
  /** A TCP connection we opened failed before it connected (refused, unreachable): what was sent there is lost. */
  onDialError?(dest: Dest): void;
  /**
   * UDP sockets on an I/O thread of their own (lib/sip/udp-thread.ts), so
   * that the system calls of every datagram leave the main thread. Default
   * true; when the thread cannot start, the sockets open on the main thread
   * and onError says why.
   */
  udpThread?: boolean;
}

export interface TransportCounters {
  datagramsIn: number;
  datagramsOut: number;
  bytesIn: number;
  /** Datagrams not sent: socket errors, and a full queue to the I/O thread. */
  sendErrors: number;
  /** Datagrams received while the queue from the I/O thread was full (dropped, as a full socket buffer drops them). */
  receiveDrops: number;
  tcpAccepted: number;
  tcpConnected: number;
  /** Silent accepted connections closed at the cap to let a new one in. */
  tcpEvicted: number;
  /** New connections closed at the cap because every open one had sent SIP. */
  tcpRefused: number;
  /** Connections closed because the peer left more than MAX_TCP_UNSENT (MAX_TCP_UNSENT_DIALLED on one we opened) of ours unread. */
  tcpStalled: number;
}

/**
 * Bytes written to a TCP connection and not yet taken by the kernel, at most:
 * beyond it the peer is not reading, and the connection is closed rather
 * than have Node queue every later message for it in memory. (A peer that
 * pipelined requests the proxy answers itself, and never read the answers,
 * grew the proxy by 400 MB per 150 MB it sent.)
 */
export const MAX_TCP_UNSENT = 1024 * 1024;
/**
 * The same bound for a connection we opened (to the next hop, as a rule): a
 * core that stops reading for a moment in a burst is not a hostile peer, and
 * closing that connection would lose every call in flight on it. Memory stays
 * bounded by the transaction limits.
 */
export const MAX_TCP_UNSENT_DIALLED = 32 * 1024 * 1024;

/**
 * dgram resolves every destination, an IP literal too, and sends a tick
 * later (a closure and a nextTick per datagram). Destinations here are
 * always IPv4 literals (the proxy resolves names itself): answered at once.
 */
function literalLookup(hostname: string, options: dns.LookupOneOptions, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  if (net.isIPv4(hostname)) callback(null, hostname, 4);
  else dns.lookup(hostname, options, callback);
}

export class SipTransport {
  readonly listeners: Listener[] = [];
  /** Effective SO_RCVBUF per UDP listener as the kernel reports it (Linux reports double the granted size). */
  readonly recvBuffer: number[] = [];
  private readonly c: TransportCounters = { datagramsIn: 0, datagramsOut: 0, bytesIn: 0, sendErrors: 0, receiveDrops: 0, tcpAccepted: 0, tcpConnected: 0, tcpEvicted: 0, tcpRefused: 0, tcpStalled: 0 };
  private readonly udp: dgram.Socket[] = [];
  /** The UDP I/O thread, when the UDP listeners run on one. */
  private thread: UdpThread | undefined;
  private readonly udpListeners: Listener[] = [];
  private readonly tcpServers: net.Server[] = [];
  /** Connections this transport opened (dial), as opposed to accepted ones. */
  private readonly dialled = new WeakSet<net.Socket>();
  /** Open TCP connections by remote `address:port` (accepted and dialled alike). */
  private readonly conns = new Map<string, net.Socket>();
  /**
   * Connections (accepted, or opened by us once connected) that have not yet delivered a whole message, oldest
   * first, with their `conns` key. At the cap they make way for a new one:
   * otherwise a peer opening thousands of connections and sending nothing
   * shuts every SIP peer out of TCP for the idle timeout (5 minutes), again
   * and again.
   */
  private readonly silent = new Map<net.Socket, string>();
  private closed = false;

  private constructor(private readonly o: TransportOptions) {}

  /** A copy of the counters, the I/O thread's included. */
  get counters(): TransportCounters {
    const c = { ...this.c };
    if (this.thread) {
      c.sendErrors += this.thread.sendErrors;
      c.receiveDrops += this.thread.droppedIn;
    }
    return c;
  }

  static async open(specs: ListenSpec[], o: TransportOptions): Promise<SipTransport> {
    const t = new SipTransport(o);
    try {
      for (const s of specs) {
        if (net.isIPv4(s.host) === false) throw new Error(`listen host must be an IPv4 address (the sip parser has no IPv6 URIs): ${s.host}`);
        if (s.transport !== 'udp' && s.transport !== 'tcp') throw new Error(`unknown transport ${String((s as ListenSpec).transport)}`);
      }
      const udp = specs.filter((s) => s.transport === 'udp');
      if (udp.length > 0 && o.udpThread !== false) await t.openUdpThread(udp);
      else for (const s of udp) await t.openUdp(s);
      for (const s of specs) if (s.transport === 'tcp') await t.openTcp(s);
    } catch (err) {
      await t.close();
      throw err;
    }
    return t;
  }

  /** The UDP listeners on the I/O thread; on the main thread when the thread does not start. */
  private async openUdpThread(specs: ListenSpec[]): Promise<void> {
    let thread: UdpThread;
    try {
      thread = await UdpThread.open({
        listen: specs.map((s) => ({ host: s.host, port: s.port })),
        recvBufferBytes: this.o.recvBufferBytes,
        onMessage: (data, i, address, port) => this.received(data, address, port, this.udpListeners[i] as Listener),
        onError: (err) => this.o.onError?.(err, 'udp thread'),
        onExit: (code) => void this.udpThreadEnded(code, specs),
      });
    } catch (err) {
      const message = (err as Error).message;
      // A port in use is the operator's to fix, on any thread (the thread's bind errors arrive as their text).
      if (/EADDRINUSE|EACCES|EADDRNOTAVAIL/.test(message)) throw err;
      this.o.onError?.(new Error(`UDP I/O thread not started (${message}); UDP runs on the main thread`), 'udp thread');
      for (const s of specs) await this.openUdp(s);
      return;
    }
    this.thread = thread;
    specs.forEach((s, i) => {
      const l: Listener = { transport: 'udp', host: s.host, port: thread.ports[i] as number };
      this.udpListeners.push(l);
      this.listeners.push(l);
      this.recvBuffer.push(thread.recvBuffer[i] ?? 0);
    });
  }

  /**
   * The I/O thread ended on its own (a bug, memory): the same ports open on
   * the main thread, so that a crash there costs the datagrams in flight,
   * not the service.
   */
  private async udpThreadEnded(code: number, specs: ListenSpec[]): Promise<void> {
    if (this.closed) return;
    this.o.onError?.(new Error(`UDP I/O thread ended (exit code ${code}); UDP moves to the main thread`), 'udp thread');
    const ports = this.udpListeners.map((l) => l.port);
    // What the thread counted stays counted: counters never go back.
    if (this.thread) {
      this.c.sendErrors += this.thread.sendErrors;
      this.c.receiveDrops += this.thread.droppedIn;
    }
    this.thread = undefined;
    for (const l of this.udpListeners) this.listeners.splice(this.listeners.indexOf(l), 1);
    this.udpListeners.length = 0;
    this.recvBuffer.length = 0;
    try {
      for (let i = 0; i < specs.length; i++) await this.openUdp({ ...(specs[i] as ListenSpec), port: ports[i] as number });
    } catch (err) {
      this.o.onError?.(err as Error, 'udp socket');
    }
  }

  /** A UDP datagram from either socket path, counted and handed on. */
  private received(data: Buffer, address: string, port: number, local: Listener): void {
    this.c.datagramsIn++;
    this.c.bytesIn += data.length;
    this.o.onMessage(data, { transport: 'udp', address, port, local });
  }

  private async openUdp(s: ListenSpec): Promise<void> {
    const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: this.o.recvBufferBytes, lookup: literalLookup });
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(s.port, s.host, () => {
        sock.off('error', reject);
        resolve();
      });
    });
    const l: Listener = { transport: 'udp', host: s.host, port: sock.address().port };
    sock.on('error', (err) => {
      this.c.sendErrors++;
      this.o.onError?.(err, 'udp socket');
    });
    sock.on('message', (data, rinfo) => this.received(data, rinfo.address, rinfo.port, l));
    this.udp.push(sock);
    this.udpListeners.push(l);
    this.listeners.push(l);
    let size = 0;
    try {
      size = sock.getRecvBufferSize();
    } catch {
      // not fatal: only reported
    }
    this.recvBuffer.push(size);
  }

  private async openTcp(s: ListenSpec): Promise<void> {
    // No server.maxConnections: it refuses before accept() could make room (see `silent`).
    const server = net.createServer({ noDelay: true }, (c) => this.accept(c, l));
    const l: Listener = { transport: 'tcp', host: s.host, port: 0 };
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(s.port, s.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    l.port = (server.address() as net.AddressInfo).port;
    server.on('error', (err) => this.o.onError?.(err, 'tcp server'));
    this.tcpServers.push(server);
    this.listeners.push(l);
  }

  /** An inbound connection: within the cap, or in place of the oldest silent one, or refused. */
  private accept(c: net.Socket, l: Listener): void {
    if (!this.room()) {
      this.c.tcpRefused++;
      c.destroy();
      return;
    }
    this.adopt(c, l);
  }

  /** Below the connection cap, or brought below it by closing the oldest silent connection; false when every one has spoken. */
  private room(): boolean {
    if (this.conns.size < (this.o.maxTcpConnections ?? 10_000)) return true;
    const oldest = this.silent.entries().next().value;
    if (!oldest) return false;
    const [victim, key] = oldest;
    this.silent.delete(victim);
    // Forgotten now, not at its 'close': a burst of new connections must not all count it.
    if (this.conns.get(key) === victim) this.conns.delete(key);
    victim.destroy();
    this.c.tcpEvicted++;
    return true;
  }

  /** Wire a TCP connection (accepted or dialled) to the framer. */
  private adopt(c: net.Socket, l: Listener, accepted = true): void {
    if (accepted) this.c.tcpAccepted++;
    const address = c.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    const port = c.remotePort ?? 0;
    const key = `${address}:${port}`;
    const peer: Peer = { transport: 'tcp', address, port, local: l, conn: c };
    if (accepted) this.conns.set(key, c);
    // Connections we opened are silent until the far end sends a whole message, like accepted ones. A Via or
    // Route naming TCP makes us dial wherever a message says (a stray response's next Via, an in-dialog Route),
    // and connections to listeners that never speak, kept for the idle timeout, used to fill the cap: every
    // new inbound connection was refused and every dial failed, for 5 minutes, for a few datagrams.
    this.silent.set(c, key);
    c.setTimeout(this.o.tcpIdleMs ?? 300_000, () => c.destroy());
    const framer = new StreamFramer(this.o.maxMessageBytes);
    const messageMs = this.o.tcpMessageMs ?? 10_000;
    let deadline: NodeJS.Timeout | undefined;
    let whole = 0;
    const emit = (m: Buffer): void => {
      whole++;
      this.o.onMessage(m, peer);
    };
    // RFC 5626 §3.5.1: a double CRLF (ping) is answered at once with a single CRLF (pong). Without it, a client
    // that checks for the pong (an outbound flow) took the connection for dead at every keep-alive and opened
    // another. A peer that sends pings and never reads gets no more once a few KB of pongs wait unsent (they
    // would queue without bound), and a pong does not make a connection less silent: it is still evictable.
    const pong = (): void => {
      if (!c.destroyed && c.writableLength < 4096) c.write('\r\n');
    };
    c.on('data', (chunk: Buffer) => {
      this.c.bytesIn += chunk.length;
      const before = whole;
      const bad = framer.push(chunk, emit, pong);
      if (bad) {
        // A stream that lost its framing cannot be resynchronised: close it.
        this.o.onBadStream(bad, peer);
        c.destroy();
        return;
      }
      if (whole > before) {
        this.silent.delete(c);
        clearTimeout(deadline);
        deadline = undefined;
      }
      // The clock runs from the first byte of a message to its last; messages that keep completing keep it reset.
      if (framer.pending === 0) {
        clearTimeout(deadline);
        deadline = undefined;
      } else {
        deadline ??= setTimeout(() => {
          if (c.destroyed) return;
          this.o.onBadStream('slow-message', peer);
          c.destroy();
        }, messageMs);
      }
    });
    c.on('error', () => c.destroy());
    c.on('close', () => {
      clearTimeout(deadline);
      this.silent.delete(c);
      if (this.conns.get(key) === c) this.conns.delete(key);
    });
  }

  /** The listener requests of this transport leave from (its port goes in our Via). */
  listenerFor(transport: TransportName): Listener {
    return this.listeners.find((l) => l.transport === transport) ?? (this.listeners[0] as Listener);
  }

  send(dest: Dest, data: Buffer, conn?: net.Socket): void {
    if (this.closed) return;
    // Ports come from messages (Via, Route, Contact: 'sip:a@127.0.0.1:99999' parses as port 99999).
    // dgram.send and net.connect throw on one out of range, and a throw here escaped as an internal
    // error, left a client transaction registered without timers (a leak per message), or, in a
    // promise callback (a DNS-resolved ACK route), an unhandled rejection that ended the process.
    if (!(Number.isInteger(dest.port) && dest.port > 0 && dest.port < 65536)) {
      this.c.sendErrors++;
      return;
    }
    if (dest.transport === 'udp') {
      // No datagram carries it (the send fails with EMSGSIZE, on the I/O thread unseen).
      if (data.length > MAX_UDP_PAYLOAD) {
        this.c.sendErrors++;
        return;
      }
      if (this.thread) {
        this.c.datagramsOut++;
        // Not sent (a full queue, no IPv4 destination): counted in thread.sendErrors.
        this.thread.send(0, dest.address, dest.port, data);
        return;
      }
      // IPv4 only, so the first UDP listener serves every destination (its port is the one in our Via).
      const sock = this.udp[0];
      if (!sock) {
        this.c.sendErrors++;
        return;
      }
      this.c.datagramsOut++;
      // No callback: Node then sends synchronously without a completion request per datagram
      // (measurably cheaper at thousands of sends a second); failures arrive as 'error' events, counted there.
      sock.send(data, dest.port, dest.address);
      return;
    }
    let c = conn && !conn.destroyed ? conn : this.conns.get(`${dest.address}:${dest.port}`);
    if (!c || c.destroyed) c = this.dial(dest);
    if (!c) {
      this.c.sendErrors++;
      return;
    }
    if (c.writableLength > (this.dialled.has(c) ? MAX_TCP_UNSENT_DIALLED : MAX_TCP_UNSENT)) {
      this.c.tcpStalled++;
      this.c.sendErrors++;
      c.destroy();
      return;
    }
    c.write(data);
  }

  private dial(dest: Dest): net.Socket | undefined {
    if (!this.room()) return undefined;
    const key = `${dest.address}:${dest.port}`;
    const c = net.connect({ host: dest.address, port: dest.port, noDelay: true });
    this.dialled.add(c);
    this.c.tcpConnected++;
    this.conns.set(key, c);
    // Evictable at the cap from the start, and given up on after tcpMessageMs: a connect to an address that
    // never answers waits out the kernel's SYN retries (about 2 minutes), and a few stray responses naming TCP
    // Vias there used to fill the cap with pending dials no one could evict.
    this.silent.set(c, key);
    c.setTimeout(this.o.tcpMessageMs ?? 10_000, () => c.destroy());
    const l = this.listenerFor('tcp');
    let connected = false;
    c.once('connect', () => {
      connected = true;
      // adopt() re-keys by the real remote address, which equals dest for IPv4 literals, and sets the idle timeout.
      this.adopt(c, l, false);
    });
    c.on('error', () => {
      this.c.sendErrors++;
      c.destroy();
      if (!connected && !this.closed) this.o.onDialError?.({ transport: 'tcp', address: dest.address, port: dest.port });
    });
    c.on('close', () => {
      this.silent.delete(c);
      if (this.conns.get(key) === c) this.conns.delete(key);
    });
    return c;
  }

  get tcpConnections(): number {
    return this.conns.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.conns.values()) c.destroy();
    this.conns.clear();
    this.silent.clear();
    await Promise.all([
      ...(this.thread ? [this.thread.close()] : []),
      ...this.udp.map((s) => new Promise<void>((r) => {
        try {
          s.close(() => r());
        } catch {
          r();
        }
      })),
      ...this.tcpServers.map((s) => new Promise<void>((r) => s.close(() => r()))),
    ]);
  }
}

/**
 * Splits a TCP byte stream into SIP messages by the blank line and
 * Content-Length (RFC 3261 §18.3). Framing only: parsing is the sip package's.
 */
export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** CR and LF bytes in a row since the last message ended, across chunks: four of them are an RFC 5626 ping. */
  private crlfs = 0;

  constructor(private readonly max: number) {}

  /** Bytes of a message begun and not yet complete. */
  get pending(): number {
    return this.buf.length;
  }

  /**
   * Feeds a chunk; calls `emit` per whole message, and `ping` per RFC 5626
   * keep-alive (a double CRLF between messages); returns a problem kind when
   * the stream is unusable.
   */
  push(chunk: Buffer, emit: (m: Buffer) => void, ping?: () => void): string | null {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      // RFC 5626 keep-alives and stray CRLFs between messages.
      let start = 0;
      while (start < this.buf.length && (this.buf[start] === 13 || this.buf[start] === 10)) start++;
      if (start > 0) {
        this.buf = this.buf.subarray(start);
        for (this.crlfs += start; this.crlfs >= 4; this.crlfs -= 4) ping?.();
      }
      if (this.buf.length === 0) return null;
      this.crlfs = 0;
      const end = this.buf.indexOf('\r\n\r\n', 0, 'latin1');
      if (end < 0) return this.buf.length > this.max ? 'oversize' : null;
      const head = this.buf.toString('latin1', 0, end);
      const m = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)/im.exec(head);
      // RFC 3261 §20.14: 1*DIGIT. Number() alone would take '0x10' or '1e2' as a length and lose the framing.
      if (m && !/^\d+$/.test(m[1] as string)) return 'content-length';
      const len = m ? Number(m[1]) : 0;
      if (!Number.isInteger(len) || len < 0) return 'content-length';
      if (end + 4 + len > this.max) return 'oversize';
      if (this.buf.length < end + 4 + len) return null;
      const msg = this.buf.subarray(0, end + 4 + len);
      this.buf = this.buf.subarray(end + 4 + len);
      // Copy out: the stream buffer is reused, the message may be kept.
      emit(Buffer.from(msg));
    }
  }
}

/**
 * Where each header line of a decoded message sits, so that a proxy can
 * forward it by splicing byte ranges instead of re-serialising the whole
 * message (the `sip` package's stringify was a tenth of the proxy's CPU).
 */
export interface RawMessage {
  /** The message as the parser saw it (latin1: one char per byte). */
  text: string;
  /** Start of the start line (leading CRLFs skipped, as the parser does). */
  start: number;
  /** Index of the CRLF ending the start line. */
  startEnd: number;
  /** Index of the CRLF CRLF ending the header section. */
  headEnd: number;
  /** Header line i spans text[spans[2i], spans[2i+1]) without its CRLF (folded lines included). */
  spans: number[];
  /** Lower-case full name of each header line (compact forms expanded). */
  names: string[];
  /** A Content-Length line equals the body length exactly, so the body can be copied as is. */
  bodyExact: boolean;
}

/** The largest UDP payload over IPv4: 65,535 less the IP and UDP headers. */
export const MAX_UDP_PAYLOAD = 65_507;

export type Decoded =
  | { ok: true; msg: SipMessage; raw: RawMessage }
  | { ok: false; kind: string; msg?: SipMessage };

/** What decode checks of a header, by its canonical name. */
const STRUCTURED = 1; // the parser turns it into a structure; a failure there leaves the header out silently
const LIST = 2; // a list whose elements are counted (via, route, record-route)
const COMPACT: Record<string, string> = { v: 'via', t: 'to', f: 'from', i: 'call-id', m: 'contact', l: 'content-length' };
/** Single-valued headers carry a bit of their own, for the seen-twice check (bits from 4 up). */
const KIND: Record<string, number> = {
  via: STRUCTURED | LIST, route: STRUCTURED | LIST, 'record-route': STRUCTURED | LIST, contact: STRUCTURED,
  to: STRUCTURED | 4, from: STRUCTURED | 8, cseq: STRUCTURED | 16, 'call-id': STRUCTURED | 32, 'content-length': STRUCTURED | 64, 'max-forwards': STRUCTURED | 128,
};

/** A header name as written ('Via', 'v', 'CALL-ID ') → its canonical lower-case name and what to check. */
interface NameInfo {
  name: string;
  kind: number;
}
/** Names seen so far: most messages repeat the same few dozen spellings, so trim and case-folding are done once per spelling. Bounded: junk names are not cached past it. */
const names = new Map<string, NameInfo>();
const MAX_NAMES = 2000;

function nameInfo(written: string): NameInfo {
  let info = names.get(written);
  if (info === undefined) {
    // As the parser reads names (it unescapes %XX), so that splicing drops and replaces the lines the parser took for those headers.
    let name = unescape(written.trim()).toLowerCase();
    // Own keys only: 'constructor' or '__proto__' would otherwise find Object.prototype's members.
    name = Object.hasOwn(COMPACT, name) ? (COMPACT[name] as string) : name;
    info = { name, kind: Object.hasOwn(KIND, name) ? (KIND[name] as number) : 0 };
    if (names.size < MAX_NAMES) names.set(written, info);
  }
  return info;
}

/** A CR not followed by LF or an LF not preceded by CR in s[from, to) (a regex with a lookbehind did the same at twice the cost). */
function hasBareLineBreak(s: string, from: number, to: number): boolean {
  for (let at = from; ; ) {
    const cr = s.indexOf('\r', at);
    const lf = s.indexOf('\n', at);
    if (cr < 0 || cr >= to) return lf >= 0 && lf < to;
    if (lf !== cr + 1) return true;
    at = cr + 2;
  }
}
/** RFC 3261 §20.16: 1*DIGIT LWS Method (LWS may be folded). */
const CSEQ = /^\s*\d+\s+\S/;
const DIGITS = /^[ \t]*\d+[ \t]*$/;

/** The parser's `^\s*`: leading whitespace (keep-alive CRLFs) before the start line. */
function skipSpace(s: string): number {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13) && c !== 0xa0) break;
  }
  return i;
}

/**
 * Headers whose parsers in the package take more than linear time on hostile
 * values. The lists rescan the rest of the line for parameters after every
 * element: time grows with elements × line length (a 56 kB Route of 7,000
 * bare URIs took 340 ms). Via's regular expression also backtracks at every
 * '/' (60 kB of 'SIP/2.0/' took 750 ms).
 */
const RESCANNED = new Set(['contact', 'route', 'record-route', 'path', 'via']);
/**
 * The authentication headers backtrack over the whole line at every start
 * (a 32 kB WWW-Authenticate without a space took 2.2 s, with no comma in
 * it). The proxy never reads them: they are kept from the parser and put
 * back as written (a string header is serialised as it is), so their cost
 * is that of finding the line.
 */
const UNPARSED = new Set(['www-authenticate', 'proxy-authenticate', 'authorization', 'proxy-authorization', 'authentication-info']);
/**
 * Elements × line length allowed in one RESCANNED line (for Via, its '/'
 * count as elements too): about 0.3 ms of parsing at worst. Thirty
 * Record-Route entries on a 3 kB line use a third of it. The message's lines
 * together may use four times as much.
 */
export const LIST_PARSE_BUDGET = 262_144;
/**
 * Header lines in one message: the package takes about 5 µs a line (12,000
 * one-letter Contact lines took 55 ms), and real messages carry a few dozen.
 */
export const MAX_HEADER_LINES = 256;
const MESSAGE_PARSE_BUDGET = 4 * LIST_PARSE_BUDGET;

/** The header lines decode() must keep from the package's parser, found in one pass over the header section. */
interface Prescan {
  /** RESCANNED lines over budget, [start, end) with their CRLF; the name of the first (or of the costliest, when the message as a whole is over). */
  costly: { name: string; spans: number[] } | null;
  /** UNPARSED lines, [start, end) with their CRLF, and their values by header name. */
  hidden: number[];
  values: Map<string, string[]>;
  /** Every header line: [start, end) without its CRLF, its colon (-1 for none), canonical name and kind (KIND). */
  spans: number[];
  colons: number[];
  names: string[];
  kinds: number[];
}

/** Header lines from `from` to headEnd as the package splits them (a CRLF not followed by space or tab); see Prescan. */
function prescan(s: string, from: number, headEnd: number): Prescan {
  const out: Prescan = { costly: null, hidden: [], values: new Map(), spans: [], colons: [], names: [], kinds: [] };
  let total = 0;
  let worst = 0;
  let worstName = '';
  // The next ':', ',' and '/' at or after where the scan stands: each found once, so that lines
  // without them (a search past the line's end) do not make the scan quadratic.
  let nextColon = s.indexOf(':', from);
  let nextComma = -2;
  let nextSlash = -2;
  for (let ls = from; ls <= headEnd; ) {
    let le = ls;
    for (;;) {
      le = s.indexOf('\r\n', le);
      if (le < 0 || le >= headEnd) {
        le = headEnd;
        break;
      }
      const c = s.charCodeAt(le + 2);
      if (c !== 32 && c !== 9) break;
      le += 2;
    }
    if (nextColon >= 0 && nextColon < ls) nextColon = s.indexOf(':', ls);
    const colon = nextColon >= 0 && nextColon < le ? nextColon : -1;
    out.spans.push(ls, le);
    if (out.names.length >= MAX_HEADER_LINES) {
      out.costly = { name: 'header-lines', spans: [] };
      return out;
    }
    if (colon <= ls || colon >= le) {
      out.colons.push(-1);
      out.names.push('');
      out.kinds.push(0);
    } else {
      const { name, kind } = nameInfo(s.slice(ls, colon));
      out.colons.push(colon);
      out.names.push(name);
      out.kinds.push(kind);
      if (UNPARSED.has(name)) {
        out.hidden.push(ls, le + 2);
        const v = s.slice(colon + 1, le).trim();
        const list = out.values.get(name);
        if (list) list.push(v);
        else out.values.set(name, [v]);
      } else if (RESCANNED.has(name)) {
        let n = 1;
        if (nextComma !== -1 && nextComma < colon) nextComma = s.indexOf(',', colon);
        while (nextComma >= 0 && nextComma < le) {
          n++;
          nextComma = s.indexOf(',', nextComma + 1);
        }
        if (name === 'via') {
          if (nextSlash !== -1 && nextSlash < colon) nextSlash = s.indexOf('/', colon);
          while (nextSlash >= 0 && nextSlash < le) {
            n++;
            nextSlash = s.indexOf('/', nextSlash + 1);
          }
        }
        const cost = n * (le - colon);
        total += cost;
        if (cost > worst) {
          worst = cost;
          worstName = name;
        }
        if (cost > LIST_PARSE_BUDGET) {
          out.costly ??= { name, spans: [] };
          out.costly.spans.push(ls, le + 2);
        }
      }
    }
    ls = le + 2;
  }
  // Many lines each under the budget: the whole message is refused, named after its costliest header.
  if (out.costly === null && total > MESSAGE_PARSE_BUDGET) out.costly = { name: worstName, spans: [] };
  return out;
}

/** s without the [start, end) spans (sorted, not overlapping). */
function without(s: string, spans: readonly number[]): string {
  let out = s.slice(0, spans[0]);
  for (let i = 1; i < spans.length; i += 2) out += s.slice(spans[i], spans[i + 1] ?? s.length);
  return out;
}

/** Merge two sorted span lists. */
function mergeSpans(a: readonly number[], b: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (const x of [a, b]) for (let i = 0; i < x.length; i += 2) pairs.push([x[i] as number, x[i + 1] as number]);
  pairs.sort((p, q) => p[0] - q[0]);
  return pairs.flat();
}

/**
 * Parse one message and check what the parser does not: a structured header
 * it failed on (the package swallows the error and drops the header), a Via
 * or Route list it truncated, a Content-Length that is not a number or
 * exceeds the body (RFC 3261 §18.3). A message that fails carries `msg` when
 * it parsed far enough for a 400 to be formed.
 */
export function decode(data: Buffer, maxBytes: number): Decoded {
  if (data.length > maxBytes) return { ok: false, kind: 'oversize' };
  const s = data.toString('latin1');
  // The parser matched /^\s*([\S\s]*?)\r\n\r\n/: the same bounds here.
  const start = skipSpace(s);
  const headEnd = s.indexOf('\r\n\r\n', start);
  if (headEnd < 0) return { ok: false, kind: 'unparsable' };
  let startEnd = s.indexOf('\r\n', start);
  if (startEnd > headEnd) startEnd = headEnd;
  // Header lines end at a CRLF not followed by space or tab (RFC 3261 §7.3.1 folding), as the parser splits them.
  const lines = prescan(s, startEnd + 2, headEnd);
  // A list the package would take (hundreds of) milliseconds to parse is refused before it parses:
  // a few such datagrams a second would otherwise hold up every call. The rest of the message is
  // parsed without those lines, so that a request can still be answered 400. Authentication headers
  // are never parsed (UNPARSED).
  if (lines.costly !== null) {
    const rest = lines.costly.spans.length > 0 || lines.hidden.length > 0 ? without(s, mergeSpans(lines.costly.spans, lines.hidden)) : s;
    let partial: SipMessage | undefined;
    // Over the message budget with no single line over: nothing to strip that would make parsing cheap.
    if (lines.costly.spans.length > 0) {
      try {
        partial = sip.parse(rest);
      } catch {
        partial = undefined;
      }
    }
    const kind = lines.costly.name === 'header-lines' ? 'too-many-headers' : `long-list:${lines.costly.name}`;
    // As below: no 400 that would echo a header carrying a bare line break.
    const restEnd = rest.indexOf('\r\n\r\n', start);
    const clean = restEnd >= 0 && !hasBareLineBreak(rest, start, restEnd);
    return clean && partial && typeof partial.headers === 'object' ? { ok: false, kind, msg: partial } : { ok: false, kind };
  }
  let msg: SipMessage | undefined;
  try {
    msg = sip.parse(lines.hidden.length > 0 ? without(s, lines.hidden) : s);
  } catch {
    msg = undefined;
  }
  if (!msg || typeof msg.headers !== 'object') return { ok: false, kind: 'unparsable' };
  // Put back as written: one string per header (the serialiser writes a string value as it is; several lines joined by CRLF and the name).
  for (const [name, vs] of lines.values) (msg.headers as Record<string, unknown>)[name] = vs.join(`\r\n${prettyHeaderName(name)}: `);
  // A bare CR or LF inside a header would be forwarded as is, and a downstream parser that takes it as a line end would see a header the caller smuggled in.
  if (hasBareLineBreak(s, start, headEnd)) return { ok: false, kind: 'bare-line-break', msg };
  // RFC 3261 §7.2 and §21: Status-Code is 3DIGIT, classes 1xx to 6xx. The parser takes any digits
  // ('0', '1000', '00200'): a 0 made the serialiser write a request line of nothing and throw, and
  // 700 or 1000 were relayed upstream as finals.
  if (msg.status !== undefined && !/^SIP\/\d+\.\d+[ \t]+[1-6]\d\d(?:[ \t]|$)/.test(s.slice(start, startEnd))) return { ok: false, kind: 'status-code' };
  const spans = lines.spans;
  const lineNames = lines.names;
  let vias = 0;
  let routes = 0;
  let rroutes = 0;
  let seen = 0;
  for (let i = 0; i < lineNames.length; i++) {
    const colon = lines.colons[i] as number;
    if (colon < 0) return { ok: false, kind: 'unparsable' };
    const name = lineNames[i] as string;
    const kind = lines.kinds[i] as number;
    const le = spans[2 * i + 1] as number;
    // The parser looks names up in plain objects: it files 'constructor' under the text of the Object
    // function and '__proto__' under '[object Object]', and a re-serialised forward wrote those as
    // header names. No SIP header is called either.
    if (name === 'constructor' || name === '__proto__') return { ok: false, kind: 'bad-header-name', msg };
    if (kind === 0) continue;
    if (msg.headers[name] === undefined) return { ok: false, kind: `bad-header:${name}`, msg };
    // RFC 3261 §20.14: 1*DIGIT. The parser coerces with `+value`, so '0x10', '1e2' and '' would pass as 16, 100 and 0.
    if (name === 'content-length' && !DIGITS.test(s.slice(colon + 1, le))) return { ok: false, kind: 'content-length', msg };
    // RFC 3261 §20.16: 1*DIGIT LWS Method. The parser reads 'CSeq: -1 INVITE' as 1.
    if (name === 'cseq' && !CSEQ.test(s.slice(colon + 1, le))) return { ok: false, kind: 'bad-header:cseq', msg };
    // A single-valued header given twice: the parser keeps the first and drops a bad second silently.
    const bit = kind & ~3;
    if (bit !== 0) {
      if (seen & bit) return { ok: false, kind: `bad-header:${name}`, msg };
      seen |= bit;
    }
    // Count list elements as written, to catch a list the parser cut short at a bad element.
    if (kind & LIST) {
      const n = countListElements(s, colon + 1, le);
      if (name === 'via') vias += n;
      else if (name === 'route') routes += n;
      else rroutes += n;
    }
  }
  const h = msg.headers;
  if (h.via && (h.via.length !== vias || h.via.some((v) => !v || !v.host || !v.protocol))) return { ok: false, kind: 'bad-header:via', msg };
  if (h.route && (h.route.length !== routes || h.route.some((r) => typeof r.uri !== 'object' || !r.uri))) return { ok: false, kind: 'bad-header:route', msg };
  if (h['record-route'] && h['record-route'].length !== rroutes) return { ok: false, kind: 'bad-header:record-route', msg };
  // An element whose URI the parser could not read (an IPv6 proxy upstream) is left undefined, and the
  // package's serialiser threw on it whenever the message was re-serialised (a display prefix, an
  // inexact body): the INVITE got a 500, a response was lost. Its text, kept as a string, serialises as written.
  if (h['record-route']?.some((r) => !r.uri)) recoverRecordRoute(s, spans, lineNames, h['record-route']);
  // From and To as the next hop reads them, not as the package guessed (see readAddress): the caller is screened on that.
  for (const name of ['from', 'to'] as const) {
    const a = h[name];
    if (a === undefined) continue;
    const fixed = readAddress(s, spans, lineNames, name, a);
    // A request is screened on it; a response is relayed as it came (dropping one would cost a call, not stop one).
    if (fixed === null && msg.status === undefined) return { ok: false, kind: `bad-header:${name}`, msg };
    if (fixed !== null) h[name] = fixed;
  }
  if (h.cseq && !(Number.isInteger(h.cseq.seq) && h.cseq.seq >= 0 && h.cseq.seq < 2 ** 31)) return { ok: false, kind: 'bad-header:cseq', msg };
  const cl = h['content-length'];
  const body = s.length - (headEnd + 4);
  if (cl !== undefined) {
    if (!Number.isInteger(cl) || cl < 0) return { ok: false, kind: 'content-length', msg };
    if (cl > body) return { ok: false, kind: 'content-length', msg };
  }
  return { ok: true, msg, raw: { text: s, start, startEnd, headEnd, spans, names: lineNames, bodyExact: cl === body } };
}

/** RFC 3986 scheme and its colon: what every URI in a From or To starts with. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** The package's parameter grammar (sip.js parseParams), anchored. */
const PARAM = /\s*;\s*([\w\-.!%*_+`'~]+)(?:\s*=\s*([\w\-.!%*_+`'~]+|"[^"\\]*(?:\\.[^"\\]*)*"))?/y;

/**
 * A From or To as written, checked against what the package made of it. Its
 * parser reads a display name only as tokens or one well-formed quoted
 * string; anything else (`a/b <sip:…>`, `Jöhn <sip:…>`, `"a"b" <sip:…>`,
 * `sip:+1555…@x <sip:+86…@y>`) it takes as an addr-spec, so the URI it
 * reported was the junk before the '<' and the tag was lost, while the line
 * went on as written and the next hop read the URI in the angle brackets:
 * a spoofed caller ID passed unscreened behind any such display name. The
 * URI in angle brackets (outside quotes) is the one that counts, as
 * headers.ts reads it for screening; a value with no URI in it that has a
 * scheme is refused (null). The display name of a repaired value is quoted.
 */
function readAddress(s: string, spans: number[], names: string[], name: string, a: NameAddr): NameAddr | null {
  const i = names.indexOf(name);
  if (i < 0) return a;
  const ls = spans[2 * i] as number;
  const value = s.slice(s.indexOf(':', ls) + 1, spans[2 * i + 1] as number).trim();
  if (hasSecondAddress(value)) return null;
  const uri = nameAddrUri(value);
  if (!SCHEME.test(uri)) return null;
  if (typeof a.uri === 'string' && a.uri.trim() === uri) return a;
  // Header parameters (the tag) follow the '>' of a name-addr, or the URI of an addr-spec.
  const lt = openAngle(value);
  const end = lt < 0 ? uri.length : value.indexOf('>', lt) + 1;
  const params: Params = {};
  if (end > 0) {
    PARAM.lastIndex = end;
    for (let m = PARAM.exec(value); m; m = PARAM.exec(value)) params[(m[1] as string).toLowerCase()] = m[2] ?? null;
  }
  const display = nameAddrDisplay(value);
  return display ? { name: quoteDisplay(display), uri, params } : { uri, params };
}

/** Record-Route elements whose URI did not parse get the URI text as written (the package serialises a string URI as is). */
function recoverRecordRoute(s: string, spans: number[], names: string[], rr: RouteEntry[]): void {
  let k = 0;
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== 'record-route') continue;
    const ls = spans[2 * i] as number;
    const value = s.slice(s.indexOf(':', ls) + 1, spans[2 * i + 1] as number);
    for (const part of splitHeaderList(value)) {
      const e = rr[k++];
      if (e && !e.uri) e.uri = (/<([^>]*)>/.exec(part)?.[1] ?? part.split(';')[0] ?? '').trim();
    }
  }
}

/**
 * Serialise to bytes (the package works on latin1 strings). The package
 * writes an address without a display name as `To:  <sip:...>`: legal
 * (LWS), but it reads as a defect in every trace, so the second space goes.
 */
export function encode(m: SipMessage): Buffer {
  const s = sip.stringify(m);
  // Headers only: the body is counted in Content-Length already, and is the sender's to write.
  const end = s.indexOf('\r\n\r\n');
  const head = end < 0 ? s : s.slice(0, end);
  if (!head.includes(':  <')) return Buffer.from(s, 'latin1');
  return Buffer.from(head.replace(/^([!-9;-~]+): {2}</gm, '$1: <') + (end < 0 ? '' : s.slice(end)), 'latin1');
}
