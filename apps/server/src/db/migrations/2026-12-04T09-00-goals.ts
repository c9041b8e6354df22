import type { Kysely } from 'kysely';
import { float8, varchar } from './portable';

// Matomo's goals: each site defines goals (`goals`, Matomo's `goal`), a visit that reaches one converts it
// (`log_conversion`, one row per conversion), and `log_visit.visit_goal_converted` marks the
// visits with at least one conversion. Sites and visits recorded before have none.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('goals')
    .addColumn('idsite', 'integer', (c) => c.notNull().references('sites.idsite').onDelete('cascade'))
    .addColumn('idgoal', 'integer', (c) => c.notNull())
    .addColumn('name', varchar(db, 50), (c) => c.notNull())
    .addColumn('description', varchar(db, 255), (c) => c.notNull().defaultTo(''))
    .addColumn('match_attribute', varchar(db, 20), (c) => c.notNull())
    .addColumn('pattern', varchar(db, 255), (c) => c.notNull().defaultTo(''))
    .addColumn('pattern_type', varchar(db, 25), (c) => c.notNull().defaultTo('contains'))
    .addColumn('case_sensitive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('allow_multiple', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revenue', float8(db), (c) => c.notNull().defaultTo(0))
    .addColumn('event_value_as_revenue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('goals_pk', ['idsite', 'idgoal'])
    .execute();
  await db.schema
    .createTable('log_conversion')
    .addColumn('idvisit', 'integer', (c) => c.notNull().references('log_visit.idvisit').onDelete('cascade'))
    .addColumn('idsite', 'integer', (c) => c.notNull())
    .addColumn('idgoal', 'integer', (c) => c.notNull())
    // Counts a goal's conversions within one visit (0 unless the goal allows several).
    .addColumn('buster', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('server_time', 'bigint', (c) => c.notNull())
    .addColumn('idaction_url', 'integer', (c) => c.references('log_action.idaction'))
    .addColumn('revenue', float8(db), (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('log_conversion_pk', ['idvisit', 'idgoal', 'buster'])
    .execute();
  await db.schema
    .createIndex('log_conversion_site_time')
    .on('log_conversion')
    .columns(['idsite', 'server_time'])
    .execute();
  await db.schema
    .alterTable('log_visit')
    .addColumn('visit_goal_converted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('log_visit').dropColumn('visit_goal_converted').execute();
  await db.schema.dropTable('log_conversion').execute();
  await db.schema.dropTable('goals').execute();
}
