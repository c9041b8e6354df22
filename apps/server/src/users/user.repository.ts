import type { Db } from '../db/database';
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
