import type { Kysely } from 'kysely';
import { float8 } from './portable';

// Matomo's events: an action of type `event` names its category, action and (optionally) name in
// `log_action` and carries its numeric value in `custom_float`. Actions logged before have none.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of actionColumns) {
    await db.schema
      .alterTable('log_link_visit_action')
      .addColumn(column, 'integer', (c) => c.references('log_action.idaction'))
      .execute();
  }
  await db.schema.alterTable('log_link_visit_action').addColumn('custom_float', float8(db)).execute();
}

const actionColumns = ['idaction_event_category', 'idaction_event_action', 'idaction_name'] as const;

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['custom_float', ...actionColumns].reverse())
    await db.schema.alterTable('log_link_visit_action').dropColumn(column).execute();
}
