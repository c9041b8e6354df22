import type { Db } from '../db/database';
import type { SiteAccessLevel, UserRow } from '../db/schema';

export interface SiteAccess {
  idsite: number;
  access: SiteAccessLevel;
}

export function createUserRepository(db: Db) {
  return {
    find(login: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
    },

    async insert(user: UserRow): Promise<void> {
      await db.insertInto('users').values(user).execute();
    },

    async count(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    siteAccess(login: string): Promise<SiteAccess[]> {
      return db.selectFrom('site_access').select(['idsite', 'access']).where('login', '=', login).execute();
    },

    async setSiteAccess(login: string, idsite: number, access: SiteAccessLevel): Promise<void> {
      await db
        .insertInto('site_access')
        .values({ login, idsite, access })
        .onConflict((oc) => oc.columns(['login', 'idsite']).doUpdateSet({ access }))
        .execute();
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
