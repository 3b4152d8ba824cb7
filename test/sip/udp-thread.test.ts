import t from 'tap';
import dgram from 'node:dgram';
import { UdpThread } from '../../lib/sip/udp-thread.js';

interface Got {
  data: string;
  listener: number;
  address: string;
  port: number;
}

async function plainSocket(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

const until = async (cond: () => boolean, ms = 5000): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return cond();
};

t.test('datagrams in and out through the I/O thread, from the listening port', async (t) => {
  const got: Got[] = [];
  const thread = await UdpThread.open({
    listen: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 0 }],
    recvBufferBytes: 1 << 20,
    onMessage: (data, listener, address, port) => got.push({ data: data.toString('latin1'), listener, address, port }),
  });
  t.teardown(() => thread.close());
  t.equal(thread.ports.length, 2);
  t.ok(thread.ports.every((p) => p > 0), 'real ports');
  t.ok((thread.recvBuffer[0] as number) >= 1 << 20, 'receive buffer set on the socket');

  const peer = await plainSocket();
  t.teardown(() => peer.close());
  const peerPort = peer.address().port;
  for (let i = 0; i < 200; i++) peer.send(`in ${i}`, thread.ports[i % 2] as number, '127.0.0.1');
  t.ok(await until(() => got.length === 200), 'every datagram arrives');
  t.same(got.filter((g) => g.listener === 0).map((g) => g.data), Array.from({ length: 100 }, (_, i) => `in ${2 * i}`), 'in order, tagged with the listener');
  t.ok(got.every((g) => g.address === '127.0.0.1' && g.port === peerPort), 'with the sender address and port');

  const back: { data: string; port: number }[] = [];
  peer.on('message', (m, r) => back.push({ data: m.toString('latin1'), port: r.port }));
  for (let i = 0; i < 200; i++) t.equal(thread.send(0, '127.0.0.1', peerPort, Buffer.from(`out ${i}`)), true);
  t.ok(await until(() => back.length === 200), 'every datagram is sent');
  t.same(back.map((b) => b.data), Array.from({ length: 200 }, (_, i) => `out ${i}`), 'in order');
  t.ok(back.every((b) => b.port === thread.ports[0]), 'from the listening port (symmetric signalling)');

  t.equal(thread.send(0, 'example.com', peerPort, Buffer.from('x')), false, 'no IPv4 address: not sent');
  t.equal(thread.send(0, '127.0.0.1', 0, Buffer.from('x')), false, 'port 0: not sent');
  t.equal(thread.sendErrors, 2, 'and counted');
});

t.test('a handler that throws does not stop later datagrams', async (t) => {
  const seen: string[] = [];
  const errors: string[] = [];
  const thread = await UdpThread.open({
    listen: [{ host: '127.0.0.1', port: 0 }],
    recvBufferBytes: 1 << 16,
    onMessage: (data) => {
      const s = data.toString('latin1');
      if (s === 'boom') throw new Error('handler bug');
      seen.push(s);
    },
    onError: (err) => errors.push(err.message),
  });
  t.teardown(() => thread.close());
  const peer = await plainSocket();
  t.teardown(() => peer.close());
  for (const s of ['a', 'boom', 'b']) peer.send(s, thread.ports[0] as number, '127.0.0.1');
  t.ok(await until(() => seen.length === 2));
  t.same(seen, ['a', 'b']);
  t.same(errors, ['handler bug']);
});

t.test('close ends the thread and frees the port; a port in use fails open', async (t) => {
  const thread = await UdpThread.open({ listen: [{ host: '127.0.0.1', port: 0 }], recvBufferBytes: 1 << 16, onMessage: () => {} });
  const port = thread.ports[0] as number;
  await thread.close();
  await thread.close();
  t.equal(thread.send(0, '127.0.0.1', 9, Buffer.from('x')), false, 'nothing is sent after close');
  const again = dgram.createSocket('udp4');
  await t.resolves(new Promise<void>((resolve, reject) => {
    again.once('error', reject);
    again.bind(port, '127.0.0.1', () => resolve());
  }), 'the port is free again');
  await t.rejects(UdpThread.open({ listen: [{ host: '127.0.0.1', port }], recvBufferBytes: 1 << 16, onMessage: () => {} }), /EADDRINUSE/, 'the bind error reaches the caller');
  again.close();
});

