import type { Clock } from '../config/clock';
import type { Db } from '../db/database';

/**
 * Nonces already used, each remembered `ttlMs` after its use: what makes a value that is valid
 * for `ttlMs` usable once across every worker process and instance sharing the database. How
 * many are remembered is the database's concern; the housekeeping sweep deletes expired rows
 * (`deleteExpiredNonces`).
 */
export function createSpentNonces({ db, ttlMs, clock }: { db: Db; ttlMs: number; clock: Clock }) {
  return {
    /**
     * Spends `nonce`: false when it was spent already and is still remembered. One statement, so
     * that of two processes spending the same nonce at once exactly one gets true: the insert
     * claims a new nonce; on a conflict, the update claims it again only when its row has expired
     * (not yet swept). A row is returned only when this call claimed it.
     */
    async spend(nonce: string): Promise<boolean> {
      const now = clock();
      const expiresAt = now + ttlMs;
      const claimed = await db
        .insertInto('spent_nonces')
        .values({ nonce, expires_at: expiresAt })
        .onConflict((oc) =>
          oc
            .column('nonce')
            .doUpdateSet({ expires_at: expiresAt })
            .where('spent_nonces.expires_at', '<=', now),
        )
        // Whether a row comes back is the answer. Every column, not one by name: SQLite reads a
        // mistyped name as a string, returns a row all the same, and no test on SQLite would see it.
        .returningAll()
        .executeTakeFirst();
      return claimed !== undefined;
    },
  };
}

export type SpentNonces = ReturnType<typeof createSpentNonces>;

/** Forgets the nonces that count as unspent again (their `expires_at` is `now` or earlier). */
export async function deleteExpiredNonces(db: Db, now: number): Promise<void> {
  await db.deleteFrom('spent_nonces').where('expires_at', '<=', now).execute();
}
