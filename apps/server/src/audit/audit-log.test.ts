import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { expect, test } from 'vitest';
import { migrateToLatest, openDatabase } from '../db/database';
import { createLogger } from '../logging/logger';
import { createAuditLog } from './audit-log';

test('a batch that cannot be written is reported to the log, and the request that recorded it is not failed', async () => {
  const temp = makeTempDir();
  const db = openDatabase(join(temp.dir, 'audit.sqlite'));
  await migrateToLatest(db);
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  const audit = createAuditLog({ db, clock: Date.now, logger, flushIntervalMs: 60_000 });
  await db.destroy();
  expect(() => audit.record('login.failed', { actor: 'someone', ip: '192.0.2.1' })).not.toThrow();
  await audit.close();
  temp.remove();
  const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(logged).toEqual([
    expect.objectContaining({ level: 50, msg: 'audit log: could not write entries', entries: 1 }),
  ]);
});
