/**
 * Tiny IPv4/IPv6 CIDR matcher for scope `source`. Networks are parsed and
 * masked once at load; a call's source address is parsed once per distinct
 * value (small bounded cache: ingress peers are few).
 */

/** An address as 32-bit words: one for IPv4, four for IPv6. */
export type Ip = { v: 4; w: Uint32Array } | { v: 6; w: Uint32Array };

export interface Cidr {
  v: 4 | 6;
  net: Uint32Array;
  mask: Uint32Array;
  text: string;
}

function parseV4(s: string): Uint32Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const b = Number(p);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return Uint32Array.of(n);
}

function parseV6(s: string): Uint32Array | null {
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct); // zone id (fe80::1%eth0) does not take part in matching
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (!v4) return null;
        const n = v4[0] as number;
        out.push(n >>> 16, n & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return null;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  const w = new Uint32Array(4);
  for (let i = 0; i < 4; i++) w[i] = (((all[2 * i] as number) << 16) | (all[2 * i + 1] as number)) >>> 0;
  return w;
}

/**
 * Parse an address as it may arrive in `source`: '1.2.3.4', '1.2.3.4:5060',
 * '2001:db8::1', '[2001:db8::1]:5060'. IPv4-mapped IPv6 (::ffff:a.b.c.d) is
 * taken as IPv4 so v4 networks match dual-stack sockets.
 */
export function parseIp(s: string): Ip | null {
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return null;
    s = s.slice(1, end);
  }
  const colon = s.indexOf(':');
  if (colon < 0 || (s.indexOf(':', colon + 1) < 0 && s.includes('.'))) {
    const w = parseV4(colon < 0 ? s : s.slice(0, colon));
    return w ? { v: 4, w } : null;
  }
  const w = parseV6(s);
  if (!w) return null;
  if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return { v: 4, w: Uint32Array.of(w[3] as number) };
  return { v: 6, w };
}

/** 'a.b.c.d/n', 'x::/n', or a bare address (a /32 or /128). Null when it is not an address. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  if (addr.startsWith('[') || (/:\d+$/.test(addr) && addr.includes('.'))) return null; // no ports in a network
  const ip = parseIp(addr);
  if (!ip) return null;
  const bits = addr.includes(':') ? 128 : 32;
  let len = bits;
  if (slash >= 0) {
    const l = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(l) || Number(l) > bits) return null;
    len = Number(l);
  }
  // An IPv4-mapped network written in IPv6 form keeps its meaning on the v4 side.
  if (ip.v === 4 && addr.includes(':')) len = Math.max(0, len - 96);
  const mask = new Uint32Array(ip.w.length);
  for (let i = 0; i < mask.length; i++) {
    const b = Math.max(0, Math.min(32, len - 32 * i));
    mask[i] = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
  }
  const net = ip.w.map((x, i) => (x & (mask[i] as number)) >>> 0);
  return { v: ip.v, net, mask, text };
}

export function inCidr(ip: Ip, c: Cidr): boolean {
  if (ip.v !== c.v) return false;
  for (let i = 0; i < c.net.length; i++) {
    if ((((ip.w[i] as number) & (c.mask[i] as number)) >>> 0) !== c.net[i]) return false;
  }
  return true;
}

const MAX_CACHE = 4096;
const cache = new Map<string, Ip | null>();

/** parseIp with a bounded memo: the same few peers send every call. */
export function cachedIp(s: string): Ip | null {
  let ip = cache.get(s);
  if (ip !== undefined) return ip;
  ip = parseIp(s);
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(s, ip);
  return ip;
}
