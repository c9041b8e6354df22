import type { Kysely } from 'kysely';
import { autoIncrementKey, varchar } from './portable';

// Visit logs, their actions, the action names (page URL tree) and annotations.
// Reports run at query time over the logs, so every log table is indexed by site and time.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('log_action')
    .addColumn('idaction', ...autoIncrementKey(db))
    .addColumn('type', varchar(db, 10), (c) => c.notNull())
    .addColumn('name', varchar(db, 2048), (c) => c.notNull())
    .addColumn('title', varchar(db, 255))
    .addColumn('parent_idaction', 'integer', (c) => c.references('log_action.idaction'))
    .execute();
  await db.schema
    .createIndex('log_action_type_name')
    .on('log_action')
    .columns(['type', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('log_visit')
    .addColumn('idvisit', ...autoIncrementKey(db))
    .addColumn('idsite', 'integer', (c) => c.notNull().references('sites.idsite').onDelete('cascade'))
    .addColumn('visitor_id', varchar(db, 16), (c) => c.notNull())
    .addColumn('visit_first_action_time', 'bigint', (c) => c.notNull())
    .addColumn('visit_last_action_time', 'bigint', (c) => c.notNull())
    .addColumn('visit_total_actions', 'integer', (c) => c.notNull())
    .addColumn('visit_total_time', 'integer', (c) => c.notNull())
    .addColumn('visitor_returning', 'integer', (c) => c.notNull())
    .addColumn('visitor_count_visits', 'integer', (c) => c.notNull())
    .addColumn('referrer_type', varchar(db, 10), (c) => c.notNull())
    .addColumn('referrer_name', varchar(db, 255))
    .addColumn('referrer_keyword', varchar(db, 255))
    .addColumn('referrer_url', varchar(db, 2048))
    .addColumn('location_country', varchar(db, 2), (c) => c.notNull())
    .addColumn('device_type', varchar(db, 16), (c) => c.notNull())
    .addColumn('browser_name', varchar(db, 64), (c) => c.notNull())
    .addColumn('os_name', varchar(db, 64), (c) => c.notNull())
    .addColumn('location_ip', varchar(db, 45), (c) => c.notNull())
    .addColumn('entry_idaction_url', 'integer', (c) => c.references('log_action.idaction'))
    .addColumn('exit_idaction_url', 'integer', (c) => c.references('log_action.idaction'))
    .execute();
  // Every report and Live query selects one site's visits by last action time.
  await db.schema
    .createIndex('log_visit_idsite_time')
    .on('log_visit')
    .columns(['idsite', 'visit_last_action_time'])
    .execute();

  await db.schema
    .createTable('log_link_visit_action')
    .addColumn('idlink_va', ...autoIncrementKey(db))
    .addColumn('idvisit', 'integer', (c) => c.notNull().references('log_visit.idvisit').onDelete('cascade'))
    .addColumn('idsite', 'integer', (c) => c.notNull())
    .addColumn('visitor_id', varchar(db, 16), (c) => c.notNull())
    .addColumn('server_time', 'bigint', (c) => c.notNull())
    .addColumn('action_type', varchar(db, 10), (c) => c.notNull())
    .addColumn('idaction_url', 'integer', (c) => c.notNull().references('log_action.idaction'))
    .addColumn('time_spent', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('log_link_visit_action_idsite_time')
    .on('log_link_visit_action')
    .columns(['idsite', 'server_time'])
    .execute();
  // Live fetches a page of visits' actions; the cascade from log_visit needs it too.
  await db.schema
    .createIndex('log_link_visit_action_idvisit')
    .on('log_link_visit_action')
    .column('idvisit')
    .execute();

  await db.schema
    .createTable('annotations')
    .addColumn('idsite', 'integer', (c) => c.notNull().references('sites.idsite').onDelete('cascade'))
    .addColumn('idnote', 'integer', (c) => c.notNull())
    .addColumn('date', varchar(db, 10), (c) => c.notNull())
    .addColumn('note', varchar(db, 255), (c) => c.notNull())
    .addColumn('starred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user_login', varchar(db, 100), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('annotations_pk', ['idsite', 'idnote'])
    .execute();
  await db.schema
    .createIndex('annotations_idsite_date')
    .on('annotations')
    .columns(['idsite', 'date'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['annotations', 'log_link_visit_action', 'log_visit', 'log_action']) {
    await db.schema.dropTable(table).execute();
  }
}
