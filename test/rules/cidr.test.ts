import t from 'tap';
import { cachedIp, inCidr, parseCidr, parseIp } from '../../lib/rules/cidr.js';

const within = (ip: string, net: string): boolean => {
  const a = parseIp(ip);
  const n = parseCidr(net);
  if (!a || !n) throw new Error(`bad test input ${ip} ${net}`);
  return inCidr(a, n);
};

t.test('IPv4', async (t) => {
  t.ok(within('10.1.2.3', '10.1.0.0/16'));
  t.notOk(within('10.2.0.1', '10.1.0.0/16'));
  t.ok(within('10.1.255.255', '10.1.7.9/16'), 'host bits in the network are masked off');
  t.ok(within('192.0.2.7', '192.0.2.7'), 'bare address is a /32');
  t.notOk(within('192.0.2.8', '192.0.2.7'));
  t.ok(within('8.8.8.8', '0.0.0.0/0'));
  t.ok(within('203.0.113.9:5060', '203.0.113.0/24'), 'a port on the source is ignored');
  for (const bad of ['10.1.0.0/33', '10.1.0/16', '256.0.0.1', '10.0.0.1/-1', '1.2.3.4:5060/32', 'trunk-a']) t.equal(parseCidr(bad), null, bad);
});

t.test('IPv6', async (t) => {
  t.ok(within('2001:db8::1', '2001:db8::/32'));
  t.ok(within('2001:db8:ffff:1::5', '2001:db8::/32'));
  t.notOk(within('2001:db9::1', '2001:db8::/32'));
  t.ok(within('[2001:db8::1]:5060', '2001:db8::/32'), 'bracketed with port');
  t.ok(within('fe80::1%eth0', 'fe80::/10'), 'zone id ignored');
  t.ok(within('::1', '::1/128'));
  t.notOk(within('::2', '::1/128'));
  t.ok(within('2001:db8:0:0:0:0:0:1', '2001:db8::1'));
  t.ok(within('2001:db8::8000:0', '2001:db8::8000:0/97'), 'prefix across a word boundary');
  t.notOk(within('2001:db8::7fff:ffff', '2001:db8::8000:0/97'));
  t.notOk(within('10.0.0.1', '::/0'), 'v4 never matches a v6 network');
  for (const bad of ['2001:db8::/129', '2001:db8:::1', '1:2:3:4:5:6:7:8:9', 'g::1', '1::2::3']) t.equal(parseCidr(bad), null, bad);
});

t.test('IPv4-mapped IPv6', async (t) => {
  t.ok(within('::ffff:10.1.2.3', '10.1.0.0/16'), 'dual-stack socket address matches a v4 network');
  t.ok(within('10.1.2.3', '::ffff:10.1.0.0/112'), 'mapped network written in v6 form');
  t.notOk(within('10.2.0.1', '::ffff:10.1.0.0/112'));
  t.ok(within('10.9.9.9', '::ffff:10.9.9.9'), 'bare mapped address is one host');
  t.notOk(within('10.9.9.8', '::ffff:10.9.9.9'));
});

t.test('cache returns the same parse', async (t) => {
  t.equal(cachedIp('10.0.0.1'), cachedIp('10.0.0.1'));
  t.equal(cachedIp('trunk-a'), null);
});
