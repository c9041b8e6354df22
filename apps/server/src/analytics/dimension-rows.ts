import type { components } from '@matomo-oauth2/sdk/openapi';
import type { VisitMetrics } from './visit-metrics';

type VisitMetricsRow = components['schemas']['VisitMetricsRow'];

/** A `VisitMetricsRow`: the label, the visit metrics in Matomo's column order, then the segment. */
export function visitMetricsRow<L extends string>(
  label: L,
  metrics: VisitMetrics,
  segment: string,
): VisitMetricsRow & { label: L; segment: string } {
  return {
    label,
    nb_uniq_visitors: metrics.nb_uniq_visitors,
    nb_visits: metrics.nb_visits,
    nb_actions: metrics.nb_actions,
    max_actions: metrics.max_actions,
    sum_visit_length: metrics.sum_visit_length,
    bounce_count: metrics.bounce_count,
    segment,
  };
}

/** Matomo's default report order: visits descending; then label, so that ties always come out the same way. */
export function byVisitsThenLabel(a: VisitMetricsRow, b: VisitMetricsRow): number {
  return b.nb_visits - a.nb_visits || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}
