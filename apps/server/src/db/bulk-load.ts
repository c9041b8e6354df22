import { type Kysely, sql, type Transaction } from 'kysely';
import { dialectOf } from './dialect';

/** Runs one unit of a bulk load in a transaction. */
export type InTransaction<DB> = <R>(work: (trx: Transaction<DB>) => Promise<R>) => Promise<R>;

/**
 * A bulk load into `tables` (millions of rows: the demo data). On SQLite, each unit of work is a
 * transaction of its own, as before. On PostgreSQL, checking foreign keys and updating secondary
 * indexes row by row costs more than writing the rows (a foreign key alone, about 4 s per million
 * rows here), so the whole load is one transaction that drops the tables' foreign keys and
 * secondary indexes, loads, then builds the indexes and adds the keys back, each in one pass over
 * the table: PostgreSQL's advice for populating a database. Its DDL is transactional, so a
 * failure leaves them as they were.
 */
export async function bulkLoad<DB, T>(
  db: Kysely<DB>,
  tables: readonly string[],
  load: (inTransaction: InTransaction<DB>) => Promise<T>,
): Promise<T> {
  if (dialectOf(db) !== 'postgres') return load((work) => db.transaction().execute(work));
  return db.transaction().execute(async (trx) => {
    const { rows: keys } = await sql<{ table_name: string; name: string; definition: string }>`
      select conrelid::regclass::text as table_name, conname as name, pg_get_constraintdef(oid) as definition
      from pg_constraint
      where contype = 'f' and conrelid = any(${sql.raw(`array[${tables.map((table) => `'${table}'`).join(', ')}]`)}::regclass[])
      order by conname`.execute(trx);
    // Secondary indexes too: built once from the loaded rows instead of row by row.
    const { rows: indexes } = await sql<{ name: string; definition: string }>`
      select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i
      where i.indrelid = any(${sql.raw(`array[${tables.map((table) => `'${table}'`).join(', ')}]`)}::regclass[])
        and not i.indisprimary and not i.indisunique
      order by 1`.execute(trx);
    for (const key of keys)
      await sql`alter table ${sql.id(key.table_name)} drop constraint ${sql.id(key.name)}`.execute(trx);
    for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx);
    const result = await load((work) => work(trx));
    for (const index of indexes) await sql.raw(index.definition).execute(trx);
    for (const key of keys)
      await sql`alter table ${sql.id(key.table_name)} add constraint ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(
        trx,
      );
    return result;
  });
}
