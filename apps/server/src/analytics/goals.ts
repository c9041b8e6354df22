import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import type { AnalyticsContext, ResultOf } from './context';
import { loadReportSites } from './report-sites';

type Goal = components['schemas']['Goal'];

/**
 * `Goals.getGoals`: the active goals of the sites, keyed by `idgoal` as Matomo keys them (a later
 * site's goal replaces an earlier one with the same id), `[]` without any. Fields in Matomo's
 * order (`plugins/Goals/API.php::formatGoal`): a goal matched `manually` has no `pattern`,
 * `pattern_type` or `case_sensitive`. Matomo's `orderByName` sorts by name; a JSON object with
 * integer keys is read back in id order (by PHP's and JavaScript's parsers alike), so the order
 * is not kept here.
 */
export async function getGoals(context: AnalyticsContext): Promise<ResultOf<'Goals.getGoals'>> {
  // A site that is gone (deleted since the access check) is Matomo's "unexpected website" error.
  await loadReportSites(context.db, context.sites.ids);
  const goals = await loadActiveGoals(context.db, context.sites.ids);
  if (goals.length === 0) return [];
  const byId: { [idgoal: string]: Goal } = {};
  for (const goal of goals) byId[String(goal.idgoal)] = goal;
  return byId;
}

/** The sites' goals that are not deleted, by site then id, as Matomo's `Goal` objects. */
export async function loadActiveGoals(db: Db, ids: readonly number[]): Promise<Goal[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('goals')
    .selectAll()
    .where('idsite', 'in', [...ids])
    .where('deleted', '=', 0)
    .orderBy('idsite')
    .orderBy('idgoal')
    .execute();
  return rows.map((row): Goal => {
    const matched =
      row.match_attribute === 'manually'
        ? {}
        : { pattern: row.pattern, pattern_type: row.pattern_type, case_sensitive: row.case_sensitive };
    return {
      idsite: row.idsite,
      idgoal: row.idgoal,
      name: row.name,
      description: row.description,
      match_attribute: row.match_attribute,
      ...matched,
      allow_multiple: row.allow_multiple,
      revenue: row.revenue,
      deleted: row.deleted,
      event_value_as_revenue: row.event_value_as_revenue,
    };
  });
}
