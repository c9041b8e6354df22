import type { components } from '@matomo-oauth2/sdk/openapi';
import type { ActionType } from '../db/analytics.schema';
import type { AnalyticsContext, ResultOf } from './context';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

type ActionsSummary = components['schemas']['ActionsSummary'];

interface ActionTotals {
  /** Every action of the type. */
  hits: number;
  /** Distinct (visit, URL) pairs: Matomo's "unique" page views, downloads and outlinks. */
  uniqueHits: number;
  /** Distinct URLs (for site searches: distinct keywords). */
  names: number;
}

/**
 * `Actions.get`: page views, downloads, outlinks and site searches per site and period, counted
 * by each action's own time as Matomo archives actions. `[]` for a period without actions.
 */
export async function getActionsSummary(context: AnalyticsContext): Promise<ResultOf<'Actions.get'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const totals = new Map<string, Map<ActionType, ActionTotals>>();
  if (scope.sites.length > 0) {
    const { db } = context;
    const actions = db
      .selectFrom('log_link_visit_action')
      .select(['idsite', 'action_type', 'idvisit', 'idaction_url'])
      .select(periodIndex(scope.sites, 'idsite', 'server_time').as('period'))
      .where(inPeriods(scope.sites, 'idsite', 'server_time'))
      .where(segment.visitIds('idvisit'));
    const perVisitAndUrl = db
      .selectFrom(actions.as('a'))
      .select((eb) => [
        'a.idsite',
        'a.period',
        'a.action_type',
        'a.idaction_url',
        eb.fn.countAll().as('hits'),
      ])
      .groupBy(['a.idsite', 'a.period', 'a.action_type', 'a.idvisit', 'a.idaction_url']);
    const rows = await db
      .selectFrom(perVisitAndUrl.as('u'))
      .select((eb) => [
        'u.idsite',
        'u.period',
        'u.action_type',
        eb.fn.sum('u.hits').as('hits'),
        eb.fn.countAll().as('unique_hits'),
        eb.fn.count('u.idaction_url').distinct().as('names'),
      ])
      .groupBy(['u.idsite', 'u.period', 'u.action_type'])
      .execute();
    for (const row of rows) {
      const cell = cellKey(toNumber(row.idsite), toNumber(row.period));
      const byType = totals.get(cell) ?? new Map<ActionType, ActionTotals>();
      totals.set(cell, byType);
      byType.set(row.action_type, {
        hits: toNumber(row.hits),
        uniqueHits: toNumber(row.unique_hits),
        names: toNumber(row.names),
      });
    }
  }
  return shapeResult(scope, ({ site }, period): ActionsSummary | [] => {
    const byType = totals.get(cellKey(site.idsite, period));
    if (!byType) return [];
    const of = (type: ActionType): ActionTotals => byType.get(type) ?? { hits: 0, uniqueHits: 0, names: 0 };
    return {
      nb_pageviews: of('action').hits,
      nb_uniq_pageviews: of('action').uniqueHits,
      nb_downloads: of('download').hits,
      nb_uniq_downloads: of('download').uniqueHits,
      nb_outlinks: of('outlink').hits,
      nb_uniq_outlinks: of('outlink').uniqueHits,
      nb_searches: of('search').hits,
      nb_keywords: of('search').names,
    };
  });
}
