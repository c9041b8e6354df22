import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AnalyticsContext, ResultOf } from './context';
import { type MetricsFormat, rate, readMetricsFormat } from './metric-format';
import { quotient } from './metrics';
import { type PeriodName, reportsUniqueVisitors } from './periods';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { byCell, cellKey, queryVisitMetrics, type VisitMetrics } from './visit-metrics';
import { readColumnsParameter, selectColumns, selectedRecord } from './visits-summary-columns';

type VisitsSummary = components['schemas']['VisitsSummary'];
type VisitsSummaryColumns = components['schemas']['VisitsSummaryColumns'];

/**
 * `VisitsSummary.get`: one record per site and period. A period without visits is every metric
 * at 0 when the result is one bare record, and `[]` inside a keyed result, as Matomo's archive
 * answers (`DataTableFactory::make` fills only an unkeyed result with its default row).
 * `columns` keeps only the named columns (`selectColumns`); a record of none is `[]`.
 */
export async function getVisitsSummary(context: AnalyticsContext): Promise<ResultOf<'VisitsSummary.get'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const requested = readColumnsParameter(context.params.get('columns'));
  const selection = requested && selectColumns(requested, scope.selection.period);
  const cells = byCell(await queryVisitMetrics(context.db, scope, { segment }));
  const format = readMetricsFormat(context.params);
  const empty = scope.bySite || scope.byPeriod ? undefined : NO_VISITS;
  return shapeResult(scope, ({ site }, period): VisitsSummary | VisitsSummaryColumns | [] => {
    const metrics = cells.get(cellKey(site.idsite, period))?.[0]?.metrics ?? empty;
    const summary = metrics && summarize(metrics, scope.selection.period, format);
    if (!selection) return summary ?? [];
    return selectedRecord(summary, selection) ?? [];
  });
}

/** `VisitsSummary.getVisits`: `{value}` for one site and period, plain numbers when keyed. */
export async function getVisits(context: AnalyticsContext): Promise<ResultOf<'VisitsSummary.getVisits'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const cells = byCell(await queryVisitMetrics(context.db, scope, { segment }));
  const result = shapeResult(
    scope,
    ({ site }, period) => cells.get(cellKey(site.idsite, period))?.[0]?.metrics.nb_visits ?? 0,
  );
  return typeof result === 'number' ? { value: result } : result;
}

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
 * The record in Matomo's column order. Unique visitors and users only for the periods where
 * Matomo processes them (`reportsUniqueVisitors`).
 */
export function summarize(
  metrics: VisitMetrics,
  period: PeriodName,
  format: MetricsFormat = 'percents',
): VisitsSummary {
  const uniques = reportsUniqueVisitors(period)
    ? { nb_uniq_visitors: metrics.nb_uniq_visitors, nb_users: metrics.nb_users }
    : {};
  return {
    ...uniques,
    nb_visits: metrics.nb_visits,
    nb_actions: metrics.nb_actions,
    nb_visits_converted: metrics.nb_visits_converted,
    bounce_count: metrics.bounce_count,
    sum_visit_length: metrics.sum_visit_length,
    max_actions: metrics.max_actions,
    bounce_rate: rate(metrics.bounce_count, metrics.nb_visits, format),
    nb_actions_per_visit: quotient(metrics.nb_actions, metrics.nb_visits, 1),
    avg_time_on_site: quotient(metrics.sum_visit_length, metrics.nb_visits),
  };
}
