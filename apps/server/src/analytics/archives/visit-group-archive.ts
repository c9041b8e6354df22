import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database';
import { toNumber } from '../metrics';
import { inPeriods, periodIndex } from '../period-buckets';
import { reportsUniqueVisitors } from '../periods';
import type { ReportScope } from '../report-scope';
import { addGoalMetrics, type GoalMetricsGroup, type RowGoalMetrics } from '../row-goal-metrics';
import { addVisitMetrics, uniquesMark, type VisitMetrics } from '../visit-metrics-sum';
import { sumDayArchives } from './day-archive';
import { archivedPeriodUniques, type PeriodUniques } from './period-uniques-archive';

type Key = string | number | null;

/** Visit metrics of one site, period and group of visits (one or two grouping values). */
export interface ArchivedVisitGroup {
  idsite: number;
  period: number;
  key: Key;
  subkey: Key;
  metrics: VisitMetrics;
}

/** How a report groups visits, and from the logs, its groups and their conversions for some days. */
export interface VisitGroupArchive {
  /** Names the grouping: see `expressionKey`. */
  report: string;
  /** The groups of the days of `days`, unique visitors per day (they add up over days). */
  visits(days: ReportScope): Promise<ArchivedVisitGroup[]>;
  /** Their conversions per goal, by the conversions' own days; absent when the report shows none. */
  conversions?(days: ReportScope): Promise<GoalMetricsGroup[]>;
}

/**
 * A group as a day archive keeps it (JSON): its visit metrics, if the day had visits in it, and
 * its conversions per goal as `[idgoal, metrics]` pairs, if the day had conversions in it. A
 * conversion counts on its own day, which need not be its visit's: both are kept apart, and a
 * period's group has the conversions of all its days once some day had its visits.
 */
interface StoredGroup {
  key: Key;
  subkey: Key;
  metrics?: Omit<VisitMetrics, 'uniques' | 'goals'>;
  goals?: [number, RowGoalMetrics][];
}

/**
 * Visit groups per site and period from day archives: every metric is its days' sum (maximum
 * for `max_actions`), unique visitors included, so the caller replaces those where the period's
 * distinct count is wanted. Groups with conversions but no visits in the period are left out,
 * as `withGoals` leaves them out of a query of the logs.
 */
export async function sumVisitGroupArchives(
  db: Db,
  scope: ReportScope,
  archive: VisitGroupArchive,
): Promise<ArchivedVisitGroup[]> {
  const rows = await sumDayArchives<StoredGroup>(
    db,
    scope,
    {
      report: archive.report,
      compute: async (days) => {
        const visits = (await archive.visits(days)).map(({ idsite, period, key, subkey, metrics }) => {
          const { uniques: _daily, goals: _goals, ...sums } = metrics;
          return { idsite, period, row: { key, subkey, metrics: sums } as StoredGroup };
        });
        if (!archive.conversions) return visits;
        const conversions = (await archive.conversions(days)).map(
          ({ idsite, period, key, subkey, goals }) => ({
            idsite,
            period,
            row: { key, subkey, goals: [...goals] } as StoredGroup,
          }),
        );
        return [...visits, ...conversions];
      },
      keyOf: (row) => JSON.stringify([row.key, row.subkey]),
      add: (a, b) => {
        const metrics =
          a.metrics && b.metrics
            ? withoutMarks(addVisitMetrics(a.metrics, b.metrics))
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
  const groups: ArchivedVisitGroup[] = [];
  for (const { idsite, period, row } of rows) {
    if (!row.metrics) continue;
    const goals = row.goals ? { goals: new Map(row.goals) } : {};
    groups.push({ idsite, period, key: row.key, subkey: row.subkey, metrics: { ...row.metrics, ...goals } });
  }
  return groups;
}

function withoutMarks({
  uniques: _daily,
  goals: _goals,
  ...sums
}: VisitMetrics): Omit<VisitMetrics, 'uniques' | 'goals'> {
  return sums;
}

/**
 * A short, stable name for SQL expressions (a grouping, a condition): their SQL text and
 * parameters, hashed. Two requests whose expressions compile alike share archives.
 */
export function expressionKey(db: Db, expressions: readonly (RawBuilder<unknown> | undefined)[]): string {
  const compiled = expressions.map((expression) => {
    if (!expression) return null;
    const { sql, parameters } = expression.compile(db);
    return [sql, parameters];
  });
  return createHash('sha256').update(JSON.stringify(compiled)).digest('base64url').slice(0, 22);
}

/** What groups visits in a query of the logs: expressions over `log_visit` (unqualified columns). */
export interface VisitGrouping {
  by?: RawBuilder<Key>;
  thenBy?: RawBuilder<Key>;
  where?: RawBuilder<boolean>;
}

/**
 * Archived groups with the unique visitors the period reports: a day's, or a sum of daily counts
 * (`dailyUniques`), are the archives' sums; a week's or a month's are distinct visitors over the
 * period, counted from the logs as Matomo's archiver counts them; a year or a range shows none.
 */
export async function withPeriodUniques(
  db: Db,
  scope: ReportScope,
  dailyUniques: boolean | undefined,
  groups: ArchivedVisitGroup[],
  grouping: VisitGrouping,
): Promise<ArchivedVisitGroup[]> {
  const mark = uniquesMark(scope, dailyUniques);
  for (const group of groups) Object.assign(group.metrics, mark);
  const period = scope.selection.period;
  if (period === 'day' || mark.uniques === 'daily' || !reportsUniqueVisitors(period)) return groups;
  const counted = await archivedPeriodUniques(
    db,
    scope,
    expressionKey(db, [grouping.by, grouping.thenBy, grouping.where]),
    (periods) => queryPeriodUniques(db, periods, grouping),
  );
  const uniques = new Map(counted.map((group) => [groupKey(group), group.uniques]));
  for (const group of groups) group.metrics.nb_uniq_visitors = uniques.get(groupKey(group)) ?? 0;
  return groups;
}

function groupKey(group: { idsite: number; period: number; key: Key; subkey: Key }): string {
  return JSON.stringify([group.idsite, group.period, group.key, group.subkey]);
}

/** Distinct visitors per site, period and group, from the logs. */
async function queryPeriodUniques(
  db: Db,
  scope: ReportScope,
  grouping: VisitGrouping,
): Promise<PeriodUniques[]> {
  // Per visitor first, then a row count per group, as the logs' query counts them.
  const visitors = db
    .selectFrom('log_visit')
    .select([
      'idsite',
      periodIndex(scope.sites, 'idsite', 'visit_last_action_time').as('period'),
      (grouping.by ?? sql<Key>`null`).as('key'),
      (grouping.thenBy ?? sql<Key>`null`).as('subkey'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'visit_last_action_time'))
    .where(grouping.where ?? sql<boolean>`1 = 1`)
    .groupBy(['idsite', 'period', 'key', 'subkey', 'visitor_id']);
  const rows = await db
    .selectFrom(visitors.as('v'))
    .select((eb) => ['v.idsite', 'v.period', 'v.key', 'v.subkey', eb.fn.countAll().as('uniques')])
    .groupBy(['v.idsite', 'v.period', 'v.key', 'v.subkey'])
    .execute();
  return rows.map((row) => ({
    idsite: toNumber(row.idsite),
    period: toNumber(row.period),
    key: row.key,
    subkey: row.subkey,
    uniques: toNumber(row.uniques),
  }));
}
