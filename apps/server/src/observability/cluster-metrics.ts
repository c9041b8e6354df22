import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { type MetricsListen, type MetricsServer, scrapeRegistry, startMetricsServer } from './metrics-server';

/**
 * In a `node:cluster` worker: answers the primary's requests for this worker's metrics (over the
 * cluster's IPC channel) with `registry`. One registry per worker process: the last one given wins.
 */
export function shareMetricsWithPrimary(registry: Registry): void {
  AggregatorRegistry.setRegistries(registry);
  // Constructing one installs the worker's IPC listener (once per process).
  new AggregatorRegistry();
}

/**
 * In the `node:cluster` primary: serves `/metrics` on the metrics port, every worker's metrics
 * aggregated (counters and histograms summed; gauges as prom-client's default metrics declare).
 * A worker that does not answer within 5 s fails the scrape (503).
 */
export function startClusterMetricsServer(listen: MetricsListen): Promise<MetricsServer> {
  const aggregator = new AggregatorRegistry();
  return startMetricsServer(listen, async () => ({
    contentType: aggregator.contentType,
    text: await aggregator.clusterMetrics(),
  }));
}

/**
 * Publishes one server's metrics: in a `node:cluster` worker, hands its registry to the primary,
 * which serves every worker's metrics summed on the metrics port (`startClusterMetricsServer`);
 * otherwise listens on the metrics port itself. Undefined: nothing listens in this process.
 */
export async function serveMetrics(
  registry: Registry,
  listen: MetricsListen,
): Promise<MetricsServer | undefined> {
  if (cluster.isWorker) {
    shareMetricsWithPrimary(registry);
    return undefined;
  }
  return startMetricsServer(listen, scrapeRegistry(registry));
}
