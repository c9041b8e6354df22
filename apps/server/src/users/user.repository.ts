import { sql } from 'kysely';
import type { Db } from '../db/database';
import { dialectOf } from '../db/dialect';
import { dialectSql } from '../db/dialect-sql';
import type { SiteAccessLevel, UserRow } from '../db/schema';

export interface SiteAccess {
  idsite: number;
  access: SiteAccessLevel;
}

export function find(db: Db, login: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
}

export async function insert(db: Db, user: UserRow): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function count(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The sites a user has access to, and at which level (super users have no rows: they have all). */
export function siteAccess(db: Db, login: string): Promise<SiteAccess[]> {
  return db.selectFrom('site_access').select(['idsite', 'access']).where('login', '=', login).execute();
}

export async function setSiteAccess(
  db: Db,
  login: string,
  idsite: number,
  access: SiteAccessLevel,
): Promise<void> {
  await db
    .insertInto('site_access')
    .values({ login, idsite, access })
    .onConflict((oc) => oc.columns(['login', 'idsite']).doUpdateSet({ access }))
    .execute();
}

/** Every user, by login. */
export function list(db: Db): Promise<UserRow[]> {
  // By code point on both databases (PostgreSQL would order by its locale).
  const login = dialectSql(dialectOf(db)).binary(sql.ref('login'));
  return db.selectFrom('users').selectAll().orderBy(login).execute();
}

/** A user whose login equals `login` ignoring case (logins that differ only in case are refused). */
export function findIgnoringCase(db: Db, login: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['login']), '=', login.toLowerCase()))
    .executeTakeFirst();
}

export async function update(
  db: Db,
  login: string,
  changes: Partial<Pick<UserRow, 'email' | 'password_hash' | 'superuser'>>,
): Promise<void> {
  await db.updateTable('users').set(changes).where('login', '=', login).execute();
}

/** Deletes a user; their site access, sessions, grants, codes and owned clients go with them (foreign keys). */
export async function remove(db: Db, login: string): Promise<void> {
  await db.deleteFrom('users').where('login', '=', login).execute();
}

export async function countSuperusers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('superuser', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every user's site access, for listings. */
export function allSiteAccess(db: Db): Promise<(SiteAccess & { login: string })[]> {
  return db.selectFrom('site_access').select(['login', 'idsite', 'access']).orderBy('idsite').execute();
}

export async function removeSiteAccess(db: Db, login: string, idsite: number): Promise<void> {
  await db.deleteFrom('site_access').where('login', '=', login).where('idsite', '=', idsite).execute();
}
