import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AnalyticsContext, ResultOf } from './context';
import { type ContinentName, continentName, continentOf } from './continents';
import { byVisitsThenLabel } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { byCell, cellKey, queryVisitMetrics, type VisitMetrics } from './visit-metrics';

type ContinentRow = components['schemas']['ContinentRow'];

/**
 * `UserCountry.getContinent`: the country report grouped by continent (`Common::getContinent`,
 * Matomo's `GroupBy`: unique visitors add up), labelled in English; `code` repeats the label and
 * there is no segment, as in Matomo's system tests (plugins/UserCountry/API.php queues the `code`
 * metadata after translating the label).
 */
export async function getContinent(context: AnalyticsContext): Promise<ResultOf<'UserCountry.getContinent'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const cells = byCell(await queryVisitMetrics(context.db, scope, { by: 'location_country', segment }));
  return shapeResult(scope, ({ site }, period): ContinentRow[] => {
    const byContinent = new Map<ContinentName, VisitMetrics>();
    for (const group of cells.get(cellKey(site.idsite, period)) ?? []) {
      const name = continentName(continentOf(group.key ?? 'xx'));
      const sum = byContinent.get(name);
      byContinent.set(name, sum ? added(sum, group.metrics) : group.metrics);
    }
    return [...byContinent]
      .map(
        ([label, metrics]): ContinentRow => ({
          label,
          nb_uniq_visitors: metrics.nb_uniq_visitors,
          nb_visits: metrics.nb_visits,
          nb_actions: metrics.nb_actions,
          max_actions: metrics.max_actions,
          sum_visit_length: metrics.sum_visit_length,
          bounce_count: metrics.bounce_count,
          code: label,
        }),
      )
      .sort(byVisitsThenLabel);
  });
}

function added(a: VisitMetrics, b: VisitMetrics): VisitMetrics {
  return {
    nb_uniq_visitors: a.nb_uniq_visitors + b.nb_uniq_visitors,
    nb_users: a.nb_users + b.nb_users,
    nb_visits: a.nb_visits + b.nb_visits,
    nb_visits_converted: a.nb_visits_converted + b.nb_visits_converted,
    nb_actions: a.nb_actions + b.nb_actions,
    max_actions: Math.max(a.max_actions, b.max_actions),
    sum_visit_length: a.sum_visit_length + b.sum_visit_length,
    bounce_count: a.bounce_count + b.bounce_count,
  };
}
