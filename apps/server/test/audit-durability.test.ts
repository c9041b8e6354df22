// The audit trail survives a crash: an entry is committed before the response it records.

import { join } from 'node:path';
import { basic, makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, expect, test } from 'vitest';
import { openDatabase } from '../src/db/database';
import { startServerProcess } from './support/server-process';

const temp = makeTempDir();
afterAll(() => temp.remove());

test('kill -9 right after 20 token requests: 20 audit entries after restart', async () => {
  const databasePath = join(temp.dir, 'crash.sqlite');
  const settings = {
    DATABASE_PATH: databasePath,
    ADMIN_PASSWORD: 'admin-password-for-tests',
    DEMO_VISITS_PER_DAY: '0',
  };
  const server = await startServerProcess(['--demo'], settings);
  const responses = await Promise.all(
    Array.from({ length: 20 }, () =>
      fetch(`${server.url}/oauth2/token`, {
        method: 'POST',
        headers: {
          Authorization: basic('analytics_app', '7fa9c0f81b8b4a12'),
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=matomo:read',
      }),
    ),
  );
  expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
  // No chance to flush anything: the process dies at once.
  server.child.kill('SIGKILL');
  expect(await server.exited).toBeNull();

  // The server starts again on what the crash left, and stops cleanly.
  const restarted = await startServerProcess(['--demo'], settings);
  restarted.child.kill('SIGTERM');
  expect(await restarted.exited).toBe(0);

  const db = openDatabase(databasePath);
  try {
    const issued = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('event', '=', 'token.issued')
      .where('client_id', '=', 'analytics_app')
      .execute();
    expect(issued).toHaveLength(20);
    expect(issued.every((row) => JSON.parse(row.detail).grant_type === 'client_credentials')).toBe(true);
  } finally {
    await db.destroy();
  }
});