t.test('if the I/O thread dies, UDP carries on from the same port on the main thread', async (t) => {
  const { SipTransport } = await import('../../lib/sip/transport.js');
  const got: string[] = [];
  const errors: string[] = [];
  const tp = await SipTransport.open([{ transport: 'udp', host: '127.0.0.1', port: 0 }], {
    recvBufferBytes: 1 << 16,
    maxMessageBytes: 65535,
    onMessage: (data) => got.push(data.toString('latin1')),
    onBadStream: () => {},
    onError: (err) => errors.push(err.message),
  });
  t.teardown(() => tp.close());
  const port = tp.listenerFor('udp').port;
  const peer = await plainSocket();
  t.teardown(() => peer.close());
  const back: number[] = [];
  peer.on('message', (_m, r) => back.push(r.port));
  peer.send('one', port, '127.0.0.1');
  t.ok(await until(() => got.length === 1), 'received through the thread');
  const thread = tp['thread'];
  t.ok(thread, 'UDP runs on the I/O thread');
  tp.send({ transport: 'udp', address: '127.0.0.1', port: 0 }, Buffer.from('nowhere'));
  t.equal(tp.counters.sendErrors, 1, 'a send error counted on the thread');
  await thread!['worker'].terminate();
  t.ok(await until(() => tp['thread'] === undefined && tp.listenerFor('udp').port === port), 'moved to the main thread');
  t.match(errors.join('\n'), /UDP I\/O thread ended/, 'and said so');
  t.equal(tp.counters.sendErrors, 1, 'what the dead thread counted is still counted');
  peer.send('two', port, '127.0.0.1');
  t.ok(await until(() => got.length === 2), 'still received on the same port');
  tp.send({ transport: 'udp', address: '127.0.0.1', port: peer.address().port }, Buffer.from('out'));
  t.ok(await until(() => back.length === 1), 'still sent');
  t.same(back, [port], 'from the same port');
});

t.test('a flood while the main thread is busy: the queue drops and counts, then service goes on', async (t) => {
  let got = 0;
  const thread = await UdpThread.open({
    listen: [{ host: '127.0.0.1', port: 0 }],
    recvBufferBytes: 1 << 20,
    ringBytes: 1 << 16,
    onMessage: () => {
      got++;
    },
  });
  t.teardown(() => thread.close());
  const peer = await plainSocket();
  t.teardown(() => peer.close());
  const port = thread.ports[0] as number;
  const kb = Buffer.alloc(1000, 65);
  let sent = 0;
  // Bursts of 100 datagrams of 1 KB sent from this thread, which cannot take any in while it sends
  // (as in a long GC pause): 100 KB a burst for a 64 KiB queue.
  await new Promise<void>((resolve) => {
    const burst = (): void => {
      for (let i = 0; i < 100; i++, sent++) peer.send(kb, port, '127.0.0.1');
      if (sent < 2000) setImmediate(burst);
      else resolve();
    };
    burst();
  });
  t.ok(await until(() => thread.droppedIn > 0 && got + thread.droppedIn >= 1), 'the I/O thread kept reading and counted what did not fit');
  await new Promise((r) => setTimeout(r, 200));
  const before = got;
  t.ok(before > 0 && before < 2000, `some delivered (${before}), not all`);
  t.ok(before + thread.droppedIn <= 2000, 'nothing counted twice');
  peer.send('after', port, '127.0.0.1');
  t.ok(await until(() => got === before + 1), 'the next datagram is delivered');
});
