import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import { dailyActionUniques, visitDay, visitorDay } from './action-uniques';
import { addCounts, sumCellArchives } from './archives/cell-archive';
import type { AnalyticsContext, ResultOf } from './context';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import { phpUrlEncode } from './php-url-encode';
import { type ReportScope, resolveReportScope, shapeResult } from './report-scope';
import { type RowWindow, readFlag, readPositiveInteger, readRowWindow, windowRows } from './request-params';
import { ALL_VISITS, type SegmentFilter, scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

type ClickUrlRow = components['schemas']['ClickUrlRow'];

/** The two reports of clicked URLs: downloads and outlinks, each grouped by host. */
type ClickKind = 'download' | 'outlink';

const METHOD: Record<ClickKind, 'Actions.getDownloads' | 'Actions.getOutlinks'> = {
  download: 'Actions.getDownloads',
  outlink: 'Actions.getOutlinks',
};

/** The segment a URL row links to (`downloadUrl==…`, `outlinkUrl==…`). */
const SEGMENT: Record<ClickKind, string> = { download: 'downloadUrl', outlink: 'outlinkUrl' };

interface ClickMetrics {
  nb_visits: number;
  /** Distinct visitors, or on a longer period distinct (visitor, local day) pairs (`visitorDay`). */
  nb_uniq_visitors: number;
  nb_hits: number;
  sum_time_spent: number;
}

/** A clicked URL split as Matomo's archiver splits it: the host, and the path with its fragment. */
interface ClickUrl {
  idaction: number;
  url: string;
  host: string | undefined;
  path: string;
}

interface HostGroup {
  host: string;
  /** The host's smallest `log_action` id of this kind: its `idsubdatatable`, the same for every period. */
  idsubdatatable: number;
  urls: { url: ClickUrl; metrics: ClickMetrics }[];
  totals: ClickMetrics;
}

/**
 * `Actions.getDownloads`: downloaded URLs, one row per host (with `idsubdatatable`) whose
 * subtable lists the URLs by path. `idSubtable` gives one host's URLs, `expanded=1` nests them,
 * `flat=1` lists every URL once as `host/path`. Only URL rows have unique visitors, on a longer
 * period as Matomo's `sum_daily_nb_uniq_visitors` after the summed columns.
 */
export function getDownloads(context: AnalyticsContext): Promise<ResultOf<'Actions.getDownloads'>> {
  return getClickUrls(context, 'download');
}

/** `Actions.getOutlinks`: the links followed out of the site, shaped as `Actions.getDownloads`. */
export function getOutlinks(context: AnalyticsContext): Promise<ResultOf<'Actions.getOutlinks'>> {
  return getClickUrls(context, 'outlink');
}

async function getClickUrls(
  context: AnalyticsContext,
  kind: ClickKind,
): Promise<ResultOf<'Actions.getDownloads'>> {
  const { params, db } = context;
  const window = readRowWindow(params);
  const expanded = readFlag(params, 'expanded');
  const flat = readFlag(params, 'flat');
  const idSubtable = readPositiveInteger(params, 'idSubtable');
  const scope = await resolveReportScope(context);
  const urls = await loadClickUrls(db, kind);
  const hostIds = hostIdsOf(urls.values());
  if (idSubtable !== undefined && ![...hostIds.values()].includes(idSubtable)) {
    throw new MatomoApiError(`The subtable idSubtable=${idSubtable} does not exist in ${METHOD[kind]}.`);
  }
  const cells = await queryClickMetrics(db, scope, kind, scopeSegment(params, scope));

  return shapeResult(scope, ({ site }, period): ClickUrlRow[] => {
    const clicks = cells.get(cellKey(site.idsite, period));
    if (!clicks) return [];
    const { groups, loose } = groupByHost(clicks, urls, hostIds);
    const render = { kind, window, daily: dailyActionUniques(scope) };
    if (idSubtable !== undefined) {
      const group = groups.find((candidate) => candidate.idsubdatatable === idSubtable);
      return group ? renderUrls(group.urls, render) : [];
    }
    if (flat) return renderFlat(groups, loose, render);
    const rows = sortRows([
      ...groups.map((group) => ({ label: group.host, metrics: group.totals, group })),
      ...loose.map(({ url, metrics }) => ({ label: url.url, metrics, url })),
    ]);
    return windowRows(rows, window).map((row) => {
      if ('url' in row) return urlRow(row.url, row.label, row.metrics, render);
      const hostRow: ClickUrlRow = {
        label: row.label,
        nb_visits: row.metrics.nb_visits,
        nb_hits: row.metrics.nb_hits,
        sum_time_spent: row.metrics.sum_time_spent,
        idsubdatatable: row.group.idsubdatatable,
      };
      if (expanded) hostRow.subtable = renderUrls(row.group.urls, render);
      return hostRow;
    });
  });
}

/**
 * Matomo's `ArchivingHelper::parseNameFromPageUrl` for downloads and outlinks:
 * `https?://host/path#fragment` gives the host and `/path#fragment`. A name that is no such
 * URL has no host: it is a row of its own at the top level.
 */
export function splitClickUrl(name: string): { host: string; path: string } | undefined {
  const match = /^https?:\/\/([^/]+)\/?([^#]*)#?(.*)$/is.exec(name);
  if (!match) return undefined;
  const [, host = '', path = '', fragment = ''] = match;
  return { host: host.trim(), path: `/${path.trim()}${fragment === '' ? '' : `#${fragment}`}` };
}

async function loadClickUrls(db: Db, kind: ClickKind): Promise<Map<number, ClickUrl>> {
  const rows = await db
    .selectFrom('log_action')
    .select(['idaction', 'name'])
    .where('type', '=', kind)
    .execute();
  const urls = new Map<number, ClickUrl>();
  for (const row of rows) {
    const parts = splitClickUrl(row.name);
    urls.set(row.idaction, {
      idaction: row.idaction,
      url: row.name,
      host: parts?.host,
      path: parts?.path ?? row.name,
    });
  }
  return urls;
}

function hostIdsOf(urls: Iterable<ClickUrl>): Map<string, number> {
  const ids = new Map<string, number>();
  for (const url of urls) {
    if (url.host === undefined) continue;
    const known = ids.get(url.host);
    if (known === undefined || url.idaction < known) ids.set(url.host, url.idaction);
  }
  return ids;
}

/** Metrics per clicked URL for every site and period, keyed by `cellKey` then `log_action` id. */
function queryClickMetrics(
  db: Db,
  scope: ReportScope,
  kind: ClickKind,
  segment: SegmentFilter,
): Promise<Map<string, Map<number, ClickMetrics>>> {
  if (!scope.archives || segment !== ALL_VISITS) return clickMetricsFromLogs(db, scope, kind, segment);
  return sumCellArchives(
    db,
    scope,
    `clicks/${kind}`,
    (days) => clickMetricsFromLogs(db, days, kind, ALL_VISITS),
    addCounts,
  );
}

/** Visits and unique visitors per local day on a longer period (`visitDay`, `visitorDay`), as Matomo sums days. */
async function clickMetricsFromLogs(
  db: Db,
  scope: ReportScope,
  kind: ClickKind,
  segment: SegmentFilter,
): Promise<Map<string, Map<number, ClickMetrics>>> {
  const cells = new Map<string, Map<number, ClickMetrics>>();
  if (scope.sites.length === 0) return cells;
  const clicks = db
    .selectFrom('log_link_visit_action')
    .select(['idsite', 'idaction_url', 'time_spent'])
    .select([
      periodIndex(scope.sites, 'idsite', 'server_time').as('period'),
      visitDay(scope, 'idsite', 'idvisit', 'server_time').as('visit'),
      visitorDay(scope, 'idsite', 'visitor_id', 'server_time').as('visitor'),
    ])
    .where('action_type', '=', kind)
    .where(inPeriods(scope.sites, 'idsite', 'server_time'))
    .where(segment.visitIds('idvisit'));
  const rows = await db
    .selectFrom(clicks.as('c'))
    .select((eb) => [
      'c.idsite',
      'c.period',
      'c.idaction_url',
      eb.fn.countAll().as('nb_hits'),
      eb.fn.count('c.visit').distinct().as('nb_visits'),
      eb.fn.count('c.visitor').distinct().as('nb_uniq_visitors'),
      eb.fn.sum('c.time_spent').as('sum_time_spent'),
    ])
    .groupBy(['c.idsite', 'c.period', 'c.idaction_url'])
    .execute();
  for (const row of rows) {
    const cell = cellKey(toNumber(row.idsite), toNumber(row.period));
    const urls = cells.get(cell) ?? new Map<number, ClickMetrics>();
    cells.set(cell, urls);
    urls.set(row.idaction_url, {
      nb_visits: toNumber(row.nb_visits),
      nb_uniq_visitors: toNumber(row.nb_uniq_visitors),
      nb_hits: toNumber(row.nb_hits),
      sum_time_spent: toNumber(row.sum_time_spent),
    });
  }
  return cells;
}

/** A host's row sums its URLs' visits, hits and time, as Matomo's archiver sums a subtable. */
function groupByHost(
  clicks: ReadonlyMap<number, ClickMetrics>,
  urls: ReadonlyMap<number, ClickUrl>,
  hostIds: ReadonlyMap<string, number>,
): { groups: HostGroup[]; loose: { url: ClickUrl; metrics: ClickMetrics }[] } {
  const groups = new Map<string, HostGroup>();
  const loose: { url: ClickUrl; metrics: ClickMetrics }[] = [];
  for (const [idaction, metrics] of clicks) {
    const url = urls.get(idaction);
    if (!url) continue;
    const idsubdatatable = url.host === undefined ? undefined : hostIds.get(url.host);
    if (url.host === undefined || idsubdatatable === undefined) {
      loose.push({ url, metrics });
      continue;
    }
    let group = groups.get(url.host);
    if (!group) {
      group = {
        host: url.host,
        idsubdatatable,
        urls: [],
        totals: { nb_visits: 0, nb_uniq_visitors: 0, nb_hits: 0, sum_time_spent: 0 },
      };
      groups.set(url.host, group);
    }
    group.urls.push({ url, metrics });
    group.totals.nb_visits += metrics.nb_visits;
    group.totals.nb_hits += metrics.nb_hits;
    group.totals.sum_time_spent += metrics.sum_time_spent;
  }
  return { groups: [...groups.values()], loose };
}

interface RenderOptions {
  kind: ClickKind;
  window: RowWindow;
  /** A longer period than a day (see `dailyActionUniques`). */
  daily: boolean;
}

function renderUrls(urls: HostGroup['urls'], options: RenderOptions): ClickUrlRow[] {
  const rows = sortRows(urls.map(({ url, metrics }) => ({ label: url.path, metrics, url })));
  return windowRows(rows, options.window).map((row) => urlRow(row.url, row.label, row.metrics, options));
}

/** Matomo's flattener joins the host and the path with `/`, dropping the path's own leading slash. */
function renderFlat(
  groups: readonly HostGroup[],
  loose: readonly { url: ClickUrl; metrics: ClickMetrics }[],
  options: RenderOptions,
): ClickUrlRow[] {
  const rows = sortRows([
    ...groups.flatMap((group) =>
      group.urls.map(({ url, metrics }) => ({ label: `${group.host}/${url.path.slice(1)}`, metrics, url })),
    ),
    ...loose.map(({ url, metrics }) => ({ label: url.url, metrics, url })),
  ]);
  return windowRows(rows, options.window).map((row) => urlRow(row.url, row.label, row.metrics, options));
}

function urlRow(
  url: ClickUrl,
  label: string,
  metrics: ClickMetrics,
  { kind, daily }: RenderOptions,
): ClickUrlRow {
  return {
    label,
    nb_visits: metrics.nb_visits,
    ...(daily ? {} : { nb_uniq_visitors: metrics.nb_uniq_visitors }),
    nb_hits: metrics.nb_hits,
    sum_time_spent: metrics.sum_time_spent,
    ...(daily ? { sum_daily_nb_uniq_visitors: metrics.nb_uniq_visitors } : {}),
    url: url.url,
    segment: `${SEGMENT[kind]}==${phpUrlEncode(phpUrlEncode(url.url))}`,
  };
}

/** Visits descending, then hits descending, then label: the same order on every request. */
function sortRows<T extends { label: string; metrics: ClickMetrics }>(rows: T[]): T[] {
  return rows.sort(
    (a, b) =>
      b.metrics.nb_visits - a.metrics.nb_visits ||
      b.metrics.nb_hits - a.metrics.nb_hits ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
}
