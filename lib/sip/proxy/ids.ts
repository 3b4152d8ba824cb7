/**
 * Random identifiers for branches and tags. Branches must be unique across
 * every live transaction (RFC 3261 §8.1.1.7): 20 base64url characters carry
 * 120 random bits, so a collision among even millions of live branches is
 * negligible (the sip package's 6 decimal digits collide at ~1% per call at 500 calls/s).
 */
import { createHash, hash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

const POOL = 4096;
const pool = Buffer.allocUnsafe(POOL);
let at = POOL;

/** `n` random bytes as base64url: drawn from a refilled pool, so most calls make no system call. */
export function randomToken(bytes = 15): string {
  if (at + bytes > POOL) {
    randomFillSync(pool);
    at = 0;
  }
  const s = pool.toString('base64url', at, at + bytes);
  at += bytes;
  return s;
}

/** RFC 3261 magic cookie. */
export const COOKIE = 'z9hG4bK';

/**
 * A branch of ours: cookie, 20 random characters, then '.' and the loop
 * hash of the request (RFC 3261 §16.6 step 8) so a request that comes back
 * unchanged can be recognised as a loop.
 */
export function newBranch(loopHash: string): string {
  return `${COOKIE}${randomToken(15)}.${loopHash}`;
}

export function newTag(): string {
  return randomToken(9);
}

/** FNV-1a 32-bit of the parts joined by '|', as 8 hex chars: a loop fingerprint, not a security measure. Hashed part by part, without building the joined string. */
export function fnv32(...parts: string[]): string {
  let h = 0x811c9dc5;
  for (let p = 0; p < parts.length; p++) {
    const s = parts[p] as string;
    if (p > 0) h = Math.imul(h ^ 124, 0x01000193);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Longest Call-ID kept as is for tracking a call. */
export const CALL_KEY_MAX = 128;

/**
 * The key a call is tracked under (proxy dialog, engine pending call):
 * the Call-ID itself up to CALL_KEY_MAX characters, else its head and a
 * SHA-256 of the whole. Tracked calls live for hours; keyed by a 60 KB
 * Call-ID each, a few tens of thousands of answered calls without a BYE
 * filled the heap.
 */
export function callKey(callId: string): string {
  if (callId.length <= CALL_KEY_MAX) return callId;
  return `${callId.slice(0, 64)}~${createHash('sha256').update(callId, 'latin1').digest('base64url')}`;
}

/**
 * What a Route signature says about the request carrying it: None (missing,
 * malformed, not ours, or too old), Ours (made by this process), Earlier
 * (made with the same key by an earlier process within the dialog lifetime:
 * a call set up before a restart).
 */
export const RouteSig = { None: 0, Ours: 1, Earlier: 2 } as const;
export type RouteSig = (typeof RouteSig)[keyof typeof RouteSig];

const TOKEN = /^[0-9a-z]{1,12}-[0-9a-f]{24}$/;

/**
 * Signs the Record-Route of each call we forward, so that an in-dialog
 * request can show it came back along that route set. A To tag and a Route
 * naming us are otherwise easy to write by hand, and a request carrying both
 * skips screening (it is not a new call) and goes wherever its Request-URI
 * points.
 *
 * The token is `<time>-<mac>`: when it was made (seconds, base 36) and 96
 * bits of HMAC-SHA256(key, time | Call-ID) in lowercase hex (URI parameter
 * values may be re-cased by the odd UA; hex survives that). A dialog's
 * requests in both directions share the Call-ID and the route set. The time
 * tells calls this process set up (which it tracks, and holds to stricter
 * rules) from calls an earlier process with the same key set up, accepted
 * for `maxAgeMs` after they were signed.
 */
export class RouteSigner {
  /**
   * HMAC's two padded keys (RFC 2104), made once; the MAC is two one-shot
   * hashes. Measured with bench/sip-load/proxy-cpu.js against the build
   * without signing: createHmac per call added about 20 µs a call, this
   * about 12 (5 µs inside the hashing; 1.6 µs in a loop of its own).
   */
  private readonly ipad: Buffer;
  private readonly opad: Buffer;
  /** This process's start, seconds. */
  readonly start: number;
  private sec = -1;
  private prefix = '';

  /** Without a key, one made for this process: tokens then stop verifying after a restart. */
  constructor(key?: Buffer, startMs = Date.now(), private readonly maxAgeMs = 4 * 3600_000) {
    if (key !== undefined && key.length < 16) throw new RangeError(`route key: at least 16 bytes, got ${key.length}`);
    let k = key ?? randomBytes(32);
    if (k.length > 64) k = createHash('sha256').update(k).digest();
    this.ipad = Buffer.alloc(64, 0x36);
    this.opad = Buffer.alloc(64, 0x5c);
    for (let i = 0; i < k.length; i++) {
      this.ipad[i]! ^= k[i]!;
      this.opad[i]! ^= k[i]!;
    }
    this.start = Math.floor(startMs / 1000);
  }

  sign(callId: string, now = Date.now()): string {
    const sec = Math.max(this.start, Math.floor(now / 1000));
    if (sec !== this.sec) {
      this.sec = sec;
      this.prefix = `${sec.toString(36)}-`;
    }
    return this.prefix + this.mac(sec, callId);
  }

  /** What `token` (a Route's rf parameter) says for a request of Call-ID `callId` arriving at `now`. */
  check(callId: string, token: unknown, now = Date.now()): RouteSig {
    if (typeof token !== 'string' || token.length > 40) return RouteSig.None;
    const t = token.toLowerCase();
    if (!TOKEN.test(t)) return RouteSig.None;
    const dash = t.indexOf('-');
    const sec = parseInt(t.slice(0, dash), 36);
    if (!Number.isSafeInteger(sec) || sec * 1000 > now + 60_000) return RouteSig.None;
    const ours = sec >= this.start;
    if (!ours && sec * 1000 < now - this.maxAgeMs) return RouteSig.None;
    const want = Buffer.from(this.mac(sec, callId), 'latin1');
    const got = Buffer.from(t.slice(dash + 1), 'latin1');
    if (!timingSafeEqual(got, want)) return RouteSig.None;
    return ours ? RouteSig.Ours : RouteSig.Earlier;
  }

  private mac(sec: number, callId: string): string {
    // Trimmed: the sip package keeps a Call-ID's trailing blanks, and a UA may send them back without.
    const inner = hash('sha256', Buffer.concat([this.ipad, Buffer.from(`${sec}|${callId.trim()}`, 'latin1')]), 'buffer');
    return hash('sha256', Buffer.concat([this.opad, inner]), 'hex').slice(0, 24);
  }
}
