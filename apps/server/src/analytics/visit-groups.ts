import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database';
import { expressionKey, sumVisitGroupArchives, withPeriodUniques } from './archives/visit-group-archive';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import type { ReportScope } from './report-scope';
import { goalsLookup, queryRowGoalMetrics } from './row-goal-metrics';
import { ALL_VISITS, type SegmentFilter } from './segments';
import { dailyUniquesKey, uniquesMark, type VisitMetrics, withGoals } from './visit-metrics';

/** Visit metrics of one site, period and group of visits. */
export interface VisitGroup {
  idsite: number;
  /** Index into the scope's periods. */
  period: number;
  /** The value of the grouping expression, as SQLite returns it. */
  key: string | number | null;
  metrics: VisitMetrics;
}

export interface VisitGroupQuery {
  /** An expression over `log_visit` (unqualified columns) whose value groups the visits. */
  by: RawBuilder<string | number | null>;
  /** The request's segment: only the visits it keeps count. */
  segment: SegmentFilter;
  /** A further condition over `log_visit`. */
  where?: RawBuilder<boolean>;
  /** Count unique visitors per local day and sum them over the period (see `dailyUniquesKey`). */
  dailyUniques?: boolean;
  /** Add the groups' conversions per goal (`queryRowGoalMetrics`), for reports Matomo enriches so. */
  goals?: boolean;
  /**
   * `false` for a report that shows no unique visitors: a week's or month's are then not counted
   * over the period (their value is left unspecified).
   */
  uniques?: false;
}

/**
 * Visit metrics per site, period and value of an expression (a column, an hour, a bucket), in one
 * query for the whole scope. As in `queryVisitMetrics`: visits count in the period of their last
 * action, a bounce is a visit with one action, unique visitors are counted per cell. With
 * `goals`, a group also has its conversions, by their own period.
 */
export async function queryVisitGroups(
  db: Db,
  scope: ReportScope,
  query: VisitGroupQuery,
): Promise<VisitGroup[]> {
  if (scope.sites.length === 0) return [];
  if (scope.archives && query.segment === ALL_VISITS) return visitGroupsFromDayArchives(db, scope, query);
  if (!query.goals) return queryGroups(db, scope, query);
  const [groups, goals] = await Promise.all([
    queryGroups(db, scope, query),
    queryRowGoalMetrics(db, scope, { by: query.by, segment: query.segment, where: query.where }),
  ]);
  return withGoals(groups, goalsLookup(goals));
}

/**
 * `queryVisitGroups` from day archives (`sumVisitGroupArchives`), named by the grouping's and the
 * condition's SQL: reports that group alike share them.
 */
async function visitGroupsFromDayArchives(
  db: Db,
  scope: ReportScope,
  query: VisitGroupQuery,
): Promise<VisitGroup[]> {
  const { by, where } = query;
  const groups = await sumVisitGroupArchives(db, scope, {
    report: `groups/${expressionKey(db, [by, where])}${query.goals ? '/goals' : ''}`,
    visits: async (days) =>
      (await queryGroups(db, days, { by, where, segment: ALL_VISITS })).map((group) => ({
        ...group,
        subkey: null,
      })),
    ...(query.goals
      ? {
          conversions: (days: ReportScope) =>
            queryRowGoalMetrics(db, days, { by, segment: ALL_VISITS, ...(where ? { where } : {}) }),
        }
      : {}),
  });
  const counted =
    query.uniques === false
      ? groups
      : await withPeriodUniques(db, scope, query.dailyUniques, groups, { by, where });
  return counted.map(({ subkey: _none, ...group }) => group);
}

async function queryGroups(db: Db, scope: ReportScope, query: VisitGroupQuery): Promise<VisitGroup[]> {
  const visits = db
    .selectFrom('log_visit')
    .select(['idsite', 'visitor_id', 'visit_total_actions', 'visit_total_time', 'visit_goal_converted'])
    .select([
      periodIndex(scope.sites, 'idsite', 'visit_last_action_time').as('period'),
      query.by.as('key'),
      dailyUniquesKey(scope, query.dailyUniques).as('day'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'visit_last_action_time'))
    .where(query.segment.visits('log_visit'))
    .where(query.where ?? sql<boolean>`1 = 1`);
  const perVisitor = db
    .selectFrom(visits.as('v'))
    .select((eb) => [
      'v.idsite',
      'v.period',
      'v.key',
      eb.fn.countAll().as('visits'),
      eb.fn.sum('v.visit_total_actions').as('actions'),
      eb.fn.max('v.visit_total_actions').as('max_actions'),
      eb.fn.sum('v.visit_total_time').as('visit_length'),
      eb.fn.sum('v.visit_goal_converted').as('converted'),
      eb.fn.sum(eb.case().when('v.visit_total_actions', '<=', 1).then(1).else(0).end()).as('bounces'),
    ])
    .groupBy(['v.idsite', 'v.period', 'v.key', 'v.visitor_id', 'v.day']);
  const mark = uniquesMark(scope, query.dailyUniques);
  const rows = await db
    .selectFrom(perVisitor.as('p'))
    .select((eb) => [
      'p.idsite',
      'p.period',
      'p.key',
      eb.fn.countAll().as('nb_uniq_visitors'),
      eb.fn.sum('p.visits').as('nb_visits'),
      eb.fn.sum('p.actions').as('nb_actions'),
      eb.fn.max('p.max_actions').as('max_actions'),
      eb.fn.sum('p.visit_length').as('sum_visit_length'),
      eb.fn.sum('p.bounces').as('bounce_count'),
      eb.fn.sum('p.converted').as('nb_visits_converted'),
    ])
    .groupBy(['p.idsite', 'p.period', 'p.key'])
    .execute();
  return rows.map((row) => ({
    idsite: toNumber(row.idsite),
    period: toNumber(row.period),
    key: row.key,
    metrics: {
      ...mark,
      nb_uniq_visitors: toNumber(row.nb_uniq_visitors),
      // No user ids in the visit log: Matomo's 0 for such visits.
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
