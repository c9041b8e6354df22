import type { Kysely } from 'kysely';

// The referrer reports number each website, search engine, social network, campaign and keyword
// by its first visit in the whole log (the subtable id). These indexes hold every (type, value,
// visit) so that the lookup reads an index instead of every visit.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('log_visit_referrer_name_visit')
    .on('log_visit')
    .columns(['referrer_type', 'referrer_name', 'idvisit'])
    .execute();
  await db.schema
    .createIndex('log_visit_referrer_keyword_visit')
    .on('log_visit')
    .columns(['referrer_type', 'referrer_keyword', 'idvisit'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('log_visit_referrer_keyword_visit').execute();
  await db.schema.dropIndex('log_visit_referrer_name_visit').execute();
}
