import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AnalyticsContext, ResultOf } from './context';
import { type ContinentName, continentName, continentOf } from './continents';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { addVisitMetrics, byCell, cellKey, queryVisitMetrics, type VisitMetrics } from './visit-metrics';

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
  const cells = byCell(
    await queryVisitMetrics(context.db, scope, {
      by: 'location_country',
      segment,
      dailyUniques: true,
      goals: true,
    }),
  );
  return shapeResult(scope, ({ site }, period): ContinentRow[] => {
    const byContinent = new Map<ContinentName, VisitMetrics>();
    for (const group of cells.get(cellKey(site.idsite, period)) ?? []) {
      const name = continentName(continentOf(group.key ?? 'xx'));
      const sum = byContinent.get(name);
      byContinent.set(name, sum ? addVisitMetrics(sum, group.metrics) : group.metrics);
    }
    return [...byContinent]
      .map(([label, metrics]): ContinentRow => {
        // Matomo sends no segment here.
        const { segment: _none, ...row } = visitMetricsRow(label, metrics, '');
        return { ...row, code: label };
      })
      .sort(byVisitsThenLabel);
  });
}
