/** The typed arrays the tables keep per slot. */
export type Typed = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;

/**
 * A copy of `a` with `length` elements (the same kind of array): the old
 * elements first, the new ones `fill` (0 by default). The slot-indexed
 * arrays grow this way when their table does.
 */
export function resized<T extends Typed>(a: T, length: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a.length > length ? a.subarray(0, length) : a);
  return b;
}
