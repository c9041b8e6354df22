import type { components } from '@matomo-oauth2/sdk/openapi';
import { goalColumns } from './row-goal-metrics';
import type { VisitMetrics } from './visit-metrics';

type VisitMetricsRow = components['schemas']['VisitMetricsRow'];

/**
 * A `VisitMetricsRow`: the label, the visit metrics in Matomo's column order, then the segment.
 * A day row has the day's unique visitors and users; any longer period is summed from day
 * archives, where Matomo's ArchiveProcessor renames them `sum_daily_*` and so moves them after
 * the other metrics (`$columnsToRenameAfterAggregation`): the metrics then hold the sums of daily
 * counts (`uniques: 'daily'`, from a query with `dailyUniques`). A row with conversions has
 * `goals`, `nb_conversions` and `revenue` right after `nb_visits_converted`, where Matomo's
 * `EnrichRecordWithGoalMetricSums` puts them.
 */
export function visitMetricsRow<L extends string>(
  label: L,
  metrics: VisitMetrics,
  segment: string,
): VisitMetricsRow & { label: L; segment: string; nb_visits_converted: number } {
  if (metrics.uniques !== 'daily') {
    return {
      label,
      nb_uniq_visitors: metrics.nb_uniq_visitors,
      nb_visits: metrics.nb_visits,
      nb_actions: metrics.nb_actions,
      nb_users: metrics.nb_users,
      max_actions: metrics.max_actions,
      sum_visit_length: metrics.sum_visit_length,
      bounce_count: metrics.bounce_count,
      nb_visits_converted: metrics.nb_visits_converted,
      ...goalColumns(metrics.goals),
      segment,
    };
  }
  return {
    label,
    nb_visits: metrics.nb_visits,
    nb_actions: metrics.nb_actions,
    max_actions: metrics.max_actions,
    sum_visit_length: metrics.sum_visit_length,
    bounce_count: metrics.bounce_count,
    nb_visits_converted: metrics.nb_visits_converted,
    ...goalColumns(metrics.goals),
    sum_daily_nb_uniq_visitors: metrics.nb_uniq_visitors,
    sum_daily_nb_users: metrics.nb_users,
    segment,
  };
}

/** Matomo's default report order: visits descending; then label, so that ties always come out the same way. */
export function byVisitsThenLabel(a: VisitMetricsRow, b: VisitMetricsRow): number {
  return b.nb_visits - a.nb_visits || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}
