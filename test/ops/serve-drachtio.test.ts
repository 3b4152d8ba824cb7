/**
 * `ringfence serve --drachtio` against a fake drachtio-server (and the
 * standalone proxy against real UDP peers): behind the
 * edge (docs/deploy-drachtio.md) every INVITE comes from the edge, so the
 * ingress peer that scopes and national_formats match on is the one the edge
 * stamps in a header (examples/deploy/kamailio-ringfence.cfg writes
 * X-Ringfence-Source), read when --source-header names it.
 */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { serve, type Server, type ServeOptions } from '../../lib/serve.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { FakeDrachtioServer } from '../helpers/drachtio-fake-server.js';
import { inviteText } from '../helpers/drachtio-wire.js';
import { makeInvite, UdpPeer } from '../helpers/sip-peer.js';

// A trunk scope that rejects at once: the decision shows which scope the source matched.
const RULES = `version: 1
home_country: GB
signals:
  fan-out: {}
scopes:
  - name: grey
    when: { source: trunk-grey }
    thresholds: { tag: 1, reject: 1 }
    signals:
      invalid-cli: { anonymous: 10 }
`;

/** serve --drachtio against a fake drachtio-server, both closed when the test ends. */
async function serveOnFake(t: Test, extra: Partial<ServeOptions> = {}): Promise<{ server: Server; fake: FakeDrachtioServer; log: ReturnType<typeof captureLog> }> {
  const dir = t.testdir({ 'rules.yaml': RULES });
  const fake = new FakeDrachtioServer();
  await fake.listen();
  const log = captureLog('info');
  let server: Server | undefined;
  t.teardown(async () => {
    await server?.close();
    await fake.stop();
  });
  server = await serve({
    rules: join(dir, 'rules.yaml'),
    drachtio: `127.0.0.1:${fake.port}`,
    secret: fake.secret,
    nextHop: 'sip:127.0.0.1:5090',
    admin: false,
    drainMs: 0,
    signals: false,
    logger: log.logger,
    ...extra,
  });
  return { server, fake, log };
}

/** The admin endpoint's /readyz status. */
const readyz = async (server: Server): Promise<number> => (await fetch(`${server.admin!.address.url}/readyz`)).status;

async function decisionFor(t: Test, sourceHeader: string | undefined): Promise<Record<string, unknown>> {
  const { fake, log } = await serveOnFake(t, sourceHeader ? { sourceHeader } : {});
  fake.sendInvite(inviteText({ from: '<sip:anonymous@anonymous.invalid>;tag=a1', extra: ['X-Ringfence-Source: trunk-grey'] }));
  return log.waitFor(/^decision$/);
}

t.test('with --source-header, the stamped trunk is the source and its scope applies', async (t) => {
  const d = await decisionFor(t, 'X-Ringfence-Source');
  t.equal(d.source, 'trunk-grey');
  t.equal(d.scope, 'grey');
  t.equal(d.action, 'reject');
});

t.test('without it, the source is the packet source (the edge)', async (t) => {
  const d = await decisionFor(t, undefined);
  t.not(d.source, 'trunk-grey');
  t.equal(d.scope, 'default');
});

t.test('--source-header in standalone mode: the stamped trunk is the source of a call through the proxy', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES });
  const uac = await UdpPeer.open('caller');
  const uas = await UdpPeer.open('callee');
  const log = captureLog('info');
  const server = await serve({
    rules: join(dir, 'rules.yaml'),
    listen: ['udp:127.0.0.1:0'],
    nextHop: `sip:127.0.0.1:${uas.port}`,
    admin: false,
    drainMs: 0,
    signals: false,
    logger: log.logger,
    sourceHeader: 'X-Ringfence-Source',
  });
  t.teardown(async () => {
    await server.close();
    await uac.close();
    await uas.close();
  });
  const port = server.standalone!.addresses()[0]!.port;
  const inv = makeInvite(uac, { proxyPort: port, caller: 'anonymous' });
  inv.headers['x-ringfence-source'] = 'trunk-grey';
  uac.send(inv, port);
  const d = await log.waitFor(/^decision$/);
  t.equal(d.source, 'trunk-grey');
  t.equal(d.scope, 'grey');
});

t.test('/readyz with --drachtio: 503 while not connected to drachtio-server, 200 once connected again', async (t) => {
  const { server, fake, log } = await serveOnFake(t, { admin: '127.0.0.1:0' });
  t.equal(await readyz(server), 200, 'connected: ready');
  await fake.stop();
  await log.waitFor(/^lost connection to drachtio-server/);
  t.equal(await readyz(server), 503, 'no drachtio-server: not ready (calls would not be screened)');
  await fake.listen();
  await log.waitFor(/^reconnected to drachtio-server$/, 10_000);
  t.equal(await readyz(server), 200, 'ready again');
});

t.test('/readyz with --drachtio and --listen: the standalone proxy still serves, so a lost drachtio-server does not make it unready', async (t) => {
  const { server, fake, log } = await serveOnFake(t, { admin: '127.0.0.1:0', listen: ['udp:127.0.0.1:0'] });
  t.equal(await readyz(server), 200);
  await fake.stop();
  await log.waitFor(/^lost connection to drachtio-server/);
  t.equal(await readyz(server), 200, 'still ready: the proxy takes calls');
});
