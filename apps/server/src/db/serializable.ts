import type { Kysely, Transaction } from 'kysely';
import { dialectOf } from './dialect';

/** PostgreSQL's serialization_failure and deadlock_detected: the transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 10;

/**
 * Runs `work` in a transaction that behaves as if it ran alone: a read followed by a write that
 * depends on it (count the super users, then demote one) cannot interleave with another such
 * transaction. SQLite gives that to every transaction (one writer, `begin immediate`); PostgreSQL
 * needs SERIALIZABLE, whose conflicts abort one transaction, which then runs again.
 */
export async function serializable<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (dialectOf(db) !== 'postgres') return db.transaction().execute(work);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().setIsolationLevel('serializable').execute(work);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      // A short random pause, so that the transactions that collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
