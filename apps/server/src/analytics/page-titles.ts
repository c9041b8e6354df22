import type { components } from '@matomo-oauth2/sdk/openapi';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import { dailyActionUniques, sumDailyColumns, visitDay, visitorDay } from './action-uniques';
import { addCounts, sumCellArchives } from './archives/cell-archive';
import type { AnalyticsContext, ResultOf } from './context';
import { type MetricsFormat, rate, readMetricsFormat } from './metric-format';
import { quotient, toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import { phpUrlEncode } from './php-url-encode';
import { type ReportScope, resolveReportScope, shapeResult } from './report-scope';
import { readFlag, readPositiveInteger, readRowWindow, windowRows } from './request-params';
import { ALL_VISITS, type SegmentFilter, scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

type PageTitleRow = components['schemas']['PageTitleRow'];

/** Matomo's `General_NotDefined` with `Actions_ColumnPageName`: the row of pages without a title. */
export const UNDEFINED_TITLE = 'Page Name not defined';

interface TitleMetrics {
  nb_visits: number;
  /** Distinct visitors, or on a longer period distinct (visitor, local day) pairs (`visitorDay`). */
  nb_uniq_visitors: number;
  nb_hits: number;
  sum_time_spent: number;
  entry_nb_uniq_visitors: number;
  entry_nb_visits: number;
  entry_nb_actions: number;
  entry_sum_visit_length: number;
  entry_bounce_count: number;
  exit_nb_uniq_visitors: number;
  exit_nb_visits: number;
}

/**
 * `Actions.getPageTitles`: page views per title. Matomo splits titles into categories on
 * `action_title_category_delimiter`, which is empty by default (config/global.ini.php), so
 * every title is one row of a flat table: there is no subtable (`idSubtable` names none) and
 * `expanded`/`flat` change nothing. Entries and exits count by the title of the visit's entry
 * (exit) page; pages without a title share the row "Page Name not defined". A longer period's
 * unique visitors are Matomo's `sum_daily_*`, after the summed columns.
 */
export async function getPageTitles(context: AnalyticsContext): Promise<ResultOf<'Actions.getPageTitles'>> {
  const { params, db } = context;
  const window = readRowWindow(params);
  readFlag(params, 'expanded');
  readFlag(params, 'flat');
  const idSubtable = readPositiveInteger(params, 'idSubtable');
  if (idSubtable !== undefined)
    throw new MatomoApiError(
      `The subtable idSubtable=${idSubtable} does not exist in Actions.getPageTitles.`,
    );
  const scope = await resolveReportScope(context);
  const cells = await queryTitleMetrics(db, scope, scopeSegment(params, scope));
  return shapeResult(scope, ({ site }, period): PageTitleRow[] => {
    const titles = cells.get(cellKey(site.idsite, period));
    if (!titles) return [];
    const options = { daily: dailyActionUniques(scope), format: readMetricsFormat(params) };
    const rows = [...titles].map(([title, metrics]) => titleRow(title, metrics, options));
    rows.sort(
      (a, b) =>
        b.nb_visits - a.nb_visits ||
        b.nb_hits - a.nb_hits ||
        (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
    );
    return windowRows(rows, window);
  });
}

/** The row's label: the trimmed title, or Matomo's name for a missing one. */
const titleExpression: RawBuilder<string> = sql<string>`trim(coalesce(log_action.title, ''))`;

/** Metrics per title and cell: from day archives without a segment, else from the logs. */
function queryTitleMetrics(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<Map<string, Map<string, TitleMetrics>>> {
  if (!scope.archives || segment !== ALL_VISITS) return titleMetricsFromLogs(db, scope, segment);
  return sumCellArchives(
    db,
    scope,
    'titles',
    (days) => titleMetricsFromLogs(db, days, ALL_VISITS),
    addCounts,
  );
}

/**
 * Page views by action time, entries and exits by the visit's last action time; visits and
 * unique visitors per local day on a longer period (`visitDay`, `visitorDay`), as Matomo sums days.
 */
async function titleMetricsFromLogs(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<Map<string, Map<string, TitleMetrics>>> {
  const cells = new Map<string, Map<string, TitleMetrics>>();
  if (scope.sites.length === 0) return cells;
  const metricsOf = (idsite: unknown, period: unknown, title: string): TitleMetrics => {
    const cell = cellKey(toNumber(idsite), toNumber(period));
    const titles = cells.get(cell) ?? new Map<string, TitleMetrics>();
    cells.set(cell, titles);
    let metrics = titles.get(title);
    if (!metrics) {
      metrics = {
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
      titles.set(title, metrics);
    }
    return metrics;
  };

  const views = db
    .selectFrom('log_link_visit_action')
    .innerJoin('log_action', 'log_action.idaction', 'log_link_visit_action.idaction_url')
    .select(['log_link_visit_action.idsite', 'log_link_visit_action.time_spent'])
    .select([
      periodIndex(scope.sites, 'log_link_visit_action.idsite', 'log_link_visit_action.server_time').as(
        'period',
      ),
      visitDay(
        scope,
        'log_link_visit_action.idsite',
        'log_link_visit_action.idvisit',
        'log_link_visit_action.server_time',
      ).as('visit'),
      visitorDay(
        scope,
        'log_link_visit_action.idsite',
        'log_link_visit_action.visitor_id',
        'log_link_visit_action.server_time',
      ).as('visitor'),
      titleExpression.as('title'),
    ])
    .where('log_link_visit_action.action_type', '=', 'action')
    .where(inPeriods(scope.sites, 'log_link_visit_action.idsite', 'log_link_visit_action.server_time'))
    .where(segment.visitIds('log_link_visit_action.idvisit'));
  const viewRows = await db
    .selectFrom(views.as('a'))
    .select((eb) => [
      'a.idsite',
      'a.period',
      'a.title',
      eb.fn.countAll().as('nb_hits'),
      eb.fn.count('a.visit').distinct().as('nb_visits'),
      eb.fn.count('a.visitor').distinct().as('nb_uniq_visitors'),
      eb.fn.sum('a.time_spent').as('sum_time_spent'),
    ])
    .groupBy(['a.idsite', 'a.period', 'a.title'])
    .execute();
  for (const row of viewRows) {
    const metrics = metricsOf(row.idsite, row.period, row.title);
    metrics.nb_hits = toNumber(row.nb_hits);
    metrics.nb_visits = toNumber(row.nb_visits);
    metrics.nb_uniq_visitors = toNumber(row.nb_uniq_visitors);
    metrics.sum_time_spent = toNumber(row.sum_time_spent);
  }

  const landings = (column: 'entry_idaction_url' | 'exit_idaction_url') =>
    db
      .selectFrom('log_visit')
      .innerJoin('log_action', 'log_action.idaction', `log_visit.${column}`)
      .select(['log_visit.idsite', 'log_visit.visit_total_actions', 'log_visit.visit_total_time'])
      .select([
        periodIndex(scope.sites, 'log_visit.idsite', 'log_visit.visit_last_action_time').as('period'),
        visitorDay(scope, 'log_visit.idsite', 'log_visit.visitor_id', 'log_visit.visit_last_action_time').as(
          'visitor',
        ),
        titleExpression.as('title'),
      ])
      .where(inPeriods(scope.sites, 'log_visit.idsite', 'log_visit.visit_last_action_time'))
      .where(segment.visits('log_visit'));
  const entryRows = await db
    .selectFrom(landings('entry_idaction_url').as('v'))
    .select((eb) => [
      'v.idsite',
      'v.period',
      'v.title',
      eb.fn.countAll().as('visits'),
      eb.fn.count('v.visitor').distinct().as('uniq'),
      eb.fn.sum('v.visit_total_actions').as('actions'),
      eb.fn.sum('v.visit_total_time').as('length'),
      eb.fn.sum(eb.case().when('v.visit_total_actions', '<=', 1).then(1).else(0).end()).as('bounces'),
    ])
    .groupBy(['v.idsite', 'v.period', 'v.title'])
    .execute();
  for (const row of entryRows) {
    const metrics = metricsOf(row.idsite, row.period, row.title);
    metrics.entry_nb_visits = toNumber(row.visits);
    metrics.entry_nb_uniq_visitors = toNumber(row.uniq);
    metrics.entry_nb_actions = toNumber(row.actions);
    metrics.entry_sum_visit_length = toNumber(row.length);
    metrics.entry_bounce_count = toNumber(row.bounces);
  }
  const exitRows = await db
    .selectFrom(landings('exit_idaction_url').as('v'))
    .select((eb) => [
      'v.idsite',
      'v.period',
      'v.title',
      eb.fn.countAll().as('visits'),
      eb.fn.count('v.visitor').distinct().as('uniq'),
    ])
    .groupBy(['v.idsite', 'v.period', 'v.title'])
    .execute();
  for (const row of exitRows) {
    const metrics = metricsOf(row.idsite, row.period, row.title);
    metrics.exit_nb_visits = toNumber(row.visits);
    metrics.exit_nb_uniq_visitors = toNumber(row.uniq);
  }
  return cells;
}

/**
 * Matomo's columns in its order; the segment value is URL-encoded twice, as Matomo writes it. On
 * a longer period the unique visitors come as `sum_daily_*` after the summed columns, the entry
 * (exit) one only when visits entered (left) by the title, as Matomo's row has it then.
 */
function titleRow(
  title: string,
  m: TitleMetrics,
  { daily, format }: { daily: boolean; format: MetricsFormat },
): PageTitleRow {
  const {
    nb_uniq_visitors: _visitors,
    entry_nb_uniq_visitors: _entries,
    exit_nb_uniq_visitors: _exits,
    ...summed
  } = m;
  const columns = daily
    ? {
        ...summed,
        ...sumDailyColumns(m, { entry: m.entry_nb_visits > 0, exit: m.exit_nb_visits > 0 }),
      }
    : m;
  return {
    label: title === '' ? UNDEFINED_TITLE : title,
    ...columns,
    avg_time_on_page: quotient(m.sum_time_spent, m.nb_visits),
    bounce_rate: rate(m.entry_bounce_count, m.entry_nb_visits, format),
    exit_rate: rate(m.exit_nb_visits, m.nb_visits, format),
    segment: `pageTitle==${phpUrlEncode(phpUrlEncode(title))}`,
  };
}
