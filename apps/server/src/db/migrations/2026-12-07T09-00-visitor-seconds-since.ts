import { type Kysely, sql } from 'kysely';

// Matomo's visitor_seconds_since_last and visitor_seconds_since_first (INT UNSIGNED NULL there),
// which the daysSinceLastVisit/daysSinceFirstVisit segments and Live's fields read. Matomo sets
// them when a visit starts: a new visitor has 0 and 0; a returning one the seconds from its
// previous visit's start (VisitorSecondsSinceLast) and the previous visit's value plus the same
// gap (VisitorSecondsSinceFirst), so the seconds since its first visit's start, or NULL when the
// previous visit had none; a visit that starts before the previous one has NULL.
//
// Visits written before are filled in from the visitor's visits in the same site, in the order
// they started. A returning visit (visitor_count_visits > 1) whose previous visit is not in the
// log has both unknown (NULL), as has every later visit's time since the first.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('log_visit').addColumn('visitor_seconds_since_last', 'integer').execute();
  await db.schema.alterTable('log_visit').addColumn('visitor_seconds_since_first', 'integer').execute();
  // Seconds, as Matomo's timestamps: each start is truncated before the difference is taken.
  await sql`
    with visits as (
      select
        idvisit,
        visit_first_action_time / 1000 as start,
        lag(visit_first_action_time / 1000) over visitor as previous_start,
        first_value(visit_first_action_time / 1000) over visitor as first_start,
        first_value(visitor_count_visits) over visitor as first_count
      from log_visit
      window visitor as (partition by idsite, visitor_id order by visit_first_action_time, idvisit)
    )
    update log_visit
    set
      visitor_seconds_since_last = case
        when visits.previous_start is not null then visits.start - visits.previous_start
        when log_visit.visitor_count_visits <= 1 then 0
      end,
      visitor_seconds_since_first = case
        when visits.first_count <= 1 then visits.start - visits.first_start
      end
    from visits
    where visits.idvisit = log_visit.idvisit
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('log_visit').dropColumn('visitor_seconds_since_first').execute();
  await db.schema.alterTable('log_visit').dropColumn('visitor_seconds_since_last').execute();
}
