import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { readMetricsFormat } from './metric-format';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey, type VisitMetrics } from './visit-metrics';
import { summarize } from './visits-summary';

type VisitFrequency = components['schemas']['VisitFrequency'];
type VisitsSummary = components['schemas']['VisitsSummary'];

const NO_VISITS: VisitMetrics = {
  nb_uniq_visitors: 0,
  nb_users: 0,
  nb_visits: 0,
  nb_visits_converted: 0,
  nb_actions: 0,
  max_actions: 0,
  sum_visit_length: 0,
  bounce_count: 0,
};

/**
 * `VisitFrequency.get`: `VisitsSummary.get` twice, for new visitors (`visitorType==new`) and for
 * returning ones (`returning` or `returningCustomer`), each column suffixed `_new` or
 * `_returning` (plugins/VisitFrequency/API.php). As there, one bare record has every column
 * (0 without visits); in a keyed result a side without visits adds no columns, and a period
 * without any visit is `[]`.
 */
export async function getVisitFrequency(context: AnalyticsContext): Promise<ResultOf<'VisitFrequency.get'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const returning = sql<number>`case when visitor_returning = 0 then 0 else 1 end`;
  const cells = byCell(await queryVisitGroups(context.db, scope, { by: returning, segment }));
  const format = readMetricsFormat(context.params);
  const bare = !scope.bySite && !scope.byPeriod;
  return shapeResult(scope, ({ site }, period): VisitFrequency | [] => {
    const groups = cells.get(cellKey(site.idsite, period)) ?? [];
    const side = (value: number) =>
      groups.find((group) => Number(group.key) === value)?.metrics ?? (bare ? NO_VISITS : undefined);
    const newVisits = side(0);
    const returningVisits = side(1);
    if (!newVisits && !returningVisits) return [];
    const summary = (metrics: VisitMetrics | undefined, suffix: '_new' | '_returning') =>
      metrics ? suffixed(summarize(metrics, scope.selection.period, format), suffix) : {};
    return { ...summary(newVisits, '_new'), ...summary(returningVisits, '_returning') };
  });
}

function suffixed(summary: VisitsSummary, suffix: string): VisitFrequency {
  return Object.fromEntries(Object.entries(summary).map(([name, value]) => [`${name}${suffix}`, value]));
}
