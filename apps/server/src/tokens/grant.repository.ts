import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { GrantTable } from '../db/schema';

/** One authorization of a client by a user: every refresh and access token of it descends from it. */
export type GrantRow = Selectable<GrantTable>;

export async function insert(db: Db, grant: Insertable<GrantTable>): Promise<void> {
  await db.insertInto('grants').values(grant).execute();
}

/** Who a grant belongs to. */
export function findOwner(
  db: Db,
  grantId: string,
): Promise<Pick<GrantRow, 'client_id' | 'user_login'> | undefined> {
  return db
    .selectFrom('grants')
    .select(['client_id', 'user_login'])
    .where('grant_id', '=', grantId)
    .executeTakeFirst();
}

/** Revokes a live grant; false when it was revoked already (or does not exist). */
export async function revoke(db: Db, grantId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('grants')
    .set({ revoked_at: now })
    .where('grant_id', '=', grantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes every live grant of a client. */
export async function revokeAllOfClient(db: Db, clientId: string, now: number): Promise<void> {
  await db
    .updateTable('grants')
    .set({ revoked_at: now })
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Makes `jti` the grant's only valid access token (the previous one dies with it); false when the
 * grant has been revoked meanwhile.
 */
export async function rotateAccessToken(db: Db, grantId: string, jti: string): Promise<boolean> {
  const result = await db
    .updateTable('grants')
    .set({ access_token_jti: jti })
    .where('grant_id', '=', grantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Deletes grants that ended before `before`. */
export async function deleteExpired(db: Db, before: number): Promise<void> {
  await db.deleteFrom('grants').where('expires_at', '<', before).execute();
}

/** Revokes every live grant of a user (their logins in every application end). */
export async function revokeAllOfUser(db: Db, login: string, now: number): Promise<void> {
  await db
    .updateTable('grants')
    .set({ revoked_at: now })
    .where('user_login', '=', login)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * A user's live grants (not revoked, not past their end), each with its client's name and when
 * its latest refresh token was issued (null before the first refresh token).
 */
export function listLiveOfUser(db: Db, login: string, now: number) {
  return (
    db
      .selectFrom('grants as g')
      .innerJoin('clients as c', 'c.client_id', 'g.client_id')
      .leftJoin('refresh_tokens as r', 'r.grant_id', 'g.grant_id')
      .select((eb) => [
        'g.grant_id',
        'g.client_id',
        'c.name as client_name',
        'g.scope',
        'g.identity_scopes',
        'g.created_at',
        eb.fn.max('r.created_at').as('last_refresh_token_at'),
      ])
      .where('g.user_login', '=', login)
      .where('g.revoked_at', 'is', null)
      .where('g.expires_at', '>', now)
      // Every selected column, as PostgreSQL requires (one row per grant either way).
      .groupBy(['g.grant_id', 'g.client_id', 'c.name', 'g.scope', 'g.identity_scopes', 'g.created_at'])
      .execute()
  );
}

/** The scopes of a user's live grants to one client: what consent they have given it and not revoked. */
export function liveScopesOfUserForClient(db: Db, login: string, clientId: string, now: number) {
  return db
    .selectFrom('grants')
    .select(['scope', 'identity_scopes'])
    .where('user_login', '=', login)
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

export type LiveGrantOfUser = Awaited<ReturnType<typeof listLiveOfUser>>[number];

/** Revokes every live grant (not revoked, not ended) of a user for one client; how many were revoked. */
export async function revokeAllOfUserForClient(
  db: Db,
  login: string,
  clientId: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('grants')
    .set({ revoked_at: now })
    .where('user_login', '=', login)
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
