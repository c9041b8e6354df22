import type { Kysely } from 'kysely';

// The rest of Matomo's website settings (plugins/WebsiteMeasurable): site search parameters,
// exclusions, URL fragments. Each has Matomo's default, so sites created before keep working.
const textColumns = [
  'sitesearch_keyword_parameters',
  'sitesearch_category_parameters',
  'excluded_parameters',
  'excluded_user_agents',
  'excluded_referrers',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of textColumns) {
    await db.schema
      .alterTable('sites')
      .addColumn(column, 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  }
  await db.schema
    .alterTable('sites')
    .addColumn('exclude_unknown_urls', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('sites')
    .addColumn('keep_url_fragment', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [...textColumns, 'exclude_unknown_urls', 'keep_url_fragment']) {
    await db.schema.alterTable('sites').dropColumn(column).execute();
  }
}
