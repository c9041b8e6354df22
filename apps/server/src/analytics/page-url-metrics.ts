import type { Db } from '../db/database';
import { visitDay, visitorDay } from './action-uniques';
import { addCounts, sumCellArchives } from './archives/cell-archive';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import type { ReportScope } from './report-scope';
import { ALL_VISITS, type SegmentFilter } from './segments';
import { cellKey } from './visit-metrics';

/**
 * The metrics of a page URL row; folders sum their children's, as Matomo's archiver does (their
 * unique visitor counts are sums too, which is why no folder row shows them).
 */
export interface PageMetrics {
  nb_visits: number;
  /** Distinct visitors, or on a longer period distinct (visitor, local day) pairs. */
  nb_uniq_visitors: number;
  nb_hits: number;
  sum_time_spent: number;
  entry_nb_uniq_visitors: number;
  entry_nb_visits: number;
  /** Actions of the visits that entered here. */
  entry_nb_actions: number;
  entry_sum_visit_length: number;
  entry_bounce_count: number;
  exit_nb_uniq_visitors: number;
  exit_nb_visits: number;
}

export function emptyPageMetrics(): PageMetrics {
  return {
    nb_visits: 0,
    nb_uniq_visitors: 0,
    nb_hits: 0,
    sum_time_spent: 0,
    entry_nb_uniq_visitors: 0,
    entry_nb_visits: 0,
    entry_nb_actions: 0,
    entry_sum_visit_length: 0,
    entry_bounce_count: 0,
    exit_nb_uniq_visitors: 0,
    exit_nb_visits: 0,
  };
}

/**
 * Metrics per page for every site and period of the scope, keyed by `cellKey` then page id.
 * Three grouped queries whatever the number of periods: page views by action time (Matomo
 * archives actions by their own time), entries and exits by the visit's last action time. With a
 * segment, the kept visits count with all their pages, as Matomo's visit-based segments do.
 * Visits and unique visitors are per local day on a longer period (see `visitDay`, `visitorDay`).
 * Without a segment, from day archives (`sumDayArchives`).
 */
export async function queryPageMetrics(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter = ALL_VISITS,
): Promise<Map<string, Map<number, PageMetrics>>> {
  if (!scope.archives || segment !== ALL_VISITS) return pageMetricsFromLogs(db, scope, segment);
  return sumCellArchives(db, scope, 'pages', (days) => pageMetricsFromLogs(db, days, ALL_VISITS), addCounts);
}

/** `queryPageMetrics` from the logs: requests with a segment, and the days of day archives. */
async function pageMetricsFromLogs(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<Map<string, Map<number, PageMetrics>>> {
  const cells = new Map<string, Map<number, PageMetrics>>();
  if (scope.sites.length === 0) return cells;
  const metricsOf = (idsite: unknown, period: unknown, idaction: number): PageMetrics => {
    const cell = cellKey(toNumber(idsite), toNumber(period));
    let pages = cells.get(cell);
    if (!pages) {
      pages = new Map();
      cells.set(cell, pages);
    }
    let metrics = pages.get(idaction);
    if (!metrics) {
      metrics = emptyPageMetrics();
      pages.set(idaction, metrics);
    }
    return metrics;
  };

  const views = db
    .selectFrom('log_link_visit_action')
    .select(['idsite', 'idaction_url', 'time_spent'])
    .select([
      periodIndex(scope.sites, 'idsite', 'server_time').as('period'),
      visitDay(scope, 'idsite', 'idvisit', 'server_time').as('visit'),
      visitorDay(scope, 'idsite', 'visitor_id', 'server_time').as('visitor'),
    ])
    .where('action_type', '=', 'action')
    .where(inPeriods(scope.sites, 'idsite', 'server_time'))
    .where(segment.visitIds('idvisit'));
  const viewRows = await db
    .selectFrom(views.as('a'))
    .select((eb) => [
      'a.idsite',
      'a.period',
      'a.idaction_url',
      eb.fn.countAll().as('nb_hits'),
      eb.fn.count('a.visit').distinct().as('nb_visits'),
      eb.fn.count('a.visitor').distinct().as('nb_uniq_visitors'),
      eb.fn.sum('a.time_spent').as('sum_time_spent'),
    ])
    .groupBy(['a.idsite', 'a.period', 'a.idaction_url'])
    .execute();
  for (const row of viewRows) {
    const metrics = metricsOf(row.idsite, row.period, row.idaction_url);
    metrics.nb_hits = toNumber(row.nb_hits);
    metrics.nb_visits = toNumber(row.nb_visits);
    metrics.nb_uniq_visitors = toNumber(row.nb_uniq_visitors);
    metrics.sum_time_spent = toNumber(row.sum_time_spent);
  }

  const visits = db
    .selectFrom('log_visit')
    .select(['idsite', 'entry_idaction_url', 'exit_idaction_url', 'visit_total_actions', 'visit_total_time'])
    .select([
      periodIndex(scope.sites, 'idsite', 'visit_last_action_time').as('period'),
      visitorDay(scope, 'idsite', 'visitor_id', 'visit_last_action_time').as('visitor'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'visit_last_action_time'))
    .where(segment.visits('log_visit'));
  const entryRows = await db
    .selectFrom(visits.as('v'))
    .select((eb) => [
      'v.idsite',
      'v.period',
      'v.entry_idaction_url',
      eb.fn.countAll().as('entry_nb_visits'),
      eb.fn.count('v.visitor').distinct().as('entry_nb_uniq_visitors'),
      eb.fn.sum('v.visit_total_actions').as('entry_nb_actions'),
      eb.fn.sum('v.visit_total_time').as('entry_sum_visit_length'),
      eb.fn
        .sum(eb.case().when('v.visit_total_actions', '<=', 1).then(1).else(0).end())
        .as('entry_bounce_count'),
    ])
    .where('v.entry_idaction_url', 'is not', null)
    .groupBy(['v.idsite', 'v.period', 'v.entry_idaction_url'])
    .execute();
  for (const row of entryRows) {
    if (row.entry_idaction_url === null) continue;
    const metrics = metricsOf(row.idsite, row.period, row.entry_idaction_url);
    metrics.entry_nb_visits = toNumber(row.entry_nb_visits);
    metrics.entry_nb_uniq_visitors = toNumber(row.entry_nb_uniq_visitors);
    metrics.entry_nb_actions = toNumber(row.entry_nb_actions);
    metrics.entry_sum_visit_length = toNumber(row.entry_sum_visit_length);
    metrics.entry_bounce_count = toNumber(row.entry_bounce_count);
  }

  const exitRows = await db
    .selectFrom(visits.as('v'))
    .select((eb) => [
      'v.idsite',
      'v.period',
      'v.exit_idaction_url',
      eb.fn.countAll().as('exit_nb_visits'),
      eb.fn.count('v.visitor').distinct().as('exit_nb_uniq_visitors'),
    ])
    .where('v.exit_idaction_url', 'is not', null)
    .groupBy(['v.idsite', 'v.period', 'v.exit_idaction_url'])
    .execute();
  for (const row of exitRows) {
    if (row.exit_idaction_url === null) continue;
    const metrics = metricsOf(row.idsite, row.period, row.exit_idaction_url);
    metrics.exit_nb_visits = toNumber(row.exit_nb_visits);
    metrics.exit_nb_uniq_visitors = toNumber(row.exit_nb_uniq_visitors);
  }
  return cells;
}
