import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database';
import { sumDayArchives } from './archives/day-archive';
import { localDayKey } from './local-day-key';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import { reportsUniqueVisitors } from './periods';
import type { ReportScope } from './report-scope';
import {
  addGoalMetrics,
  type GoalMetricsById,
  goalsLookup,
  queryRowGoalMetrics,
  type RowGoalMetrics,
} from './row-goal-metrics';
import { ALL_VISITS, type SegmentFilter } from './segments';

/** Matomo's visit metrics, as `VisitsSummary` and every `VisitMetricsRow` report them. */
export interface VisitMetrics {
  /**
   * `daily` when `nb_uniq_visitors` and `nb_users` count per local day and are summed over the
   * period's days (Matomo's `sum_daily_*` of reports archived per day); else distinct over the period.
   */
  uniques?: 'daily';
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
  /** The row's conversions per goal, in reports Matomo enriches with them (see `queryRowGoalMetrics`). */
  goals?: GoalMetricsById;
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
 * A group as a day archive keeps it (JSON): its visit metrics, if the day had visits in it, and
 * its conversions per goal as `[idgoal, metrics]` pairs, if the day had conversions in it. A
 * conversion counts on its own day, which need not be its visit's: both are kept apart, and a
 * period's group has the conversions of all its days once some day had its visits.
 */
interface ArchivedVisitGroup {
  key: string | null;
  subkey: string | null;
  metrics?: Omit<VisitMetrics, 'uniques' | 'goals'>;
  goals?: [number, RowGoalMetrics][];
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
  const rows = await sumDayArchives<ArchivedVisitGroup>(
    db,
    scope,
    {
      report: `visits/${by ?? ''}/${thenBy ?? ''}${query.goals ? '/goals' : ''}`,
      compute: async (days) => {
        const visits = (await queryVisitMetricGroups(db, days, { by, thenBy })).map(
          ({ idsite, period, key, subkey, metrics: { uniques: _daily, goals: _goals, ...metrics } }) => ({
            idsite,
            period,
            row: { key, subkey, metrics } as ArchivedVisitGroup,
          }),
        );
        if (!query.goals) return visits;
        const goals = await queryRowGoalMetrics(db, days, {
          by: by ? sql.ref(by) : undefined,
          thenBy: thenBy ? sql.ref(thenBy) : undefined,
          segment: ALL_VISITS,
        });
        const conversions = goals.map(({ idsite, period, key, subkey, goals: byGoal }) => ({
          idsite,
          period,
          row: { key: key as string | null, subkey: subkey as string | null, goals: [...byGoal] },
        }));
        return [...visits, ...conversions];
      },
      keyOf: (row) => JSON.stringify([row.key, row.subkey]),
      add: (a, b) => {
        const metrics =
          a.metrics && b.metrics
            ? (({ uniques: _daily, goals: _goals, ...sum }) => sum)(addVisitMetrics(a.metrics, b.metrics))
            : (a.metrics ?? b.metrics);
        const goals = addGoalMetrics(a.goals && new Map(a.goals), b.goals && new Map(b.goals));
        return {
          key: a.key,
          subkey: a.subkey,
          ...(metrics ? { metrics } : {}),
          ...(goals ? { goals: [...goals] } : {}),
        };
      },
    },
    scope.now,
  );
  const mark = uniquesMark(scope, query.dailyUniques);
  const groups: VisitMetricsGroup[] = [];
  for (const { idsite, period, row } of rows) {
    // Conversions without a visit in the period: no row, as `withGoals` leaves them.
    if (!row.metrics) continue;
    const goals = query.goals && row.goals ? { goals: new Map(row.goals) } : {};
    groups.push({
      idsite,
      period,
      key: row.key,
      subkey: row.subkey,
      metrics: { ...mark, ...row.metrics, ...goals },
    });
  }
  const period = scope.selection.period;
  if (period === 'day' || mark.uniques === 'daily' || !reportsUniqueVisitors(period)) return groups;
  const uniques = await queryPeriodUniques(db, scope, query);
  for (const group of groups) {
    group.metrics.nb_uniq_visitors = uniques.get(groupKey(group)) ?? 0;
  }
  return groups;
}

function groupKey(group: Pick<VisitMetricsGroup, 'idsite' | 'period' | 'key' | 'subkey'>): string {
  return JSON.stringify([group.idsite, group.period, group.key, group.subkey]);
}

/** Distinct visitors per site, period and dimensions, from the logs (see `groupKey`). */
async function queryPeriodUniques(
  db: Db,
  scope: ReportScope,
  query: VisitMetricsQuery,
): Promise<Map<string, number>> {
  const key = query.by ? sql<string | null>`${sql.ref(query.by)}` : sql<string | null>`null`;
  const subkey = query.thenBy ? sql<string | null>`${sql.ref(query.thenBy)}` : sql<string | null>`null`;
  const visitors = db
    .selectFrom('log_visit')
    .select(['idsite', 'visitor_id'])
    .select([
      periodIndex(scope.sites, 'idsite', 'visit_last_action_time').as('period'),
      key.as('key'),
      subkey.as('subkey'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'visit_last_action_time'))
    .distinct();
  const rows = await db
    .selectFrom(visitors.as('v'))
    .select((eb) => ['v.idsite', 'v.period', 'v.key', 'v.subkey', eb.fn.countAll().as('uniques')])
    .groupBy(['v.idsite', 'v.period', 'v.key', 'v.subkey'])
    .execute();
  const uniques = new Map<string, number>();
  for (const row of rows) {
    const group = {
      idsite: toNumber(row.idsite),
      period: toNumber(row.period),
      key: row.key,
      subkey: row.subkey,
    };
    uniques.set(groupKey(group), toNumber(row.uniques));
  }
  return uniques;
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

/** How a query's unique visitors count (a day's daily uniques are its period uniques). */
export function dailyUniquesKind(scope: ReportScope, daily = false): 'daily' | 'period' {
  return daily && scope.selection.period !== 'day' ? 'daily' : 'period';
}

/** The `uniques` mark of a query's metrics. */
export function uniquesMark(scope: ReportScope, daily = false): Pick<VisitMetrics, 'uniques'> {
  return dailyUniquesKind(scope, daily) === 'daily' ? { uniques: 'daily' } : {};
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

/**
 * Two groups of visits as one row, as Matomo adds rows up (`sumRow`): unique visitors and users
 * add up too, which is exact for sums of daily counts and Matomo's figure for a day.
 */
export function addVisitMetrics(a: VisitMetrics, b: VisitMetrics): VisitMetrics {
  const goals = addGoalMetrics(a.goals, b.goals);
  return {
    ...(a.uniques === 'daily' ? { uniques: 'daily' } : {}),
    nb_uniq_visitors: a.nb_uniq_visitors + b.nb_uniq_visitors,
    nb_users: a.nb_users + b.nb_users,
    nb_visits: a.nb_visits + b.nb_visits,
    nb_visits_converted: a.nb_visits_converted + b.nb_visits_converted,
    nb_actions: a.nb_actions + b.nb_actions,
    max_actions: Math.max(a.max_actions, b.max_actions),
    sum_visit_length: a.sum_visit_length + b.sum_visit_length,
    bounce_count: a.bounce_count + b.bounce_count,
    ...(goals ? { goals } : {}),
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
