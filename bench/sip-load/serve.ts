/**
 * Ringfence standalone for bench/sip-load: one UDP listener, a rules file,
 * no per-call logging (as in production at load, where decisions go to
 * metrics). Prints READY when listening, its counters and CPU on SIGTERM.
 *
 *   node dist/bench/sip-load/serve.js --listen 127.0.0.1:5070 --next-hop sip:127.0.0.1:5080 --rules examples/rules/china-ingress.yaml
 */
import { parseArgs } from 'node:util';
import { Engine } from '../../lib/engine/engine.js';
import { Screener } from '../../lib/ops/screener.js';
import { loadRules } from '../../lib/rules/load.js';
import { startStandalone } from '../../lib/sip/standalone.js';

const { values } = parseArgs({
  options: {
    listen: { type: 'string', default: '127.0.0.1:5070' },
    'next-hop': { type: 'string', default: 'sip:127.0.0.1:5080' },
    rules: { type: 'string', default: 'examples/rules/minimal.yaml' },
    'recv-buffer': { type: 'string', default: String(4 * 1024 * 1024) },
  },
});
const [host, port] = (values.listen as string).split(':');
const rules = await loadRules(values.rules as string);
const engine = new Engine(rules);
const screener = new Screener(engine);
const proxy = await startStandalone({
  listen: [{ transport: 'udp', host: host as string, port: Number(port) }],
  nextHop: values['next-hop'] as string,
  screener,
  recvBufferBytes: Number(values['recv-buffer']),
});
process.stdout.write(`READY ${JSON.stringify(proxy.addresses())} recvBuffer=${proxy.stats().recvBufferBytes.join(',')}\n`);
const stop = async (): Promise<void> => {
  const s = proxy.stats();
  const u = process.cpuUsage();
  process.stdout.write(`STATS ${JSON.stringify({ invites: s.invites, rejected: s.rejected, forwarded: s.forwarded, bad: s.badMessages, retransmissionsSent: s.retransmissionsSent, retransmissionsAbsorbed: s.retransmissionsAbsorbed, timeoutB: s.timeoutB, sizes: s.sizes, engine: engine.sizes(), cpuSeconds: (u.user + u.system) / 1e6, rssMiB: Math.round(process.memoryUsage().rss / 1048576) })}\n`);
  await proxy.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
