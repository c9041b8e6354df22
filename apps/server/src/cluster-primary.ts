import cluster, { type Worker } from 'node:cluster';
import { rmSync } from 'node:fs';
import type { Config } from './config/config';
import { serverPidPath } from './config/paths';
import type { Logger } from './logging/logger';
import { startClusterMetricsServer } from './observability/cluster-metrics';
import { startRateLimitClusterMaster } from './rate-limit/rate-limit-store';

/** What a worker tells the primary once it serves. */
export interface WorkerListening {
  type: 'matomo-oauth2:listening';
  url: string;
  issuer: string;
}

export function isWorkerListening(message: unknown): message is WorkerListening {
  return (message as { type?: unknown } | null)?.type === 'matomo-oauth2:listening';
}

/** Restarts allowed within a minute before the primary gives up (a worker that cannot start). */
const MAX_RESTARTS_PER_MINUTE = 5;
/** How long the workers have to finish their requests once told to stop. */
const STOP_TIMEOUT_MS = 15_000;

export interface Primary {
  /** The URL and issuer the first worker reported. */
  url: string;
  issuer: string;
  /** Tells every worker to stop (SIGTERM), waits for them; resolves with the exit code to use. */
  stop(signal: string): Promise<number>;
  /** Passes a signal on to every worker (SIGHUP: reload the signing keys). */
  signal(signal: NodeJS.Signals): void;
  /**
   * Replaces the workers one at a time (SIGUSR2): each new one serves before an old one stops, so
   * the port never goes unserved; new workers run the code now on disk (a new build).
   */
  restartWorkers(): Promise<void>;
}

/**
 * The `node:cluster` primary of WORKERS=N: it serves no request itself. It keeps what the workers
 * share on one machine (the rate limits' counts on SQLite; PostgreSQL keeps them otherwise, and
 * the metrics of every worker, summed), starts one worker first, so that it alone migrates and
 * seeds a new database, then the others, and replaces a worker that dies.
 */
export async function startPrimary(config: Config, logger: Logger): Promise<Primary> {
  if (config.databaseUrl === undefined) startRateLimitClusterMaster();
  const metrics =
    config.metricsPort === undefined
      ? undefined
      : await startClusterMetricsServer({ host: config.metricsHost, port: config.metricsPort });
  if (metrics) logger.info({ url: metrics.url }, `Prometheus metrics at ${metrics.url} (all workers)`);

  let stopping = false;
  const restarts: number[] = [];
  /** Workers stopped on purpose by a rolling restart: their exit is no failure. */
  const retiring = new Set<number>();

  function fork(): Promise<WorkerListening> {
    const worker = cluster.fork();
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (!isWorkerListening(message)) return;
        worker.off('message', onMessage);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('exit', (code, signal) => {
        worker.off('message', onMessage);
        reject(new Error(`worker ${worker.id} exited before listening (${signal ?? `code ${code}`})`));
      });
    });
  }

  // The first worker prepares the database (migrations, first user and key, demo data) alone.
  const first = await fork();
  await Promise.all(Array.from({ length: config.workers - 1 }, () => fork()));

  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping || retiring.delete(worker.id)) return;
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      logger.fatal(
        { worker: worker.id, code, signal },
        `Workers died ${restarts.length} times within a minute: stopping.`,
      );
      void stop('worker failures').then(() => process.exit(1));
      return;
    }
    logger.error({ worker: worker.id, code, signal }, 'A worker died; starting another');
    fork().catch((error: unknown) => logger.error({ err: error }, 'A replacement worker did not start'));
  });

  function workers(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  }

  async function stop(reason: string): Promise<number> {
    stopping = true;
    logger.info({ reason }, `${reason}: stopping ${workers().length} worker(s)…`);
    const exits = workers().map(
      (worker) =>
        new Promise<number>((resolve) => {
          if (worker.isDead()) return resolve(worker.process.exitCode ?? 1);
          worker.once('exit', (code) => resolve(code ?? 1));
          worker.process.kill('SIGTERM');
        }),
    );
    const timeout = new Promise<number>((resolve) => {
      setTimeout(() => {
        for (const worker of workers()) worker.process.kill('SIGKILL');
        logger.error(`Workers did not stop within ${STOP_TIMEOUT_MS / 1000} s; killed them.`);
        resolve(1);
      }, STOP_TIMEOUT_MS).unref();
    });
    const code = await Promise.race([
      Promise.all(exits).then((codes) => (codes.every((c) => c === 0) ? 0 : 1)),
      timeout,
    ]);
    await metrics?.close();
    // The workers wrote this process's id for `restore` to see (SQLite); the server is gone now.
    if (config.databaseUrl === undefined) rmSync(serverPidPath(config.databasePath), { force: true });
    return code;
  }

  let restarting: Promise<void> | undefined;
  async function restartWorkers(): Promise<void> {
    for (const old of workers()) {
      if (stopping) return;
      await fork();
      retiring.add(old.id);
      await new Promise<void>((resolve) => {
        old.once('exit', () => resolve());
        old.process.kill('SIGTERM');
      });
      logger.info({ worker: old.id }, 'Replaced a worker');
    }
  }

  return {
    url: first.url,
    issuer: first.issuer,
    stop,
    signal(signal) {
      for (const worker of workers()) worker.process.kill(signal);
    },
    restartWorkers() {
      restarting ??= restartWorkers().finally(() => {
        restarting = undefined;
      });
      return restarting;
    },
  };
}
