import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database';
import { roundRevenue } from './goal-conversions';
import { localDayKey } from './local-day-key';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import type { ReportScope } from './report-scope';
import type { SegmentFilter } from './segments';

/** One goal's conversions among a report row's visits (Matomo's `makeGoalColumnsRow`, a user goal). */
export interface RowGoalMetrics {
  nb_conversions: number;
  nb_visits_converted: number;
  revenue: number;
}

/** Per goal id, ascending. */
export type GoalMetricsById = ReadonlyMap<number, RowGoalMetrics>;

/** The conversions of one site, period and report row. */
export interface GoalMetricsGroup {
  idsite: number;
  /** Index into the scope's periods. */
  period: number;
  key: string | number | null;
  subkey: string | number | null;
  goals: GoalMetricsById;
}

export interface GoalMetricsQuery {
  /** The row of a conversion: an expression over its visit's `log_visit` columns (unqualified). */
  by?: RawBuilder<string | number | null>;
  /** A second level, over the same columns. */
  thenBy?: RawBuilder<string | number | null>;
  /**
   * The row of a conversion by its own columns instead (unqualified `log_conversion` ones, e.g.
   * the hour of `server_time`): wins over `by`.
   */
  byConversion?: RawBuilder<string | number | null>;
  /** The request's segment: only the conversions of the visits it keeps count. */
  segment: SegmentFilter;
  /** A further condition over the visit's `log_visit` columns. */
  where?: RawBuilder<boolean>;
}

/**
 * Conversions per site, period, report row and goal, in one query for the whole scope: what
 * Matomo's record builders add to the rows of a visit dimension (`queryConversionsByDimension`,
 * core/DataAccess/LogAggregator.php). A conversion counts in the period of its own time, as
 * Matomo archives `log_conversion` by `server_time`. Per goal: the conversions, the visits that
 * converted it (per day, summed over a longer period as Matomo sums day archives) and the
 * revenue (rounded to cents).
 */
export async function queryRowGoalMetrics(
  db: Db,
  scope: ReportScope,
  query: GoalMetricsQuery,
): Promise<GoalMetricsGroup[]> {
  if (scope.sites.length === 0) return [];
  const nothing = sql<null>`null`;
  const conversions = db
    .selectFrom('log_conversion')
    .select(['idsite', 'idvisit', 'idgoal', 'revenue'])
    .select([
      periodIndex(scope.sites, 'idsite', 'server_time').as('period'),
      conversionDay(scope).as('day'),
      (query.byConversion ?? nothing).as('conversion_key'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'server_time'));
  const visits = db
    .selectFrom('log_visit')
    .select('idvisit')
    .select([(query.by ?? nothing).as('visit_key'), (query.thenBy ?? nothing).as('visit_subkey')])
    .where(query.segment.visits('log_visit'))
    .where(query.where ?? sql<boolean>`1 = 1`);
  const key = query.byConversion ? sql.ref('c.conversion_key') : sql.ref('v.visit_key');
  const perVisit = db
    .selectFrom(conversions.as('c'))
    .innerJoin(visits.as('v'), 'v.idvisit', 'c.idvisit')
    .select((eb) => [
      'c.idsite',
      'c.period',
      'c.idgoal',
      sql<string | number | null>`${key}`.as('key'),
      'v.visit_subkey as subkey',
      eb.fn.countAll().as('conversions'),
      eb.fn.sum('c.revenue').as('revenue'),
    ])
    .groupBy(['c.idsite', 'c.period', 'c.idgoal', 'key', 'subkey', 'c.idvisit', 'c.day']);
  const rows = await db
    .selectFrom(perVisit.as('p'))
    .select((eb) => [
      'p.idsite',
      'p.period',
      'p.idgoal',
      'p.key',
      'p.subkey',
      eb.fn.sum('p.conversions').as('nb_conversions'),
      eb.fn.countAll().as('nb_visits_converted'),
      eb.fn.sum('p.revenue').as('revenue'),
    ])
    .groupBy(['p.idsite', 'p.period', 'p.key', 'p.subkey', 'p.idgoal'])
    .orderBy('p.idgoal')
    .execute();
  const groups = new Map<string, GoalMetricsGroup & { goals: Map<number, RowGoalMetrics> }>();
  for (const row of rows) {
    const group = {
      idsite: toNumber(row.idsite),
      period: toNumber(row.period),
      key: row.key,
      subkey: row.subkey,
    };
    const id = goalGroupKey(group);
    const found = groups.get(id) ?? { ...group, goals: new Map<number, RowGoalMetrics>() };
    groups.set(id, found);
    found.goals.set(toNumber(row.idgoal), {
      nb_conversions: toNumber(row.nb_conversions),
      nb_visits_converted: toNumber(row.nb_visits_converted),
      revenue: roundRevenue(toNumber(row.revenue)),
    });
  }
  return [...groups.values()];
}

/** A conversion's local day on a longer period (its day archive), or one day for a day. */
function conversionDay(scope: ReportScope): RawBuilder<number> {
  if (scope.selection.period === 'day') return sql<number>`0`;
  return localDayKey(scope.sites, 'idsite', 'server_time');
}

function goalGroupKey(group: {
  idsite: number;
  period: number;
  key: string | number | null;
  subkey?: string | number | null;
}): string {
  return JSON.stringify([group.idsite, group.period, group.key, group.subkey ?? null]);
}

/**
 * Finds the goal metrics of a visit group (same site, period, key and subkey), for the row
 * builders: `goalsOf(groups)(group)`.
 */
export function goalsLookup(
  groups: readonly GoalMetricsGroup[],
): (group: {
  idsite: number;
  period: number;
  key: string | number | null;
  subkey?: string | number | null;
}) => GoalMetricsById | undefined {
  const byKey = new Map(groups.map((group) => [goalGroupKey(group), group.goals]));
  return (group) => byKey.get(goalGroupKey(group));
}

/** Two rows' goals as one (Matomo's `sumRow` of the `goals` column): per goal, every metric adds up. */
export function addGoalMetrics(
  a: GoalMetricsById | undefined,
  b: GoalMetricsById | undefined,
): GoalMetricsById | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum = new Map(a);
  for (const [idgoal, metrics] of b) {
    const known = sum.get(idgoal);
    sum.set(
      idgoal,
      known
        ? {
            nb_conversions: known.nb_conversions + metrics.nb_conversions,
            nb_visits_converted: known.nb_visits_converted + metrics.nb_visits_converted,
            revenue: roundRevenue(known.revenue + metrics.revenue),
          }
        : metrics,
    );
  }
  return new Map([...sum].sort(([x], [y]) => x - y));
}

/**
 * The `goals`, `nb_conversions` and `revenue` columns of a row with conversions (Matomo's
 * `EnrichRecordWithGoalMetricSums`; none on a row without), goals keyed `idgoal=N` as Matomo's
 * API renames them (core/DataTable/Filter/ReplaceColumnNames.php).
 */
export function goalColumns(goals: GoalMetricsById | undefined):
  | {
      goals: Record<string, RowGoalMetrics>;
      nb_conversions: number;
      revenue: number;
    }
  | Record<string, never> {
  if (!goals || goals.size === 0) return {};
  let conversions = 0;
  let revenue = 0;
  const byGoal: Record<string, RowGoalMetrics> = {};
  for (const [idgoal, metrics] of goals) {
    byGoal[`idgoal=${idgoal}`] = { ...metrics };
    conversions += metrics.nb_conversions;
    revenue += metrics.revenue;
  }
  return { goals: byGoal, nb_conversions: conversions, revenue: roundRevenue(revenue) };
}
