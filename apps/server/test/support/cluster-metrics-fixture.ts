// A node:cluster of two workers for cluster-metrics.test.ts: the primary serves the aggregated
// metrics; worker n counts n client_credentials tokens and one API request, then publishes its
// registry the way startServer does (`serveMetrics`), which in a worker must not listen.
import cluster from 'node:cluster';
import { serveMetrics, startClusterMetricsServer } from '../../src/observability/cluster-metrics';
import { createMetrics } from '../../src/observability/metrics';

const workers = 2;

if (cluster.isPrimary) {
  const server = await startClusterMetricsServer({ host: '127.0.0.1', port: 0 });
  const port = new URL(server.url).port;
  let ready = 0;
  for (let n = 1; n <= workers; n++) {
    const worker = cluster.fork({ TOKENS: String(n), METRICS_PORT: port });
    worker.on('message', (message: unknown) => {
      // prom-client's own messages (the metrics the primary asks for) come this way too.
      if (typeof message !== 'string') return;
      if (message !== 'shared') {
        process.stdout.write(`worker ${n} answered ${String(message)}\n`);
        process.exit(1);
      }
      ready += 1;
      if (ready === workers) process.stdout.write(`metrics at ${server.url}\n`);
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    void server.close().then(() => process.exit(0));
  });
} else {
  const metrics = createMetrics({ processMetrics: true });
  for (let i = 0; i < Number(process.env.TOKENS); i++) metrics.tokenIssued('client_credentials');
  metrics.observeRequest({ method: 'GET', route: '/api/:method', status: 200 }, 0.02);
  const listening = await serveMetrics(metrics.registry, {
    host: '127.0.0.1',
    port: Number(process.env.METRICS_PORT),
  });
  process.send?.(listening === undefined ? 'shared' : 'listening');
}
