/**
 * Outgoing messages spliced from the text that came in. A proxy changes
 * little of what it forwards (a Via on top, Max-Forwards, its own Route gone,
 * a Record-Route), so rather than have the `sip` package re-serialise every
 * header of every message, the received header lines are copied as they
 * were written and only the lines that change are written anew. The parsed
 * message still decides everything; this only builds bytes. Callers fall
 * back to full serialisation (transport.encode) when a message does not
 * fit (see `splicable`).
 */
import { firstListSeparator } from '../headers.js';
import type { Via } from '../sip-types.js';
import type { RawMessage } from '../transport.js';

/** One Via value as the package's serialiser writes it. */
export function viaText(v: Via): string {
  let s = `SIP/${v.version || '2.0'}/${v.protocol.toUpperCase()} ${v.host}${v.port ? `:${v.port}` : ''}`;
  const p = v.params;
  for (const k in p) s += p[k] ? `;${k}=${p[k]}` : `;${k}`;
  return s;
}

export interface Edits {
  /** Header lines (each ending in CRLF) written right after the start line: our Via. */
  first?: string;
  /** Replacement for the first Via value (received/rport stamped), or undefined to copy it. */
  topVia?: string | undefined;
  /** Drop the first Via value (a response going upstream). */
  popVia?: boolean;
  /** New Max-Forwards value (the line is added when absent). */
  maxForwards?: number;
  /** Header names (lower case) whose lines are left out. */
  drop?: readonly string[];
  /** A Record-Route line (with CRLF) written before the first Record-Route, or last. */
  recordRoute?: string;
  /** Lines (each ending in CRLF) added at the end of the header section. */
  append?: string;
}

/**
 * Ranges of the original text and strings of ours, joined and encoded once.
 * (Copying byte ranges into one Buffer was measured slower: Buffer.copy
 * costs more per call than V8's joining of string slices.)
 */
class Builder {
  private s = '';
  /** A run of consecutive original ranges not yet appended (unchanged lines follow each other). */
  private runStart = -1;
  private runEnd = -1;
  constructor(private readonly raw: RawMessage) {}
  range(a: number, b: number): void {
    if (b <= a) return;
    if (this.runStart >= 0 && this.runEnd === a) {
      this.runEnd = b;
      return;
    }
    this.flush();
    this.runStart = a;
    this.runEnd = b;
  }
  text(t: string): void {
    this.flush();
    this.s += t;
  }
  private flush(): void {
    if (this.runStart >= 0) {
      this.s += this.raw.text.slice(this.runStart, this.runEnd);
      this.runStart = -1;
    }
  }
  finish(): Buffer {
    this.flush();
    return Buffer.from(this.s, 'latin1');
  }
}

/** Copy the header line(s) of the first Via with its first value replaced (`top`) or removed (`top` null). */
function editTopVia(b: Builder, raw: RawMessage, ls: number, le: number, top: string | null): void {
  const text = raw.text;
  const colon = text.indexOf(':', ls);
  const value = text.slice(colon + 1, le);
  const sep = firstListSeparator(value);
  if (top !== null) b.text(`Via: ${top}\r\n`);
  if (sep >= 0) b.text(`${text.slice(ls, colon)}: ${value.slice(sep + 1).trim()}\r\n`);
}

/** Whether `splice` reproduces the body byte for byte (a Content-Length that matches it). */
export function splicable(raw: RawMessage | null | undefined): raw is RawMessage {
  return !!raw && raw.bodyExact;
}

/** The message with `edits` applied; everything else (start line, header lines in their order, body) as received. */
export function splice(raw: RawMessage, e: Edits): Buffer {
  const b = new Builder(raw);
  const { spans, names } = raw;
  b.range(raw.start, raw.startEnd + 2);
  if (e.first) b.text(e.first);
  let viaDone = e.topVia === undefined && !e.popVia;
  let rr = e.recordRoute;
  let mf = e.maxForwards;
  const drop = e.drop;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const ls = spans[2 * i] as number;
    const le = spans[2 * i + 1] as number;
    if (!viaDone && name === 'via') {
      viaDone = true;
      editTopVia(b, raw, ls, le, e.popVia ? null : (e.topVia as string));
      continue;
    }
    if (drop !== undefined && drop.includes(name)) continue;
    if (mf !== undefined && name === 'max-forwards') {
      b.text(`Max-Forwards: ${mf}\r\n`);
      mf = undefined;
      continue;
    }
    if (rr !== undefined && name === 'record-route') {
      b.text(rr);
      rr = undefined;
    }
    b.range(ls, le + 2);
  }
  if (rr !== undefined) b.text(rr);
  if (mf !== undefined) b.text(`Max-Forwards: ${mf}\r\n`);
  if (e.append) b.text(e.append);
  // The blank line and the body.
  b.range(raw.headEnd + 2, raw.text.length);
  return b.finish();
}

const RESPONSE_HEADERS = new Set(['via', 'from', 'to', 'call-id', 'cseq']);

/**
 * A response of ours to the request in `raw` (RFC 3261 §8.2.6.2): its Via
 * lines (the first one as stamped), From, To (with `toTag` added when
 * given), Call-ID and CSeq as received, then `extra` lines, no body.
 */
export function responseFor(raw: RawMessage, version: string, status: number, reason: string, topVia: string | undefined, toTag: string, extra: string): Buffer {
  const b = new Builder(raw);
  const { spans, names, text } = raw;
  b.text(`SIP/${version || '2.0'} ${status} ${reason}\r\n`);
  let viaDone = topVia === undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (!RESPONSE_HEADERS.has(name)) continue;
    const ls = spans[2 * i] as number;
    const le = spans[2 * i + 1] as number;
    if (!viaDone && name === 'via') {
      viaDone = true;
      editTopVia(b, raw, ls, le, topVia as string);
    } else if (name === 'to' && toTag) {
      b.text(`${text.slice(ls, le).trimEnd()};tag=${toTag}\r\n`);
    } else {
      b.range(ls, le + 2);
    }
  }
  b.text(`${extra}Content-Length: 0\r\n\r\n`);
  return b.finish();
}
