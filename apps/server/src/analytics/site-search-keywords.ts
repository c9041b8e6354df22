import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { visitDay } from './action-uniques';
import { addCounts, sumCellArchives } from './archives/cell-archive';
import type { AnalyticsContext, ResultOf } from './context';
import { rate, readMetricsFormat } from './metric-format';
import { quotient, toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import { phpUrlEncode } from './php-url-encode';
import { type ReportScope, resolveReportScope, shapeResult } from './report-scope';
import { readRowWindow, windowRows } from './request-params';
import { ALL_VISITS, type SegmentFilter, scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

type SiteSearchKeywordRow = components['schemas']['SiteSearchKeywordRow'];

interface KeywordMetrics {
  nb_visits: number;
  nb_hits: number;
  sum_time_spent: number;
  exit_nb_visits: number;
}

/**
 * `Actions.getSiteSearchKeywords`: the site's own searches, one row per keyword. A search is no
 * page view, so no visit enters by it (bounce rate 0%); a visit leaves by it when the search is
 * its last action. `nb_pages_per_search` is searches per visit to one decimal, as Matomo's
 * `addPagesPerSearchColumn`; the segment is `siteSearchKeyword==` with the keyword URL-encoded
 * once (Matomo's AddSegmentByLabel).
 */
export async function getSiteSearchKeywords(
  context: AnalyticsContext,
): Promise<ResultOf<'Actions.getSiteSearchKeywords'>> {
  const window = readRowWindow(context.params);
  const scope = await resolveReportScope(context);
  const cells = await queryKeywordMetrics(context.db, scope, scopeSegment(context.params, scope));
  const format = readMetricsFormat(context.params);
  return shapeResult(scope, ({ site }, period): SiteSearchKeywordRow[] => {
    const keywords = cells.get(cellKey(site.idsite, period));
    if (!keywords) return [];
    const rows = [...keywords].map(
      ([keyword, m]): SiteSearchKeywordRow => ({
        label: keyword,
        nb_visits: m.nb_visits,
        nb_hits: m.nb_hits,
        sum_time_spent: m.sum_time_spent,
        exit_nb_visits: m.exit_nb_visits,
        nb_pages_per_search: quotient(m.nb_hits, m.nb_visits, 1),
        avg_time_on_page: quotient(m.sum_time_spent, m.nb_visits),
        bounce_rate: rate(0, 0, format),
        exit_rate: rate(m.exit_nb_visits, m.nb_visits, format),
        segment: `siteSearchKeyword==${phpUrlEncode(keyword)}`,
      }),
    );
    rows.sort(
      (a, b) =>
        b.nb_visits - a.nb_visits ||
        b.nb_hits - a.nb_hits ||
        (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
    );
    return windowRows(rows, window);
  });
}

/** Searches by keyword for every site and period (by the search's own time), keyed by `cellKey`. */
function queryKeywordMetrics(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<Map<string, Map<string, KeywordMetrics>>> {
  if (!scope.archives || segment !== ALL_VISITS) return keywordMetricsFromLogs(db, scope, segment);
  return sumCellArchives(
    db,
    scope,
    'searches',
    (days) => keywordMetricsFromLogs(db, days, ALL_VISITS),
    addCounts,
  );
}

/** Visits per local day on a longer period (`visitDay`), as Matomo sums days. */
async function keywordMetricsFromLogs(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<Map<string, Map<string, KeywordMetrics>>> {
  const cells = new Map<string, Map<string, KeywordMetrics>>();
  if (scope.sites.length === 0) return cells;
  const searches = db
    .selectFrom('log_link_visit_action as s')
    .innerJoin('log_action', 'log_action.idaction', 's.idaction_url')
    .select(['s.idsite', 's.time_spent', 'log_action.name as keyword'])
    .select(periodIndex(scope.sites, 's.idsite', 's.server_time').as('period'))
    .select(visitDay(scope, 's.idsite', 's.idvisit', 's.server_time').as('visit'))
    // The visit's last action: none after it (by time, then by insertion).
    .select(
      sql<number>`case when exists (select 1 from log_link_visit_action as later where later.idvisit = s.idvisit and (later.server_time > s.server_time or (later.server_time = s.server_time and later.idlink_va > s.idlink_va))) then 0 else 1 end`.as(
        'is_exit',
      ),
    )
    .where('s.action_type', '=', 'search')
    .where(inPeriods(scope.sites, 's.idsite', 's.server_time'))
    .where(segment.visitIds('s.idvisit'));
  const rows = await db
    .selectFrom(searches.as('a'))
    .select((eb) => [
      'a.idsite',
      'a.period',
      'a.keyword',
      eb.fn.countAll().as('nb_hits'),
      eb.fn.count('a.visit').distinct().as('nb_visits'),
      eb.fn.sum('a.time_spent').as('sum_time_spent'),
      eb.fn.sum('a.is_exit').as('exit_nb_visits'),
    ])
    .groupBy(['a.idsite', 'a.period', 'a.keyword'])
    .execute();
  for (const row of rows) {
    const cell = cellKey(toNumber(row.idsite), toNumber(row.period));
    const keywords = cells.get(cell) ?? new Map<string, KeywordMetrics>();
    cells.set(cell, keywords);
    keywords.set(row.keyword, {
      nb_visits: toNumber(row.nb_visits),
      nb_hits: toNumber(row.nb_hits),
      sum_time_spent: toNumber(row.sum_time_spent),
      exit_nb_visits: toNumber(row.exit_nb_visits),
    });
  }
  return cells;
}
