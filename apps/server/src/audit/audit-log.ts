import type { Clock } from '../config/clock';
import type { Db } from '../db/database';
import type { Logger } from '../logging/logger';

/** Every event the audit log records, in the order people read them in a filter. */
export const auditEvents = [
  'login.succeeded',
  'login.failed',
  'login.rate_limited',
  'password_confirmation.failed',
  'logout',
  'consent.allowed',
  'consent.denied',
  'token.issued',
  'token.revoked',
  'grant.revoked',
  'authorization_code.replayed',
  'refresh_token.reuse_detected',
  'client.authentication_failed',
  'client.created',
  'client.updated',
  'client.paused',
  'client.resumed',
  'client.secret_rotated',
  'client.deleted',
  'key.created',
  'key.revoked',
  'user.created',
  'user.updated',
  'user.password_changed',
  'user.access_changed',
  'user.deleted',
  'site.created',
  'site.updated',
] as const;

export type AuditEvent = (typeof auditEvents)[number];

export interface AuditEntry {
  actor?: string | undefined;
  clientId?: string | undefined;
  ip?: string | undefined;
  /** Event details. Never a secret, token, code or password. */
  detail?: Record<string, unknown>;
}

export interface AuditLogOptions {
  db: Db;
  clock: Clock;
  /** Where a failed write is reported (the entries are lost then, not the request). */
  logger: Logger;
  /** Write at least this often, ms. */
  flushIntervalMs?: number;
  /** Write as soon as this many entries wait. */
  batchSize?: number;
}

/**
 * The audit trail, written behind: entries are buffered and inserted in one transaction per
 * batch, so that issuing thousands of tokens a second does not cost a write each. `flush()` on
 * shutdown writes what is left.
 */
export function createAuditLog({
  db,
  clock,
  logger,
  flushIntervalMs = 250,
  batchSize = 500,
}: AuditLogOptions) {
  let buffer: {
    created_at: number;
    event: string;
    actor: string | null;
    client_id: string | null;
    ip: string | null;
    detail: string;
  }[] = [];
  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  function flush(): Promise<void> {
    if (buffer.length === 0) return writing;
    const batch = buffer;
    buffer = [];
    writing = writing.then(async () => {
      try {
        // SQLite allows 32766 bound parameters per statement: 6 columns × 1000 rows is well within.
        for (let i = 0; i < batch.length; i += 1000) {
          await db
            .insertInto('audit_log')
            .values(batch.slice(i, i + 1000))
            .execute();
        }
      } catch (error) {
        logger.error({ err: error, entries: batch.length }, 'audit log: could not write entries');
      }
    });
    return writing;
  }

  return {
    record(event: AuditEvent, entry: AuditEntry = {}): void {
      buffer.push({
        created_at: clock(),
        event,
        actor: entry.actor ?? null,
        client_id: entry.clientId ?? null,
        ip: entry.ip ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      });
      if (buffer.length >= batchSize) void flush();
    },
    flush,
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/** Deletes the entries written before `before`. */
export async function pruneAuditLog(db: Db, before: number): Promise<void> {
  await db.deleteFrom('audit_log').where('created_at', '<', before).execute();
}
