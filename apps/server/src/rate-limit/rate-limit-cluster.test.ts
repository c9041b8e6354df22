import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { startRateLimitClusterMaster } from './rate-limit-store';

const workerFile = fileURLToPath(new URL('../../test/support/rate-limit-cluster-worker.ts', import.meta.url));
const workers: Worker[] = [];

afterAll(() => {
  for (const worker of workers) worker.kill();
});

/** The next message of `worker` that has `field`. */
function answer<T>(worker: Worker, field: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!(field in message)) return;
      worker.off('message', onMessage);
      resolve(message as T);
    };
    worker.on('message', onMessage);
    worker.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
  });
}

test('workers of one machine share the counts: 60 concurrent attempts over two workers, no more pass than the limit', async () => {
  // Before the workers start: their limiters announce themselves to it once.
  startRateLimitClusterMaster();
  cluster.setupPrimary({ exec: workerFile, execArgv: ['--import', 'tsx'], silent: false });
  const env = { RATE_LIMIT_LIMIT: '5', RATE_LIMIT_NOW: String(28_333_334 * 60_000) };
  for (let i = 0; i < 2; i++) {
    const worker = cluster.fork(env);
    workers.push(worker);
    await answer(worker, 'ready');
  }
  const results = await Promise.all(
    workers.map((worker) => {
      const result = answer<{ passed: number }>(worker, 'passed');
      worker.send({ attempts: 30 });
      return result;
    }),
  );
  // Each worker on its own would let 5 pass: 10 in all.
  expect(results.reduce((sum, { passed }) => sum + passed, 0)).toBe(5);
  expect(results.every(({ passed }) => passed <= 5)).toBe(true);
});
