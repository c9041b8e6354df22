import type { Kysely } from 'kysely';

// Day archives: a report's rows for one site and one local day, computed once from the logs and
// summed into weeks, months, years and ranges (analytics/archives). A row is a cache of the logs:
// deleting any of them loses nothing, the next request computes it again.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('archive_days')
    .addColumn('idsite', 'integer', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('rows', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('archive_days_pk', ['idsite', 'report', 'day'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('archive_days').execute();
}
