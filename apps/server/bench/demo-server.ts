import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { type BenchServer, startBenchServer } from './server';

export interface DemoServerOptions {
  name: string;
  /** `DEMO_VISITS_PER_DAY`: 0 for no analytics (token scenarios), 3900 for about a million visits. */
  visitsPerDay: number;
  /** `DATABASE_URL` (a fresh schema); otherwise a fresh SQLite file in the run's directory. */
  databaseUrl?: string;
  /** More configuration: `WORKERS`, `ACCESS_TOKEN_ALG`, `METRICS_PORT`… */
  env?: Record<string, string>;
}

/** The server in demo mode on a fresh database: the demo users, sites and clients, and its analytics. */
export function startDemoServer(context: BenchContext, options: DemoServerOptions): Promise<BenchServer> {
  const dir = join(context.dir, options.name);
  mkdirSync(dir, { recursive: true });
  const database: Record<string, string> =
    options.databaseUrl === undefined
      ? { DATABASE_PATH: join(dir, 'matomo-oauth2.sqlite') }
      : { DATABASE_URL: options.databaseUrl };
  context.log(
    `starting the server "${options.name}" (DEMO_VISITS_PER_DAY=${options.visitsPerDay}${
      options.env
        ? `, ${Object.entries(options.env)
            .map(([name, value]) => `${name}=${value}`)
            .join(', ')}`
        : ''
    })…`,
  );
  return startBenchServer({
    name: options.name,
    dir,
    entry: context.entry,
    env: { ...database, DEMO_VISITS_PER_DAY: String(options.visitsPerDay), ...options.env },
    // The demo seed of a million visits takes about 30 s on SQLite, 50 s on PostgreSQL, here.
    startTimeoutMs: options.visitsPerDay > 1000 ? 600_000 : 120_000,
  });
}
