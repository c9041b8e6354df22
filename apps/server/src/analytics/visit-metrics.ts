import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database';
import { sumVisitGroupArchives, withPeriodUniques } from './archives/visit-group-archive';
import { localDayKey } from './local-day-key';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import type { ReportScope } from './report-scope';
import { type GoalMetricsById, goalsLookup, queryRowGoalMetrics } from './row-goal-metrics';
import { ALL_VISITS, type SegmentFilter } from './segments';
import { dailyUniquesKind, uniquesMark, type VisitMetrics } from './visit-metrics-sum';

export { addVisitMetrics, dailyUniquesKind, uniquesMark, type VisitMetrics } from './visit-metrics-sum';

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
  /** The request's segment: only the visits it keeps count. */
  segment?: SegmentFilter;
  /** Count unique visitors per local day and sum them over the period (see `dailyUniquesKey`). */
  dailyUniques?: boolean;
  /** Add the groups' conversions per goal (`queryRowGoalMetrics`), for reports Matomo enriches so. */
  goals?: boolean;
}

/**
 * Visit metrics per site, period and up to two dimensions, in one query for the whole scope.
 * Visits count in the period of their last action (Matomo archives them so); a bounce is a visit
 * with one action. With `goals`, a group also has its conversions, by their own period.
 */
export async function queryVisitMetrics(
  db: Db,
  scope: ReportScope,
  query: VisitMetricsQuery = {},
): Promise<VisitMetricsGroup[]> {
  if (scope.sites.length === 0) return [];
  const segmented = query.segment !== undefined && query.segment !== ALL_VISITS;
  if (scope.archives && !segmented) return visitMetricsFromDayArchives(db, scope, query);
  return visitMetricsFromLogs(db, scope, query);
}

/**
 * `queryVisitMetrics` from day archives. Every metric of a period is the sum (or the maximum) of
 * its days' but one: the unique visitors of a week or month, which Matomo counts over the whole
 * period (and not at all for a year or a range) unless the report sums daily counts. Those are
 * counted from the logs here, as Matomo's archiver does.
 */
async function visitMetricsFromDayArchives(
  db: Db,
  scope: ReportScope,
  query: VisitMetricsQuery,
): Promise<VisitMetricsGroup[]> {
  const { by, thenBy } = query;
  const byColumn = by ? sql<string | null>`${sql.ref(by)}` : undefined;
  const thenByColumn = thenBy ? sql<string | null>`${sql.ref(thenBy)}` : undefined;
  const groups = await sumVisitGroupArchives(db, scope, {
    report: `visits/${by ?? ''}/${thenBy ?? ''}${query.goals ? '/goals' : ''}`,
    visits: (days) => queryVisitMetricGroups(db, days, { by, thenBy }),
    ...(query.goals
      ? {
          conversions: (days: ReportScope) =>
            queryRowGoalMetrics(db, days, { by: byColumn, thenBy: thenByColumn, segment: ALL_VISITS }),
        }
      : {}),
  });
  return withPeriodUniques(db, scope, query.dailyUniques, groups, {
    by: byColumn,
    thenBy: thenByColumn,
  }) as Promise<VisitMetricsGroup[]>;
}
/** `queryVisitMetrics` from the logs: every request with a segment, and the days of day archives. */
async function visitMetricsFromLogs(
  db: Db,
  scope: ReportScope,
  query: VisitMetricsQuery,
): Promise<VisitMetricsGroup[]> {
  if (!query.goals) return queryVisitMetricGroups(db, scope, query);
  const [groups, goals] = await Promise.all([
    queryVisitMetricGroups(db, scope, query),
    queryRowGoalMetrics(db, scope, {
      by: query.by ? sql.ref(query.by) : undefined,
      thenBy: query.thenBy ? sql.ref(query.thenBy) : undefined,
      segment: query.segment ?? ALL_VISITS,
    }),
  ]);
  return withGoals(groups, goalsLookup(goals));
}

async function queryVisitMetricGroups(
  db: Db,
  scope: ReportScope,
  query: VisitMetricsQuery,
): Promise<VisitMetricsGroup[]> {
  const key = query.by ? sql<string | null>`${sql.ref(query.by)}` : sql<string | null>`null`;
  const subkey = query.thenBy ? sql<string | null>`${sql.ref(query.thenBy)}` : sql<string | null>`null`;
  const segment = query.segment ?? ALL_VISITS;
  const visits = db
    .selectFrom('log_visit')
    .select(['idsite', 'visitor_id', 'visit_total_actions', 'visit_total_time', 'visit_goal_converted'])
    .select([
      periodIndex(scope.sites, 'idsite', 'visit_last_action_time').as('period'),
      key.as('key'),
      subkey.as('subkey'),
      dailyUniquesKey(scope, query.dailyUniques).as('day'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'visit_last_action_time'))
    .where(segment.visits('log_visit'));
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
      eb.fn.sum('v.visit_goal_converted').as('converted'),
      eb.fn.sum(eb.case().when('v.visit_total_actions', '<=', 1).then(1).else(0).end()).as('bounces'),
    ])
    .groupBy(['v.idsite', 'v.period', 'v.key', 'v.subkey', 'v.visitor_id', 'v.day']);
  const mark = uniquesMark(scope, query.dailyUniques);
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
      eb.fn.sum('p.converted').as('nb_visits_converted'),
    ])
    .groupBy(['p.idsite', 'p.period', 'p.key', 'p.subkey'])
    .execute();
  return rows.map((row) => ({
    idsite: toNumber(row.idsite),
    period: toNumber(row.period),
    key: row.key,
    subkey: row.subkey,
    metrics: {
      ...mark,
      nb_uniq_visitors: toNumber(row.nb_uniq_visitors),
      // The visit log records no user ids: Matomo's 0 for such visits.
      nb_users: 0,
      nb_visits: toNumber(row.nb_visits),
      nb_visits_converted: toNumber(row.nb_visits_converted),
      nb_actions: toNumber(row.nb_actions),
      max_actions: toNumber(row.max_actions),
      sum_visit_length: toNumber(row.sum_visit_length),
      bounce_count: toNumber(row.bounce_count),
    },
  }));
}

/**
 * What visitors are told apart by besides their id: nothing (the period's unique visitors), or,
 * for a report Matomo sums from day archives over a longer period, the visit's local day, so that
 * the count is the sum of each day's unique visitors (Matomo's `sum_daily_nb_uniq_visitors`).
 */
export function dailyUniquesKey(scope: ReportScope, daily = false): RawBuilder<number> {
  if (dailyUniquesKind(scope, daily) === 'period') return sql<number>`0`;
  return localDayKey(scope.sites, 'idsite', 'visit_last_action_time');
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

/** No visits, counted as `mark` says (an hour row of an empty hour). */
export function emptyVisitMetrics(mark: Pick<VisitMetrics, 'uniques'> = {}): VisitMetrics {
  return {
    ...mark,
    nb_uniq_visitors: 0,
    nb_users: 0,
    nb_visits: 0,
    nb_visits_converted: 0,
    nb_actions: 0,
    max_actions: 0,
    sum_visit_length: 0,
    bounce_count: 0,
  };
}

/** Visit groups with their goal metrics (`lookup` from `goalsLookup`), where they have any. */
export function withGoals<G extends { metrics: VisitMetrics }>(
  groups: readonly G[],
  lookup: (group: G) => GoalMetricsById | undefined,
): G[] {
  return groups.map((group) => {
    const goals = lookup(group);
    return goals ? { ...group, metrics: { ...group.metrics, goals } } : group;
  });
}
