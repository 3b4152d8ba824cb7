import t from 'tap';
import fc from 'fast-check';
import { DatagramRing, intToIpv4, ipv4ToInt } from '../../lib/sip/datagram-ring.js';

const bytes = (n: number, seed: number): Buffer => {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i * 7) & 255;
  return b;
};

t.test('datagrams come out in order with their address, port and tag', async (t) => {
  const ring = new DatagramRing(DatagramRing.allocate(4096));
  t.equal(ring.pop(), null, 'empty at first');
  t.ok(ring.push(bytes(10, 1), ipv4ToInt('10.1.2.3'), 5060, 0));
  t.ok(ring.push(bytes(0, 0), ipv4ToInt('255.255.255.255'), 65535, 3), 'an empty datagram is a datagram');
  const a = ring.pop();
  t.ok(a);
  t.same([intToIpv4(a!.ip), a!.port, a!.tag, ring.copy(a!)], ['10.1.2.3', 5060, 0, bytes(10, 1)]);
  const b = ring.pop();
  t.same([intToIpv4(b!.ip), b!.port, b!.tag, b!.length], ['255.255.255.255', 65535, 3, 0]);
  t.equal(ring.pop(), null);
});

t.test('a full ring drops and counts; room comes back as the consumer releases', async (t) => {
  const ring = new DatagramRing(DatagramRing.allocate(4096));
  let pushed = 0;
  while (ring.push(bytes(500, pushed), 1, 1, 0)) pushed++;
  t.equal(pushed, 8, '4 KiB holds eight 512-byte records');
  t.equal(ring.dropped, 1);
  t.notOk(ring.push(bytes(ring.maxPayload + 1, 0), 1, 1, 0), 'larger than half the ring: never fits');
  t.equal(ring.dropped, 2);
  const v = ring.pop();
  t.same(ring.copy(v!), bytes(500, 0));
  t.notOk(ring.push(bytes(500, 99), 1, 1, 0), 'the record being read is not handed back before release');
  ring.release();
  t.ok(ring.push(bytes(500, 99), 1, 1, 0), 'released: room again, at the start of the buffer');
  for (let i = 1; i < 8; i++) t.same(ring.copy(ring.pop()!), bytes(500, i));
  t.same(ring.copy(ring.pop()!), bytes(500, 99));
  t.equal(ring.pop(), null);
});

t.test('any interleaving of pushes and pops behaves as a FIFO queue that drops when full', async (t) => {
  fc.assert(fc.property(
    fc.array(fc.oneof(fc.integer({ min: 0, max: 1500 }), fc.constant(-1)), { maxLength: 400 }),
    (ops) => {
      const ring = new DatagramRing(DatagramRing.allocate(4096));
      const model: Buffer[] = [];
      let used = 0; // bytes the model thinks are held, records rounded as the ring rounds them
      let k = 0;
      for (const op of ops) {
        if (op < 0) {
          const v = ring.pop();
          const want = model.shift();
          if (want === undefined) {
            if (v !== null) return false;
            continue;
          }
          if (v === null || !ring.copy(v).equals(want)) return false;
          ring.release();
          used -= (12 + want.length + 3) & ~3;
        } else {
          const b = bytes(op, k++);
          const ok = ring.push(b, k, k & 65535, k & 7);
          // It may refuse a record that fits only by wrapping while the end of the buffer is held;
          // it must accept one into an empty ring, and never hold more than its capacity.
          if (ok) {
            model.push(b);
            used += (12 + op + 3) & ~3;
            if (used > 4096) return false;
          } else if (used === 0) return false;
        }
      }
      return true;
    },
  ), { numRuns: 500 });
  t.pass('checked by fast-check');
});

t.test('ipv4 text and numbers convert both ways; anything else is NaN', async (t) => {
  for (const s of ['0.0.0.0', '127.0.0.1', '10.20.30.40', '255.255.255.255', '192.0.2.1']) t.equal(intToIpv4(ipv4ToInt(s)), s);
  t.equal(ipv4ToInt('255.255.255.255'), 0xffffffff);
  for (const s of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '1.2.3.', 'a.b.c.d', '::1', '1.2.3.4 ', '1234.1.1.1']) t.ok(Number.isNaN(ipv4ToInt(s)), `'${s}'`);
});

t.test('the consumer wakes when the producer pushes, and on wake()', async (t) => {
  const ring = new DatagramRing(DatagramRing.allocate(4096));
  let woke = false;
  const waiting = ring.waitNotEmpty().then(() => {
    woke = true;
  });
  await new Promise((r) => setTimeout(r, 20));
  t.notOk(woke, 'still waiting on an empty ring');
  ring.push(bytes(3, 0), 1, 2, 0);
  ring.notify();
  await waiting;
  t.ok(ring.pop(), 'woken with the datagram there');
  ring.release();
  const second = ring.waitNotEmpty();
  ring.wake();
  await second;
  t.equal(ring.pop(), null, 'wake() ends a wait on an empty ring');
});
