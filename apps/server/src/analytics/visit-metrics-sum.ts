import type { ReportScope } from './report-scope';
import { addGoalMetrics, type GoalMetricsById } from './row-goal-metrics';

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

/** How a query's unique visitors count (a day's daily uniques are its period uniques). */
export function dailyUniquesKind(scope: ReportScope, daily = false): 'daily' | 'period' {
  return daily && scope.selection.period !== 'day' ? 'daily' : 'period';
}

/** The `uniques` mark of a query's metrics. */
export function uniquesMark(scope: ReportScope, daily = false): Pick<VisitMetrics, 'uniques'> {
  return dailyUniquesKind(scope, daily) === 'daily' ? { uniques: 'daily' } : {};
}
