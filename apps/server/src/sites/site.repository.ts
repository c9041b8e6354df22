import type { Db } from '../db/database';
import type { NewSite, SiteRow, SiteUpdate } from '../db/schema';

/** Every site id, ascending. */
export async function ids(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('sites').select('idsite').orderBy('idsite').execute();
  return rows.map((row) => row.idsite);
}

/** The sites with these ids, ascending. */
export function list(db: Db, idsites: readonly number[]): Promise<SiteRow[]> {
  if (idsites.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('sites')
    .selectAll()
    .where('idsite', 'in', [...idsites])
    .orderBy('idsite')
    .execute();
}

export function find(db: Db, idsite: number): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('idsite', '=', idsite).executeTakeFirst();
}

export async function insert(db: Db, site: NewSite): Promise<number> {
  const { idsite } = await db.insertInto('sites').values(site).returning('idsite').executeTakeFirstOrThrow();
  return idsite;
}

export async function update(db: Db, idsite: number, changes: SiteUpdate): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('sites').set(changes).where('idsite', '=', idsite).execute();
  // Day archives are local days: another timezone makes other days of the same logs.
  if (changes.timezone !== undefined)
    await db.deleteFrom('archive_days').where('idsite', '=', idsite).execute();
}
