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
  /** Where a failed write is reported. */
  logger: Logger;
  /** How long a write is retried while the database is busy or failing, ms. */
  retryForMs?: number;
  /** Entries kept in memory at most while the database cannot be written (then the oldest are dropped, and logged). */
  maxPending?: number;
  /** Told of every entry as it is recorded (the metrics count security events from here). */
  onRecord?: (event: AuditEvent, entry: AuditEntry) => void;
}

interface PendingRow {
  created_at: number;
  event: string;
  actor: string | null;
  client_id: string | null;
  ip: string | null;
  detail: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The audit trail, committed before the response it records is sent (`committed()`, awaited by
 * the app for every request) and grouped: the entries recorded while one write is in flight go
 * into the next, one transaction, so that issuing thousands of tokens a second costs one commit
 * per batch, not one per token. A busy or failing database is retried with back-off; the entries
 * stay queued meanwhile, never dropped while memory allows.
 */
export function createAuditLog({
  db,
  clock,
  logger,
  retryForMs = 10_000,
  maxPending = 100_000,
  onRecord,
}: AuditLogOptions) {
  let pending: PendingRow[] = [];
  /** The write that is running or scheduled, and resolves once it has committed (or given up). */
  let writing: Promise<void> | undefined;
  let closed = false;

  async function writeBatch(batch: PendingRow[]): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await db.transaction().execute(async (trx) => {
          // SQLite allows 32766 bound parameters per statement: 6 columns × 1000 rows is well within.
          for (let i = 0; i < batch.length; i += 1000) {
            await trx
              .insertInto('audit_log')
              .values(batch.slice(i, i + 1000))
              .execute();
          }
        });
        return;
      } catch (error) {
        if (Date.now() - started >= retryForMs || closed) {
          logger.error({ err: error, entries: batch.length }, 'audit log: could not write entries');
          // Kept for the next write, in order, so that a database that comes back loses nothing.
          requeue(batch);
          return;
        }
        if (attempt === 0)
          logger.warn({ err: error, entries: batch.length }, 'audit log: write failed; retrying');
        await sleep(Math.min(25 * 2 ** attempt, 1000));
      }
    }
  }

  function requeue(batch: PendingRow[]): void {
    pending = [...batch, ...pending];
    if (pending.length > maxPending) {
      const dropped = pending.length - maxPending;
      pending = pending.slice(dropped);
      logger.error({ dropped }, 'audit log: too many entries waiting for the database; dropped the oldest');
    }
  }

  /** Whether the write under way has yet to take what is pending (it gathers for one turn of the loop). */
  let gathering = false;
  /** The write that carries what was recorded while the one under way runs: it starts when that one ends. */
  let next: Promise<void> | undefined;

  function startWrite(): Promise<void> {
    gathering = true;
    const write = (async () => {
      // Let the requests of this moment add their entries to the same transaction.
      await new Promise<void>((resolve) => setImmediate(resolve));
      gathering = false;
      const batch = pending;
      pending = [];
      try {
        if (batch.length > 0) await writeBatch(batch);
      } finally {
        writing = undefined;
      }
    })();
    writing = write;
    return write;
  }

  /**
   * Resolves once what was pending when called is written (or its write has given up): the write
   * under way if it carries it, else the next one, shared by every caller of the moment; never a
   * later one, so that a response waits for its own entries only, however busy the log.
   */
  function flush(): Promise<void> {
    if (!writing) return pending.length === 0 ? Promise.resolve() : startWrite();
    if (gathering || pending.length === 0) return writing;
    next ??= writing.then(() => {
      next = undefined;
      return writing ?? startWrite();
    });
    return next;
  }

  return {
    /** Queues an entry; it is committed before the response of the request that records it. */
    record(event: AuditEvent, entry: AuditEntry = {}): void {
      pending.push({
        created_at: clock(),
        event,
        actor: entry.actor ?? null,
        client_id: entry.clientId ?? null,
        ip: entry.ip ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      });
      if (pending.length > maxPending) requeue([]);
      void flush();
      onRecord?.(event, entry);
    },
    /** Resolves once every entry recorded so far is committed (or its write has given up, logged). */
    committed: flush,
    async close(): Promise<void> {
      await flush();
      // Once more what a write that gave up put back.
      if (pending.length > 0) await flush();
      closed = true;
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/** Deletes the entries written before `before`. */
export async function pruneAuditLog(db: Db, before: number): Promise<void> {
  await db.deleteFrom('audit_log').where('created_at', '<', before).execute();
}
