/**
 * A fake drachtio-server on a TCP port, speaking the framing and messages of
 * the real one (length#msgId|verb|... as in client.cpp), so application mode
 * can be tested through drachtio-srf's real WireProtocol and DrachtioAgent:
 * authentication, route registration, INVITEs, proxy results, CDRs, and the
 * server going away and coming back on the same port.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { apiResponse, cdrFromServer, proxyDone, proxyFinal, sipFromServer } from './drachtio-wire.js';

/** drachtio-server's per-app read buffer and read size (client.hpp: m_buffer(12228), m_readBuf). */
const READ_BUFFER = 12_228;
const READ_CHUNK = 8_192;

export interface Received {
  socket: Socket;
  msgId: string;
  verb: string;
  leader: string[];
  body: string;
}

export class FakeDrachtioServer extends EventEmitter {
  readonly secret: string;
  port = 0;
  readonly received: Received[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly buffers = new Map<Socket, Buffer>();
  /** Authenticated connections, newest last. */
  readonly clients: Socket[] = [];
  accepting = true;

  constructor(secret = 'cymru') {
    super();
    this.secret = secret;
  }

  /** Listen on 127.0.0.1 (port 0 picks one; the same port again after restart()). */
  listen(port = this.port): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((s) => this.accept(s));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const a = server.address();
        this.port = typeof a === 'object' && a !== null ? a.port : port;
        this.server = server;
        resolve(this.port);
      });
    });
  }

  /** Drop every connection and stop listening, as a server restart does. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.clients.length = 0;
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private accept(s: Socket): void {
    this.sockets.add(s);
    s.on('data', (d) => this.onData(s, d));
    s.on('close', () => {
      this.sockets.delete(s);
      const i = this.clients.indexOf(s);
      if (i >= 0) this.clients.splice(i, 1);
    });
    s.on('error', () => undefined);
  }

  /**
   * Forget every connection without telling the peer, as a rebooted or failed-over
   * drachtio-server host does: no FIN, and the first segment the app writes afterwards
   * is answered with an RST.
   */
  forgetConnections(): void {
    for (const s of this.sockets) this.forgotten.add(s);
    this.clients.length = 0;
  }

  /**
   * Stop reading every connection, without closing it, as a drachtio-server
   * whose read buffer overflowed or that hangs: INVITEs still go out, nothing
   * the app writes (answers, proxy commands, pings) is read.
   */
  stallReads(): void {
    for (const s of this.sockets) this.wedged.add(s);
  }

  private readonly forgotten = new Set<Socket>();
  /** Connections whose read buffer overflowed: nothing more is read from them. */
  private readonly wedged = new Set<Socket>();

  private onData(s: Socket, data: Buffer): void {
    if (this.forgotten.has(s)) {
      this.forgotten.delete(s);
      this.sockets.delete(s);
      s.resetAndDestroy();
      return;
    }
    if (this.wedged.has(s)) return;
    let buf = this.buffers.get(s) ?? Buffer.alloc(0);
    // client.cpp BaseClient::read_handler: reads of at most 8,192 bytes go into a 12,228-byte
    // circular buffer, and a message is consumed only once all of it is there. A read that does
    // not fit overwrites the buffer's start: the connection stays up and nothing sent on it is
    // read again. The fake stops reading likewise and says so ('wedged').
    for (let at = 0; at < data.length; at += READ_CHUNK) {
      const chunk = data.subarray(at, at + READ_CHUNK);
      if (buf.length + chunk.length > READ_BUFFER) {
        this.wedged.add(s);
        this.emit('wedged', s);
        return;
      }
      buf = this.consume(s, Buffer.concat([buf, chunk]));
      if (buf.length === 0 && s.destroyed) return;
    }
    this.buffers.set(s, buf);
  }

  /** Every complete message at the start of buf, handled; returns what is left. */
  private consume(s: Socket, buf: Buffer): Buffer {
    for (;;) {
      const hash = buf.indexOf('#');
      // client.cpp BaseClient::readMessageLength: digits only, at most five, else the client is
      // dropped (read_handler → m_controller.leave), so a message of 100000 bytes or more
      // disconnects the app.
      const digits = hash < 0 ? buf.length : hash;
      if (digits >= 6 || !/^\d*$/.test(buf.toString('latin1', 0, Math.min(digits, 6)))) {
        this.emit('dropped', s);
        s.destroy();
        return Buffer.alloc(0);
      }
      if (hash <= 0) return buf;
      const len = Number(buf.toString('utf8', 0, hash));
      if (buf.length < hash + 1 + len) return buf;
      this.onMessage(s, buf.toString('utf8', hash + 1, hash + 1 + len));
      buf = buf.subarray(hash + 1 + len);
    }
  }

  private onMessage(s: Socket, text: string): void {
    const crlf = text.indexOf('\r\n');
    const leaderText = crlf < 0 ? text : text.slice(0, crlf);
    const body = crlf < 0 ? '' : text.slice(crlf + 2);
    const leader = leaderText.split('|');
    const msg: Received = { socket: s, msgId: leader[0] ?? '', verb: leader[1] ?? '', leader: leader.slice(1), body };
    this.received.push(msg);
    switch (msg.verb) {
      case 'authenticate': {
        const ok = leader[2] === this.secret && this.accepting;
        this.write(s, apiResponse(msg.msgId, ok ? 'OK|udp/127.0.0.1:5060|v0.9.2' : 'NO|incorrect secret'));
        if (ok) this.clients.push(s);
        else setImmediate(() => s.destroy());
        break;
      }
      case 'route':
        this.write(s, apiResponse(msg.msgId, 'OK'));
        break;
      case 'ping':
        // client.cpp processClientMessage: createResponseMsg(msgId, ok, "pong")
        this.write(s, apiResponse(msg.msgId, 'OK|pong'));
        break;
      default:
        break;
    }
    this.emit(msg.verb, msg);
  }

  write(s: Socket, payload: string): void {
    s.write(`${Buffer.byteLength(payload, 'utf8')}#${payload}`);
  }

  private client(): Socket {
    const c = this.clients.at(-1);
    if (!c) throw new Error('no authenticated client');
    return c;
  }

  /** Wait for the next message with this verb (or one already received after `since`). */
  next(verb: string, since = 0, timeoutMs = 5000): Promise<Received> {
    const found = this.received.slice(since).find((m) => m.verb === verb);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(verb, on);
        reject(new Error(`no '${verb}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (m: Received): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.once(verb, on);
    });
  }

  sendInvite(raw: string, transactionId = randomUUID()): string {
    this.write(this.client(), sipFromServer(raw, { transactionId }));
    return transactionId;
  }

  finishProxy(proxyMsgId: string, raw: string | null): void {
    if (raw !== null) this.write(this.client(), proxyFinal(proxyMsgId, raw));
    this.write(this.client(), proxyDone(proxyMsgId));
  }

  cdr(kind: 'start' | 'stop', source: string, extra: string, raw: string): void {
    this.write(this.client(), cdrFromServer(kind, source, extra, raw));
  }
}
