import type { Db } from '../db/database';

/** Access tokens revoked before they expired (RFC 7009), kept until they expire. */
export async function add(db: Db, jti: string, expiresAt: number): Promise<void> {
  await db
    .insertInto('revoked_tokens')
    .values({ jti, expires_at: expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}

/** Forgets revocations of tokens that have expired anyway. */
export async function deleteExpired(db: Db, now: number): Promise<void> {
  await db.deleteFrom('revoked_tokens').where('expires_at', '<', now).execute();
}
