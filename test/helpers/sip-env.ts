/**
 * The environment of the SIP end-to-end tests that attack the standalone
 * proxy (e2e/fuzz-sip, e2e/hostile-sip): a caller and a callee, each a UDP
 * peer, and an in-process proxy between them listening on UDP and TCP on
 * 127.0.0.1 (random ports), sending initial requests to the callee. All of
 * it is closed at the test's teardown.
 */
import type { Test } from 'tap';
import { startStandalone, type Standalone, type StandaloneOptions } from '../../lib/sip/standalone.js';
import { UdpPeer } from './sip-peer.js';

export interface SipEnv {
  uac: UdpPeer;
  uas: UdpPeer;
  proxy: Standalone;
  udpPort: number;
  tcpPort: number;
}

/** `o`: the screener and any other proxy option; listen and nextHop are set here. */
export async function startSipEnv(t: Test, o: Omit<StandaloneOptions, 'listen' | 'nextHop'>): Promise<SipEnv> {
  const uac = await UdpPeer.open('caller');
  const uas = await UdpPeer.open('callee');
  const proxy = await startStandalone({
    listen: [{ transport: 'udp', host: '127.0.0.1', port: 0 }, { transport: 'tcp', host: '127.0.0.1', port: 0 }],
    nextHop: `sip:127.0.0.1:${uas.port}`,
    ...o,
  });
  t.teardown(async () => {
    await proxy.close();
    await uac.close();
    await uas.close();
  });
  const [udp, tcp] = proxy.addresses();
  return { uac, uas, proxy, udpPort: udp!.port, tcpPort: tcp!.port };
}
