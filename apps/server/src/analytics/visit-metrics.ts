import { sql } from 'kysely';
import type { ReferrerType } from '../db/analytics.schema';
import type { Db } from '../db/database';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import type { ReportScope } from './report-scope';
import { ALL_VISITS, type SegmentFilter } from './segments';

/** Matomo's visit metrics, as `VisitsSummary` and every `VisitMetricsRow` report them. */
export interface VisitMetrics {
  nb_uniq_visitors: number;
  /** Distinct user ids among the visits. */
  nb_users: number;
  nb_visits: number;
  /** Visits that converted a goal. */
  nb_visits_converted: number;
  nb_actions: number;
  max_actions: number;
  sum_visit_length: number;
  bounce_count: number;
}

/** The `log_visit` columns a report may break visits down by. */
export type VisitDimension = 'referrer_type' | 'referrer_name' | 'location_country' | 'device_type';

export interface VisitMetricsGroup {
  idsite: number;
  /** Index into the scope's periods. */
  period: number;
  /** The value of the first dimension (null when the report has none or the value is null). */
  key: string | null;
  /** The value of the second dimension. */
  subkey: string | null;
  metrics: VisitMetrics;
}

export interface VisitMetricsQuery {
  by?: VisitDimension;
  thenBy?: VisitDimension;
  referrerType?: ReferrerType;
  /** The request's segment: only the visits it keeps count. */
  segment?: SegmentFilter;
}

/**
 * Visit metrics per site, period and up to two dimensions, in one query for the whole scope.
 * Visits count in the period of their last action (Matomo archives them so); a bounce is a visit
 * with one action.
 */
export async function queryVisitMetrics(
  db: Db,
  scope: ReportScope,
  query: VisitMetricsQuery = {},
): Promise<VisitMetricsGroup[]> {
  if (scope.sites.length === 0) return [];
  const key = query.by ? sql<string | null>`${sql.ref(query.by)}` : sql<string | null>`null`;
  const subkey = query.thenBy ? sql<string | null>`${sql.ref(query.thenBy)}` : sql<string | null>`null`;
  const referrerType = query.referrerType;
  const segment = query.segment ?? ALL_VISITS;
  const visits = db
    .selectFrom('log_visit')
    .select(['idsite', 'visitor_id', 'visit_total_actions', 'visit_total_time'])
    .select([
      periodIndex(scope.sites, 'idsite', 'visit_last_action_time').as('period'),
      key.as('key'),
      subkey.as('subkey'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'visit_last_action_time'))
    .where(segment.visits('log_visit'))
    .$if(referrerType !== undefined, (qb) => qb.where('referrer_type', '=', referrerType ?? 'direct'));
  // Per visitor first, then per cell: unique visitors become a row count, which SQLite computes
  // several times faster than count(distinct) (a sort instead of a B-tree insert per row).
  const perVisitor = db
    .selectFrom(visits.as('v'))
    .select((eb) => [
      'v.idsite',
      'v.period',
      'v.key',
      'v.subkey',
      eb.fn.countAll().as('visits'),
      eb.fn.sum('v.visit_total_actions').as('actions'),
      eb.fn.max('v.visit_total_actions').as('max_actions'),
      eb.fn.sum('v.visit_total_time').as('visit_length'),
      eb.fn.sum(eb.case().when('v.visit_total_actions', '<=', 1).then(1).else(0).end()).as('bounces'),
    ])
    .groupBy(['v.idsite', 'v.period', 'v.key', 'v.subkey', 'v.visitor_id']);
  const rows = await db
    .selectFrom(perVisitor.as('p'))
    .select((eb) => [
      'p.idsite',
      'p.period',
      'p.key',
      'p.subkey',
      eb.fn.countAll().as('nb_uniq_visitors'),
      eb.fn.sum('p.visits').as('nb_visits'),
      eb.fn.sum('p.actions').as('nb_actions'),
      eb.fn.max('p.max_actions').as('max_actions'),
      eb.fn.sum('p.visit_length').as('sum_visit_length'),
      eb.fn.sum('p.bounces').as('bounce_count'),
    ])
    .groupBy(['p.idsite', 'p.period', 'p.key', 'p.subkey'])
    .execute();
  return rows.map((row) => ({
    idsite: toNumber(row.idsite),
    period: toNumber(row.period),
    key: row.key,
    subkey: row.subkey,
    metrics: {
      nb_uniq_visitors: toNumber(row.nb_uniq_visitors),
      // The visit log records no user ids and no goal conversions (yet): Matomo's 0 for such visits.
      nb_users: 0,
      nb_visits: toNumber(row.nb_visits),
      nb_visits_converted: 0,
      nb_actions: toNumber(row.nb_actions),
      max_actions: toNumber(row.max_actions),
      sum_visit_length: toNumber(row.sum_visit_length),
      bounce_count: toNumber(row.bounce_count),
    },
  }));
}

/** Groups query rows by `idsite:period`, the cell of a result. */
export function byCell<T extends { idsite: number; period: number }>(rows: readonly T[]): Map<string, T[]> {
  const cells = new Map<string, T[]>();
  for (const row of rows) {
    const cell = cellKey(row.idsite, row.period);
    const list = cells.get(cell);
    if (list) list.push(row);
    else cells.set(cell, [row]);
  }
  return cells;
}

export function cellKey(idsite: number, period: number): string {
  return `${idsite}:${period}`;
}
