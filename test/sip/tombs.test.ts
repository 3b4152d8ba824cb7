import t from 'tap';
import { TombStore } from '../../lib/sip/proxy/tombs.js';

t.test('a key is kept at least the delay and at most one generation more', async (t) => {
  const s = new TombStore(32_000, 16); // generations of 2 s
  s.set('a', 1, 0);
  s.set('b', 'SIP/2.0 200 OK', 1_999);
  s.set('c', 2, 2_001); // a new generation
  t.equal(s.size, 3);
  t.equal(s.bytes, 14);
  t.equal(s.nextDue, 34_000, 'the first generation goes when its last possible key is due');
  t.equal(s.expire(33_999), 0, 'nothing before that');
  t.equal(s.get('a'), 1, 'a is past its 32 s but its generation is not due yet');
  t.equal(s.expire(34_000), 14, 'the first generation goes, with the bytes of its kept response');
  t.equal(s.get('a'), undefined);
  t.equal(s.get('b'), undefined, 'b had its 32 s (it was retired at 1,999)');
  t.equal(s.get('c'), 2, 'c is in the next generation');
  t.equal(s.size, 1);
  t.equal(s.bytes, 0);
  t.equal(s.expire(Infinity), 0);
  t.equal(s.size, 0);
  t.equal(s.nextDue, -1);
});

t.test('the newest value under a key wins; replacing within a generation keeps the byte count right', async (t) => {
  const s = new TombStore(10_000, 10);
  s.set('k', 'first', 0);
  s.set('k', 'second!', 500); // same generation: replaced
  t.equal(s.size, 1);
  t.equal(s.bytes, 7);
  s.set('k', 3, 5_000); // a later generation: both copies are held until the older goes
  t.equal(s.get('k'), 3);
  t.equal(s.size, 2);
  t.equal(s.expire(11_000), 7, 'the older copy goes with its generation');
  t.equal(s.get('k'), 3);
  t.ok(s.has('k'));
  t.notOk(s.has('other'));
});

t.test('shed drops the oldest generation whatever its time', async (t) => {
  const s = new TombStore(32_000, 16);
  for (let i = 0; i < 10; i++) s.set(`k${i}`, 'xx', i * 3_000);
  t.equal(s.size, 10);
  t.equal(s.shed(), 2, 'one generation, one key of two bytes');
  t.equal(s.size, 9);
  t.equal(s.get('k0'), undefined);
  t.equal(s.get('k1'), 'xx');
  s.clear();
  t.equal(s.size, 0);
  t.equal(s.shed(), 0, 'nothing to shed');
});

t.test('under steady load the store holds delay × rate keys in about 17 small maps', async (t) => {
  const s = new TombStore(32_000);
  let now = 0;
  for (let i = 0; i < 100_000; i++) {
    now = i; // 1,000 keys a second
    s.set(`z9hG4bK${i}`, 1, now);
    s.expire(now);
  }
  t.ok(s.size >= 32_000 && s.size <= 34_000, `32-34 s of keys held (${s.size})`);
  t.equal(s.get('z9hG4bK99999'), 1);
  t.equal(s.get(`z9hG4bK${100_000 - 32_000}`), 1, 'a key 32 s old is still there');
  t.equal(s.get('z9hG4bK0'), undefined, 'an old one is gone');
});

t.test('kept responses come back byte for byte, however many a generation holds', async (t) => {
  const s = new TombStore(32_000);
  const text = (i: number): string => `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK${i}\r\nX-Latin1: caf\u00e9\r\n\r\n`;
  for (let i = 0; i < 5_000; i++) s.set(`bye${i}`, i % 3 === 0 ? text(i) : (i % 3) + 0, 1_000); // one generation
  t.equal(s.get('bye0'), text(0));
  t.equal(s.get('bye4998'), text(4998), 'the arena grew and kept the early ones');
  t.equal(s.get('bye1'), 1);
  t.equal(s.get('bye2'), 2);
  t.equal(s.bytes, Array.from({ length: 5_000 }, (_, i) => (i % 3 === 0 ? text(i).length : 0)).reduce((a, b) => a + b, 0));
  s.set('bye0', 1, 1_001);
  t.equal(s.get('bye0'), 1, 'a text replaced by a mark');
  t.equal(s.bytes, Array.from({ length: 5_000 }, (_, i) => (i % 3 === 0 && i > 0 ? text(i).length : 0)).reduce((a, b) => a + b, 0), 'and its bytes no longer counted');
});

t.test('set() reports the bytes it adds or gives back, so a caller\'s count cannot drift', async (t) => {
  const s = new TombStore(10_000, 10);
  let held = 0;
  held += s.set('k', 'first', 0);
  held += s.set('k', 'second!', 500); // same key, same generation: 'first' is replaced
  t.equal(held, 7);
  held += s.set('k', 1, 600); // a mark replaces the text
  t.equal(held, 0);
  held += s.set('j', 'kept', 700);
  held -= s.expire(Infinity);
  t.equal(held, 0, 'back to 0 once everything has gone');
});

t.test('keys are hashed from a start that differs per process', async (t) => {
  const { tombKey } = await import('../../lib/sip/proxy/tombs.js');
  const { textHash } = await import('../../lib/cache/slot-lru.js');
  const keys = ['z9hG4bK1|127.0.0.1:5060|INVITE', 'z9hG4bK2|127.0.0.1:5060|BYE', ''];
  t.not(keys.map(tombKey).join(), keys.map((k) => textHash(k)).join(), 'not the tables\' unseeded hash');
  t.ok(keys.every((k) => Number.isSafeInteger(tombKey(k)) && tombKey(k) >= 0), 'whole numbers NumIndex can hold');
  t.equal(tombKey('same'), tombKey('same'), 'stable within the process');
});
