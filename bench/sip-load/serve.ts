/**
 * Ringfence standalone for bench/sip-load: one UDP listener, a rules file,
 * no per-call logging (as in production at load, where decisions go to
 * metrics). Prints READY when listening, its counters and CPU on SIGTERM.
 *
 *   node dist/bench/sip-load/serve.js --listen 127.0.0.1:5070 --next-hop sip:127.0.0.1:5080 --rules examples/rules/china-ingress.yaml
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Engine } from '../../lib/engine/engine.js';
import { Screener } from '../../lib/ops/screener.js';
import { loadRules } from '../../lib/rules/load.js';
import { startStandalone } from '../../lib/sip/standalone.js';
import { benchArgs, wholeNumber } from '../cli-args.js';

const USAGE = `Usage: node dist/bench/sip-load/serve.js [options]

Ringfence standalone as bench/sip-load/run.sh runs it: one UDP listener, no
per-call logging. Prints READY when listening, its counters and CPU on SIGTERM.

Options:
  --listen HOST:PORT      UDP address to listen on (default 127.0.0.1:5070)
  --next-hop URI          where screened calls go (default sip:127.0.0.1:5080)
  --rules FILE            rules file (default examples/rules/minimal.yaml)
  --recv-buffer BYTES     UDP receive buffer (default 4194304)
  --monitor               a MON line every second: messages, CPU, event-loop delay, GC
  --no-udp-thread         UDP on the main thread instead of the I/O thread
  -h, --help              show this help
`;
const { values } = benchArgs(USAGE, {
  listen: { type: 'string', default: '127.0.0.1:5070' },
  'next-hop': { type: 'string', default: 'sip:127.0.0.1:5080' },
  rules: { type: 'string', default: 'examples/rules/minimal.yaml' },
  'recv-buffer': { type: 'string', default: String(4 * 1024 * 1024) },
  monitor: { type: 'boolean', default: false },
  'no-udp-thread': { type: 'boolean', default: false },
});
const recvBufferBytes = wholeNumber(values['recv-buffer'], '--recv-buffer', USAGE);
const [host, port] = values.listen.split(':');
const rules = await loadRules(values.rules);
const engine = new Engine(rules);
const screener = new Screener(engine);
const proxy = await startStandalone({
  listen: [{ transport: 'udp', host: host as string, port: Number(port) }],
  nextHop: values['next-hop'],
  screener,
  recvBufferBytes,
  udpThread: !values['no-udp-thread'],
});
process.stdout.write(`READY ${JSON.stringify(proxy.addresses())} recvBuffer=${proxy.stats().recvBufferBytes.join(',')}\n`);
if (values.monitor) {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  let gcMs = 0;
  let gcMax = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      gcMax = Math.max(gcMax, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let last = { msgs: 0, cpu: process.cpuUsage(), t: performance.now() };
  setInterval(() => {
    const s = proxy.stats();
    const msgs = s.requestsIn + s.responsesIn;
    const cpu = process.cpuUsage(last.cpu);
    const t = performance.now();
    const wall = (t - last.t) * 1000;
    const ms = (ns: number): string => (ns / 1e6).toFixed(1);
    process.stdout.write(`MON msgs/s=${Math.round(((msgs - last.msgs) * 1e6) / wall)} cpu=${Math.round((100 * (cpu.user + cpu.system)) / wall)}% user=${Math.round((100 * cpu.user) / wall)}% eld p50/p99/max=${ms(eld.percentile(50))}/${ms(eld.percentile(99))}/${ms(eld.max)}ms gc=${gcMs.toFixed(0)}ms max=${gcMax.toFixed(1)}ms heap=${Math.round(process.memoryUsage().heapUsed / 1048576)}MiB tx=${s.sizes.serverTransactions}/${s.sizes.clientTransactions} retrans=${s.retransmissionsSent}/${s.retransmissionsAbsorbed}\n`);
    eld.reset();
    gcMs = 0;
    gcMax = 0;
    last = { msgs, cpu: process.cpuUsage(), t };
  }, 1000).unref();
}
const stop = async (): Promise<void> => {
  const s = proxy.stats();
  const u = process.cpuUsage();
  process.stdout.write(`STATS ${JSON.stringify({ invites: s.invites, rejected: s.rejected, forwarded: s.forwarded, overload503: s.overload, bad: s.badMessages, retransmissionsSent: s.retransmissionsSent, retransmissionsAbsorbed: s.retransmissionsAbsorbed, timeoutB: s.timeoutB, sizes: s.sizes, engine: engine.sizes(), cpuSeconds: (u.user + u.system) / 1e6, rssMiB: Math.round(process.memoryUsage().rss / 1048576) })}\n`);
  await proxy.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
