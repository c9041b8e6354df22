// The server as an operator runs it: a real process, configured by environment and flags.

import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../src/db/database';
import {
  ensureServerBuilt,
  runServer,
  type ServerEntry,
  serverEnv,
  startServerProcess,
} from './support/server-process';

const temp = makeTempDir();
afterAll(() => temp.remove());

const env = serverEnv;

function withDb<T>(path: string, work: (db: Db) => Promise<T>): Promise<T> {
  const db = openDatabase(path);
  return work(db).finally(() => db.destroy());
}

// Each scenario twice: from TypeScript through tsx (development) and the build with plain node
// (production; built here when missing or stale, as `npm run server` does).
describe.each<ServerEntry>(['src', 'dist'])('%s', (entry) => {
  const start = (args: string[], extra: Record<string, string>) => startServerProcess(args, extra, entry);
  const dir = (name: string) => join(temp.dir, entry, name);
  if (entry === 'dist')
    beforeAll(async () => {
      await ensureServerBuilt();
    }, 60_000);

  describe('first start', () => {
    const databasePath = join(dir('plain'), 'matomo.sqlite');

    test('creates and migrates the database; without a terminal the generated password goes to a 0600 file, never to the log', async () => {
      const passwordFile = join(dirname(databasePath), 'admin-password.txt');
      const first = await start([], { DATABASE_PATH: databasePath });
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      const password = readFileSync(passwordFile, 'utf8').trim();
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      // The database holds password hashes: readable by the server's user only.
      expect(statSync(databasePath).mode & 0o777).toBe(0o600);
      // The log says where the password is, never what it is.
      expect(first.output()).toContain(passwordFile);
      expect(first.output()).not.toContain(password);

      const second = await start([], { DATABASE_PATH: databasePath });
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(second.output()).not.toContain(password);
      expect(second.output()).not.toContain('admin-password.txt');
    });

    test('outside demo mode only the first super user exists', async () => {
      await withDb(databasePath, async (db) => {
        expect(await db.selectFrom('users').select(['login', 'superuser']).execute()).toEqual([
          { login: 'admin', superuser: 1 },
        ]);
        expect(await db.selectFrom('clients').selectAll().execute()).toEqual([]);
        expect(await db.selectFrom('sites').selectAll().execute()).toEqual([]);
        const hash = (await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow())
          .password_hash;
        expect(hash).toMatch(/^scrypt\$/);
      });
    });
  });

  describe('demo mode', () => {
    test('--demo seeds the demo user, sites and clients; ADMIN_PASSWORD is used, not printed', async () => {
      const databasePath = join(dir('demo'), 'matomo.sqlite');
      const server = await start(['--demo'], {
        DATABASE_PATH: databasePath,
        ADMIN_PASSWORD: 'operator-chosen',
        ADMIN_LOGIN: 'root',
      });
      try {
        expect(server.output()).not.toContain('operator-chosen');
        const metadata = (await (
          await fetch(`${server.url}/.well-known/oauth-authorization-server`)
        ).json()) as { issuer: string };
        expect(metadata.issuer).toBe(server.url);
      } finally {
        server.child.kill('SIGINT');
        expect(await server.exited).toBe(0);
      }
      await withDb(databasePath, async (db) => {
        const users = await db.selectFrom('users').select('login').orderBy('login').execute();
        expect(users.map((user) => user.login)).toEqual(['demo', 'root']);
        const clients = await db
          .selectFrom('clients')
          .select(['client_id', 'type', 'owner_login'])
          .orderBy('client_id')
          .execute();
        expect(clients).toEqual([
          { client_id: 'analytics_app', type: 'confidential', owner_login: 'root' },
          { client_id: 'matomo_demo_dashboard', type: 'public', owner_login: 'root' },
          { client_id: 'matomo_demo_spa', type: 'public', owner_login: 'root' },
        ]);
        const sites = await db.selectFrom('sites').select('timezone').orderBy('idsite').execute();
        expect(sites.map((site) => site.timezone)).toEqual(['UTC', 'Asia/Tokyo', 'Pacific/Honolulu']);
      });
    });
  });

  describe('shutdown', () => {
    test('SIGTERM lets a request in flight finish, then exits 0', async () => {
      const server = await start(['--demo'], {
        DATABASE_PATH: join(dir('shutdown'), 'matomo.sqlite'),
        ADMIN_PASSWORD: 'x-password-x',
      });
      const body = 'grant_type=client_credentials&client_id=analytics_app&client_secret=7fa9c0f81b8b4a12';
      const url = new URL(`${server.url}/oauth2/token`);
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        // Half the body now: the request is in flight when the signal arrives.
        req.write(body.slice(0, 20));
        setTimeout(() => {
          server.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(20)), 300);
        }, 200);
      });
      const result = await response;
      expect(result.status).toBe(200);
      expect(JSON.parse(result.text).token_type).toBe('Bearer');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('Stopped.');
    });
  });

  describe('the command line', () => {
    test('--help lists the options', () => {
      const result = runServer(['--help'], { entry });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('DATABASE_PATH');
      expect(result.stdout).toContain('--access-token-ttl');
    });

    test('a bad setting stops the start with a message', () => {
      const result = runServer([], {
        entry,
        env: env({
          NODE_ENV: 'production',
          ISSUER: 'http://matomo.example.org',
          DATABASE_PATH: join(dir('bad'), 'db.sqlite'),
        }),
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('ISSUER must be https in production');
    });

    test('keys:rotate publishes a new key; a running server picks it up', async () => {
      const databasePath = join(dir('keys'), 'matomo.sqlite');
      const server = await start([], { DATABASE_PATH: databasePath, ADMIN_PASSWORD: 'x-password-x' });
      try {
        const before = (await (await fetch(`${server.url}/oauth2/jwks`)).json()) as {
          keys: { kid: string }[];
        };
        expect(before.keys).toHaveLength(1);
        const rotate = runServer(['keys:rotate'], {
          entry,
          env: env({ DATABASE_PATH: databasePath, KEY_ROTATION_LEAD: '3600' }),
        });
        expect(rotate.status, rotate.stderr).toBe(0);
        const kid = /New signing key (\S+):/.exec(rotate.stdout)?.[1];
        expect(rotate.stdout).toMatch(/signing .* published/s);
        // The running server re-reads keys every minute, or at once on SIGHUP.
        server.child.kill('SIGHUP');
        await new Promise<void>((resolve) => {
          const timer = setInterval(() => {
            if (server.output().includes('signing keys reloaded')) {
              clearInterval(timer);
              resolve();
            }
          }, 50);
        });
        const after = (await (await fetch(`${server.url}/oauth2/jwks`)).json()) as {
          keys: { kid: string }[];
        };
        expect(after.keys.map((key) => key.kid)).toEqual([before.keys[0]?.kid, kid]);
        // Published, not yet signing: tokens still carry the old kid.
        await withDb(databasePath, async (db) => {
          const rows = await db
            .selectFrom('signing_keys')
            .select(['kid', 'signs_from'])
            .orderBy('signs_from')
            .execute();
          expect(rows[1]?.kid).toBe(kid);
          expect(rows[1]?.signs_from).toBeGreaterThan(Date.now() + 3000_000);
        });
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    });
  });
});
