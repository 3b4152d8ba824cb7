/**
 * Random identifiers for branches and tags. Branches must be unique across
 * every live transaction (RFC 3261 §8.1.1.7): 20 base64url characters carry
 * 120 random bits, so a collision among even millions of live branches is
 * negligible (the sip package's 6 decimal digits collide at ~1% per call at 500 calls/s).
 */
import { createHash, createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

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
 * Signs the Record-Route of each call we forward, so that an in-dialog
 * request can show it came back along that route set. A To tag and a Route
 * naming us are otherwise easy to write by hand, and a request carrying both
 * skips screening (it is not a new call) and goes wherever its Request-URI
 * points. The token is an HMAC-SHA256 of the Call-ID, 96 bits of it: a
 * dialog's requests in both directions share the Call-ID and the route set.
 */
export class RouteSigner {
  private readonly key: Buffer;

  /** Without a key, one made for this process: tokens then stop verifying after a restart. */
  constructor(key?: Buffer) {
    if (key !== undefined && key.length < 16) throw new RangeError(`route key: at least 16 bytes, got ${key.length}`);
    this.key = key ?? randomBytes(32);
  }

  sign(callId: string): string {
    return createHmac('sha256', this.key).update(callId).digest('base64url').slice(0, 16);
  }

  verify(callId: string, token: unknown): boolean {
    if (typeof token !== 'string' || token.length !== 16) return false;
    return timingSafeEqual(Buffer.from(token, 'latin1'), Buffer.from(this.sign(callId), 'latin1'));
  }
}
