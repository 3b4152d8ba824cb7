/** A binary min-heap ordered by `less`; callers make `less` total so ties pop deterministically. */
export class MinHeap<T> {
  private readonly a: T[] = [];

  constructor(private readonly less: (x: T, y: T) => boolean) {}

  get size(): number {
    return this.a.length;
  }

  peek(): T | undefined {
    return this.a[0];
  }

  push(v: T): void {
    const a = this.a;
    let i = a.length;
    a.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = a[p] as T;
      if (!this.less(v, pv)) break;
      a[i] = pv;
      i = p;
    }
    a[i] = v;
  }

  pop(): T | undefined {
    const a = this.a;
    const n = a.length;
    if (n === 0) return undefined;
    const top = a[0] as T;
    const last = a.pop() as T;
    if (n === 1) return top;
    const m = n - 1;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      const c = r < m && this.less(a[r] as T, a[l] as T) ? r : l;
      if (!this.less(a[c] as T, last)) break;
      a[i] = a[c] as T;
      i = c;
    }
    a[i] = last;
    return top;
  }
}

/**
 * Timed events ordered by (at, key), each with a number of payload: a binary
 * heap over typed arrays, so an event is three numbers, not an object (replay
 * keeps one or two per call in flight and pops each once). Callers make keys
 * unique so ties pop deterministically.
 */
export class EventHeap {
  private at: Float64Array;
  private key: Float64Array;
  private val: Float64Array;
  size = 0;
  /** The event pop() took off. */
  topAt = 0;
  topKey = 0;
  topVal = 0;

  constructor(capacity = 1024) {
    this.at = new Float64Array(capacity);
    this.key = new Float64Array(capacity);
    this.val = new Float64Array(capacity);
  }

  /** Time of the earliest event; Infinity when there is none. */
  peekAt(): number {
    return this.size > 0 ? (this.at[0] as number) : Infinity;
  }

  push(t: number, k: number, v: number): void {
    if (this.size === this.at.length) this.grow();
    const A = this.at;
    const K = this.key;
    const V = this.val;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = A[p] as number;
      if (t > pt || (t === pt && k > (K[p] as number))) break;
      A[i] = pt;
      K[i] = K[p] as number;
      V[i] = V[p] as number;
      i = p;
    }
    A[i] = t;
    K[i] = k;
    V[i] = v;
  }

  /** Takes the earliest event into topAt/topKey/topVal; false when empty. */
  pop(): boolean {
    const n = this.size;
    if (n === 0) return false;
    const A = this.at;
    const K = this.key;
    const V = this.val;
    this.topAt = A[0] as number;
    this.topKey = K[0] as number;
    this.topVal = V[0] as number;
    const m = n - 1;
    this.size = m;
    if (m === 0) return true;
    const t = A[m] as number;
    const k = K[m] as number;
    const v = V[m] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      const r = c + 1;
      if (r < m) {
        const ar = A[r] as number;
        const ac = A[c] as number;
        if (ar < ac || (ar === ac && (K[r] as number) < (K[c] as number))) c = r;
      }
      const ac = A[c] as number;
      if (t < ac || (t === ac && k < (K[c] as number))) break;
      A[i] = ac;
      K[i] = K[c] as number;
      V[i] = V[c] as number;
      i = c;
    }
    A[i] = t;
    K[i] = k;
    V[i] = v;
    return true;
  }

  private grow(): void {
    const n = this.at.length * 2;
    const at = new Float64Array(n);
    const key = new Float64Array(n);
    const val = new Float64Array(n);
    at.set(this.at);
    key.set(this.key);
    val.set(this.val);
    this.at = at;
    this.key = key;
    this.val = val;
  }
}
