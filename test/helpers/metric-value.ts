/** Reading one series of the Prometheus text a metrics registry exposes, for tests. */
import type { Registry } from 'prom-client';

/** The value of the unlabelled series `name` (without the `ringfence_` prefix), or undefined when it is not exposed. */
export async function metricValue(registry: Registry, name: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`ringfence_${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}
