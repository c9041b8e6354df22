import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { AuthorizationCodeTable } from '../db/schema';

/** Authorization codes, stored by SHA-256 digest: the code itself is never stored. */
export type AuthorizationCodeRow = Selectable<AuthorizationCodeTable>;

export async function insert(db: Db, code: Insertable<AuthorizationCodeTable>): Promise<void> {
  await db.insertInto('authorization_codes').values(code).execute();
}

export function find(db: Db, digest: string): Promise<AuthorizationCodeRow | undefined> {
  return db
    .selectFrom('authorization_codes')
    .selectAll()
    .where('code_digest', '=', digest)
    .executeTakeFirst();
}

/**
 * Marks the code used and records the grant its redemption creates. False when it had been used
 * already: of any number of concurrent redemptions, exactly one consumes the code.
 */
export async function consume(db: Db, digest: string, now: number, grantId: string): Promise<boolean> {
  const result = await db
    .updateTable('authorization_codes')
    .set({ consumed_at: now, grant_id: grantId })
    .where('code_digest', '=', digest)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Deletes a client's codes that were never redeemed. */
export async function deletePending(db: Db, clientId: string): Promise<void> {
  await db
    .deleteFrom('authorization_codes')
    .where('client_id', '=', clientId)
    .where('consumed_at', 'is', null)
    .execute();
}

/** Deletes codes that expired before `before` (kept a while after expiry to recognise replays). */
export async function deleteExpired(db: Db, before: number): Promise<void> {
  await db.deleteFrom('authorization_codes').where('expires_at', '<', before).execute();
}
