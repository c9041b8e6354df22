import { type Kysely, sql } from 'kysely';

// The Events reports number each category, action and name by its first event in the whole log
// (the subtable id). These partial indexes hold every (value, action id) of events only, so that
// the lookup reads a small index instead of every action.
const INDEXES = [
  ['log_link_visit_action_event_category_first', 'idaction_event_category'],
  ['log_link_visit_action_event_action_first', 'idaction_event_action'],
  ['log_link_visit_action_event_name_first', 'idaction_name'],
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, column] of INDEXES) {
    await db.schema
      .createIndex(name)
      .on('log_link_visit_action')
      .columns([column, 'idlink_va'])
      .where(sql.ref('action_type'), '=', 'event')
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
