import { type Kysely, sql } from 'kysely';

// Matomo counts events as actions of their visit (`visit_total_actions`: page views, downloads,
// outlinks, site searches and events), so a visit with a page view and an event is no bounce.
// Visits written before left their events out: each gets its event count added. Their times stay:
// those events were never a visit's last action, and an event changes no entry or exit page.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await shiftActionCounts(db, '+');
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await shiftActionCounts(db, '-');
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
async function shiftActionCounts(db: Kysely<any>, sign: '+' | '-'): Promise<void> {
  const events = sql`(select count(*) from log_link_visit_action as e
    where e.idvisit = log_visit.idvisit and e.action_type = 'event')`;
  await db
    .updateTable('log_visit')
    .set({ visit_total_actions: sql`visit_total_actions ${sql.raw(sign)} ${events}` })
    .where(
      'idvisit',
      'in',
      db.selectFrom('log_link_visit_action').select('idvisit').where('action_type', '=', 'event'),
    )
    .execute();
}
