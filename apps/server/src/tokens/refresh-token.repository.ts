import type { Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { RefreshTokenTable } from '../db/schema';

/** Refresh tokens, stored by SHA-256 digest. Each belongs to one grant. */
export type RefreshTokenRow = Selectable<RefreshTokenTable>;

export async function insert(db: Db, token: RefreshTokenRow): Promise<void> {
  await db.insertInto('refresh_tokens').values(token).execute();
}

/** A refresh token with its grant and whether the grant's client is active. */
export function findWithGrant(db: Db, digest: string) {
  return db
    .selectFrom('refresh_tokens as r')
    .innerJoin('grants as g', 'g.grant_id', 'r.grant_id')
    .innerJoin('clients as c', 'c.client_id', 'g.client_id')
    .select([
      'r.expires_at',
      'r.created_at',
      'r.used_at',
      'g.grant_id',
      'g.client_id',
      'g.user_login',
      'g.scope',
      'g.identity_scopes',
      'g.auth_time',
      'g.sid',
      'g.created_at as grant_created_at',
      'g.revoked_at',
      'g.expires_at as grant_expires_at',
      'c.active as client_active',
    ])
    .where('r.token_digest', '=', digest)
    .executeTakeFirst();
}

export type RefreshTokenWithGrant = NonNullable<Awaited<ReturnType<typeof findWithGrant>>>;

/**
 * Marks the token used; false when it had been used already: of any number of concurrent
 * refreshes with one token, exactly one consumes it.
 */
export async function consume(db: Db, digest: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ used_at: now })
    .where('token_digest', '=', digest)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Deletes tokens that expired before `before`. */
export async function deleteExpired(db: Db, before: number): Promise<void> {
  await db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
}
