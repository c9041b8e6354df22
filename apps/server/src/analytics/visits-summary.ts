import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AnalyticsContext, ResultOf } from './context';
import { percent, quotient } from './metrics';
import { resolveReportScope, shapeResult } from './report-scope';
import { byCell, cellKey, queryVisitMetrics, type VisitMetrics } from './visit-metrics';

type VisitsSummary = components['schemas']['VisitsSummary'];

/** `VisitsSummary.get`: one record per site and period; `[]` for a period without visits. */
export async function getVisitsSummary(context: AnalyticsContext): Promise<ResultOf<'VisitsSummary.get'>> {
  const scope = await resolveReportScope(context);
  const cells = byCell(await queryVisitMetrics(context.db, scope));
  return shapeResult(scope, ({ site }, period): VisitsSummary | [] => {
    const metrics = cells.get(cellKey(site.idsite, period))?.[0]?.metrics;
    return metrics ? summarize(metrics) : [];
  });
}

/** `VisitsSummary.getVisits`: `{value}` for one site and period, plain numbers when keyed. */
export async function getVisits(context: AnalyticsContext): Promise<ResultOf<'VisitsSummary.getVisits'>> {
  const scope = await resolveReportScope(context);
  const cells = byCell(await queryVisitMetrics(context.db, scope));
  const result = shapeResult(
    scope,
    ({ site }, period) => cells.get(cellKey(site.idsite, period))?.[0]?.metrics.nb_visits ?? 0,
  );
  return typeof result === 'number' ? { value: result } : result;
}

export function summarize(metrics: VisitMetrics): VisitsSummary {
  return {
    nb_uniq_visitors: metrics.nb_uniq_visitors,
    nb_visits: metrics.nb_visits,
    nb_actions: metrics.nb_actions,
    bounce_count: metrics.bounce_count,
    sum_visit_length: metrics.sum_visit_length,
    max_actions: metrics.max_actions,
    bounce_rate: percent(metrics.bounce_count, metrics.nb_visits),
    nb_actions_per_visit: quotient(metrics.nb_actions, metrics.nb_visits, 1),
    avg_time_on_site: quotient(metrics.sum_visit_length, metrics.nb_visits),
  };
}
