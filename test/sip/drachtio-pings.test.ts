/**
 * watchPings against the real drachtio-srf: its WireProtocol is where the
 * watchdog looks, a ping written is reported with its id and socket, and any
 * response to that id (drachtio-server's '<uuid>|response|<id>|OK|pong') is
 * reported as its pong. If a drachtio-srf upgrade moves these, this fails
 * instead of the watchdog going blind (or dropping healthy connections).
 */
import t from 'tap';
import { EventEmitter } from 'node:events';
import { loadSrf, stopReconnecting, watchPings, type Destroyable } from '../../lib/sip/drachtio-types.js';
import { FakeDrachtioServer } from '../helpers/drachtio-fake-server.js';

t.test("pings and pongs are read off drachtio-srf's own WireProtocol", async (t) => {
  const fake = new FakeDrachtioServer();
  await fake.listen();
  const Srf = loadSrf();
  const srf = new Srf();
  srf.on('error', () => undefined);
  srf.connect({ host: '127.0.0.1', port: fake.port, secret: fake.secret, reconnect: { retryMaxDelay: 100 } });
  t.teardown(async () => {
    stopReconnecting(srf);
    await fake.stop();
  });
  const pings: string[] = [];
  const pongs: string[] = [];
  t.ok(watchPings(srf, (id) => pings.push(id), (id) => pongs.push(id)), 'found drachtio-srf\'s WireProtocol');

  const wp = Reflect.get(Reflect.get(srf.app, 'client') as object, 'wp') as EventEmitter;
  const sock: Destroyable = { destroy: () => undefined };
  wp.emit('ping', { msgId: 'm1', socket: sock });
  t.same(pings, ['m1'], 'a ping written is reported');
  wp.emit('msg', sock, '7a2c|response|m1|OK|pong');
  t.same(pongs, ['m1'], "drachtio-server's pong, by the ping's id");
  wp.emit('msg', sock, '7a2c|response|m2|NO|whatever');
  t.same(pongs, ['m1', 'm2'], 'any response to an id counts: drachtio-server read the message');
  wp.emit('msg', sock, '7a2c|sip|network|1234|udp|1.2.3.4|5060|12:00:00.000|abc|\r\nINVITE sip:x SIP/2.0\r\n');
  wp.emit('msg', sock, `7a2c|response|m3|OK|${'x'.repeat(300)}`);
  t.same(pongs, ['m1', 'm2'], 'SIP messages and long responses are not looked at');
});

t.test('an Srf whose internals are not where they are looked for: no watchdog, no throw', async (t) => {
  const fakeSrf = { app: new EventEmitter() } as unknown as Parameters<typeof watchPings>[0];
  t.equal(watchPings(fakeSrf, () => undefined, () => undefined), false);
});
