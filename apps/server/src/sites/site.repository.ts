import type { Db } from '../db/database';
import type { NewSite, SiteRow, SiteUpdate } from '../db/schema';

export function createSiteRepository(db: Db) {
  return {
    async ids(): Promise<number[]> {
      const rows = await db.selectFrom('sites').select('idsite').orderBy('idsite').execute();
      return rows.map((row) => row.idsite);
    },

    list(ids: readonly number[]): Promise<SiteRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('sites')
        .selectAll()
        .where('idsite', 'in', [...ids])
        .orderBy('idsite')
        .execute();
    },

    find(idsite: number): Promise<SiteRow | undefined> {
      return db.selectFrom('sites').selectAll().where('idsite', '=', idsite).executeTakeFirst();
    },

    async insert(site: NewSite): Promise<number> {
      const result = await db.insertInto('sites').values(site).executeTakeFirstOrThrow();
      return Number(result.insertId);
    },

    async update(idsite: number, changes: SiteUpdate): Promise<void> {
      if (Object.keys(changes).length === 0) return;
      await db.updateTable('sites').set(changes).where('idsite', '=', idsite).execute();
    },
  };
}

export type SiteRepository = ReturnType<typeof createSiteRepository>;
