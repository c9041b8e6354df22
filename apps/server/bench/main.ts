/**
 * `pnpm bench`: starts the real server on loopback on fresh databases, drives it with autocannon
 * (each scenario bounded in time, fixed connections), prints a table and writes bench/results.md.
 *
 *   pnpm bench                      # every scenario, about 10 s each, a million demo visits
 *   pnpm bench --quick              # every scenario for about a second, a small dataset
 *   pnpm bench --out /tmp/r.md      # write the results elsewhere
 *   pnpm bench --only tokens,flows  # some scenarios: bundle, tokens, workers, api, reports, flows, memory
 *   pnpm bench --entry src          # the server from TypeScript (tsx) rather than the build
 *
 * With DATABASE_URL set, the reports run on PostgreSQL too, in a schema of their own that the run
 * creates and drops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureServerBuilt, type ServerEntry } from '../test/support/server-process';
import type { BenchContext } from './context';
import { type BenchSchema, createBenchSchema } from './database';
import { startDemoServer } from './demo-server';
import { clientCredentialsToken } from './http';
import { type RunInfo, renderTable, type Section, writeResults } from './results';
import { authorizationFlows } from './scenarios/authorization-flows';
import { bearerApi } from './scenarios/bearer-api';
import { bundleSize } from './scenarios/bundle-size';
import { memory } from './scenarios/memory';
import { reportLatencies } from './scenarios/reports';
import { tokenIssuance } from './scenarios/token-issuance';
import { workers } from './scenarios/workers';
import { type BenchServer, killAllServers, stopAllServers } from './server';

const scenarioNames = ['bundle', 'tokens', 'workers', 'api', 'reports', 'flows', 'memory'] as const;
type ScenarioName = (typeof scenarioNames)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: join(import.meta.dirname, 'results.md') },
    only: { type: 'string' },
    entry: { type: 'string' },
  },
});
const only = values.only?.split(',') ?? [...scenarioNames];
const unknown = only.filter((name) => !(scenarioNames as readonly string[]).includes(name));
if (unknown.length > 0)
  throw new Error(`--only: unknown scenario ${unknown.join(', ')} (${scenarioNames.join(', ')})`);
const wants = (...names: ScenarioName[]) => names.some((name) => only.includes(name));

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** The build (rebuilt when older than the sources), as production runs it; the sources when it cannot be built. */
async function chooseEntry(requested: string | undefined): Promise<ServerEntry> {
  if (requested === 'src') return 'src';
  if (requested !== undefined && requested !== 'dist') throw new Error('--entry: src or dist');
  try {
    await ensureServerBuilt();
    return 'dist';
  } catch (error) {
    if (requested === 'dist') throw error;
    log(`the server did not build (${(error as Error).message}): running src/main.ts with tsx`);
    return 'src';
  }
}

const sections: Section[] = [];
const schemas: BenchSchema[] = [];
const dir = mkdtempSync(join(tmpdir(), 'matomo-oauth2-bench-'));

/** Runs a scenario; a failure becomes a section that says why, and the next scenario runs. */
async function attempt(title: string, run: () => Promise<Section>): Promise<void> {
  try {
    sections.push(await run());
  } catch (error) {
    log(`${title} failed: ${(error as Error).stack ?? error}`);
    sections.push({ title, rows: [], failure: (error as Error).message });
  }
}

/** Starts a demo server for several scenarios; when it cannot start, each of them fails with the reason. */
async function withDemoServer(
  context: BenchContext,
  options: { name: string; databaseUrl?: string; titles: string[] },
  run: (server: BenchServer, token: string) => Promise<void>,
): Promise<void> {
  let server: BenchServer;
  let token: string;
  try {
    server = await startDemoServer(context, {
      name: options.name,
      visitsPerDay: context.quick ? 30 : 3900,
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    });
  } catch (error) {
    for (const title of options.titles) await attempt(title, () => Promise.reject(error));
    return;
  }
  try {
    try {
      token = await clientCredentialsToken(server.url);
    } catch (error) {
      for (const title of options.titles) await attempt(title, () => Promise.reject(error));
      return;
    }
    // Each scenario records its own failure (`attempt`), and the next one runs.
    await run(server, token);
  } finally {
    await server.stop();
  }
}

async function cleanUp(): Promise<void> {
  await stopAllServers();
  await Promise.all(schemas.map((schema) => schema.drop().catch((error) => log(`could not drop: ${error}`))));
}

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) return;
  interrupted = true;
  log('interrupted: stopping the servers…');
  void cleanUp().finally(() => process.exit(130));
});
process.on('exit', killAllServers);

async function main(): Promise<number> {
  const started = new Date();
  const entry = await chooseEntry(values.entry);
  const postgresUrl = process.env.DATABASE_URL || undefined;
  const context: BenchContext = {
    quick: values.quick,
    entry,
    dir,
    log,
    seconds: (full, quick) => (values.quick ? quick : full),
  };
  log(`${values.quick ? 'quick run' : 'full run (several minutes)'}; server: ${entry}; files in ${dir}`);

  if (wants('bundle')) await attempt('SDK browser bundle', bundleSize);
  if (wants('tokens')) await attempt('Token issuance', () => tokenIssuance(context));
  if (wants('workers')) await attempt('Workers', () => workers(context));
  if (wants('api', 'reports', 'flows', 'memory')) {
    const titles = [
      ...(wants('api') ? ['Bearer-checked API call'] : []),
      ...(wants('reports') ? ['Reports on SQLite'] : []),
      ...(wants('flows') ? ['Authorization-code + PKCE flows'] : []),
      ...(wants('memory') ? ['Memory'] : []),
    ];
    await withDemoServer(context, { name: 'sqlite', titles }, async (server, token) => {
      if (wants('api')) await attempt('Bearer-checked API call', () => bearerApi(context, server.url, token));
      if (wants('reports'))
        await attempt('Reports on SQLite', () =>
          reportLatencies(context, { url: server.url, token, database: 'SQLite' }),
        );
      if (wants('flows'))
        await attempt('Authorization-code + PKCE flows', () => authorizationFlows(context, server));
      if (wants('memory'))
        await attempt('Memory', () => memory(context, { url: server.url, pid: server.pid, token }));
    });
  }
  const databases = ['SQLite'];
  if (wants('reports') && postgresUrl !== undefined) {
    databases.push('PostgreSQL (DATABASE_URL, a schema of its own)');
    const title = 'Reports on PostgreSQL';
    let schema: BenchSchema | undefined;
    try {
      schema = await createBenchSchema(postgresUrl);
      schemas.push(schema);
    } catch (error) {
      await attempt(title, () => Promise.reject(error));
    }
    if (schema) {
      const { url } = schema;
      await withDemoServer(
        context,
        { name: 'postgres', databaseUrl: url, titles: [title] },
        async (server, token) => {
          await attempt(title, () =>
            reportLatencies(context, { url: server.url, token, database: 'PostgreSQL' }),
          );
        },
      );
    }
  }

  const info: RunInfo = {
    date: started,
    quick: values.quick,
    databases,
    entry: entry === 'dist' ? 'dist/main.js' : 'src/main.ts (tsx)',
  };
  writeResults(values.out, info, sections);
  process.stdout.write(`${renderTable(info, sections)}\n`);
  log(`results written to ${values.out}`);
  const failed = sections.filter(
    (section) => section.failure !== undefined || (section.problems?.length ?? 0) > 0,
  );
  return failed.length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} finally {
  await cleanUp();
  if (code === 0) rmSync(dir, { recursive: true, force: true });
  else log(`server logs kept in ${dir}`);
}
process.exitCode = code;
