// All cores of one machine: WORKERS=2 runs a node:cluster primary and two workers behind one
// port, on SQLite and on PostgreSQL, with the security rules still holding across the workers.
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestSchema, testDatabaseUrl } from './support/database-under-test';
import {
  adminPassword,
  demoEnv,
  logRecords,
  nodeChildPids,
  processExists,
  startInstances,
  stopServer,
} from './support/instances';
import {
  apiStatus,
  raceOneCode,
  refreshAt,
  signInStatus,
  wrongPasswordBurst,
} from './support/security-races';
import type { ServerProcess } from './support/server-process';

/** The status of a GET sent on a connection of its own (no keep-alive reuse). */
function statusOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

const WORKERS = 2;
const temp = makeTempDir();
const sqlitePath = join(temp.dir, 'cluster.sqlite');
afterAll(() => temp.remove());

const databases = [
  {
    name: 'SQLite',
    skip: false,
    env: async (): Promise<Record<string, string>> => ({ DATABASE_PATH: sqlitePath }),
  },
  {
    name: testDatabaseUrl === undefined ? 'PostgreSQL (skipped: TEST_DATABASE_URL is not set)' : 'PostgreSQL',
    skip: testDatabaseUrl === undefined,
    env: async (): Promise<Record<string, string>> => ({
      DATABASE_URL: await createTestSchema(testDatabaseUrl as string),
    }),
  },
];

for (const database of databases) {
  describe.skipIf(database.skip)(`WORKERS=${WORKERS} on ${database.name}`, () => {
    let primary: ServerProcess;
    let workerPids: number[] = [];

    beforeAll(async () => {
      const env = demoEnv({ ...(await database.env()), WORKERS: String(WORKERS) });
      [primary] = (await startInstances(1, env)) as [ServerProcess];
      workerPids = nodeChildPids(primary.child.pid as number);
    }, 60_000);

    afterAll(async () => {
      if (primary) await stopServer(primary);
    });

    test(`the primary forks ${WORKERS} workers and logs "listening on" once`, () => {
      expect(workerPids).toHaveLength(WORKERS);
      expect(workerPids).not.toContain(primary.child.pid);
      const listening = logRecords(primary).filter((record) => /listening on/.test(String(record.msg)));
      expect(listening).toHaveLength(1);
      expect(listening[0]?.pid).toBe(primary.child.pid);
    });

    test('eight parallel redemptions of one code: exactly one token response, and the replay revokes what it issued', async () => {
      const { results, winner } = await raceOneCode([primary.url], 8);
      expect(results.map((result) => result.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
      for (const result of results.filter((each) => each.status !== 200))
        expect(result.body.error).toBe('invalid_grant');
      const tokens = winner as { access_token: string; refresh_token: string };
      // Several times: the workers take turns, and none may still accept the token.
      for (let round = 0; round < 2 * WORKERS; round++)
        expect(await apiStatus(primary.url, tokens.access_token)).toBe(401);
      expect((await refreshAt(primary.url, tokens.refresh_token)).body.error).toBe('invalid_grant');
    });

    test('rate limits hold across workers: of 60 wrong passwords at once, no more than the limit reach the check; then even the right one is refused', async () => {
      const statuses = await wrongPasswordBurst([primary.url], 'admin', 60);
      const checked = statuses.filter((status) => status !== 429);
      expect(checked.length).toBeGreaterThan(0);
      // The default per-login (and address) limit: 5 failures.
      expect(checked.length).toBeLessThanOrEqual(5);
      expect(new Set(checked)).toEqual(new Set([401]));
      for (let round = 0; round < 2 * WORKERS; round++)
        expect(await signInStatus(primary.url, 'admin', adminPassword)).toBe(429);
    });

    test('requests are served by more than one worker', () => {
      const servedBy = new Set(
        logRecords(primary)
          .filter((record) => record.msg === 'request')
          .map((record) => record.pid),
      );
      expect(servedBy.size).toBeGreaterThan(1);
      for (const pid of servedBy) expect(workerPids).toContain(pid);
    });

    // SQLite's pid file, which `restore` reads to refuse replacing a database in use.
    const pidFile = `${sqlitePath}.pid`;

    test.skipIf(database.name !== 'SQLite')(
      'SIGUSR2 replaces the workers one at a time, answering throughout; the pid file names the primary all along',
      async () => {
        expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(primary.child.pid));
        const before = workerPids;
        primary.child.kill('SIGUSR2');
        const statuses = new Set<number>();
        for (let polls = 0; !/every worker replaced/.test(primary.output()); polls++) {
          if (polls > 600) throw new Error(`the workers were not replaced:\n${primary.output()}`);
          // A new connection each time, as nginx opens to its upstream by default: an idle
          // keep-alive connection to a worker that stops is closed with it (as by any Node server).
          statuses.add(await statusOnNewConnection(`${primary.url}/.well-known/oauth-authorization-server`));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect([...statuses]).toEqual([200]);
        workerPids = nodeChildPids(primary.child.pid as number);
        expect(workerPids).toHaveLength(WORKERS);
        expect(workerPids.filter((pid) => before.includes(pid))).toEqual([]);
        expect(before.filter(processExists)).toEqual([]);
        expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(primary.child.pid));
      },
      60_000,
    );

    test('SIGTERM stops the primary and every worker cleanly', async () => {
      expect(workerPids.every(processExists)).toBe(true);
      expect(await stopServer(primary)).toBe(0);
      expect(workerPids.filter(processExists)).toEqual([]);
      // No worker announced itself on the way (the primary logs the one "listening" line).
      expect(primary.output().match(/listening on/g)).toHaveLength(1);
      expect(existsSync(pidFile)).toBe(false);
    });
  });
}
