import type { components } from '@matomo-oauth2/sdk/openapi';
import { MatomoApiError } from '../errors/matomo-api-error';
import { dailyActionUniques, sumDailyColumns } from './action-uniques';
import type { AnalyticsContext, ResultOf } from './context';
import { type MetricsFormat, rate, readMetricsFormat } from './metric-format';
import { quotient } from './metrics';
import { pageFolder } from './page-path';
import { queryPageMetrics } from './page-url-metrics';
import { buildTree, findFolder, loadTreeActions, type TreeNode } from './page-url-tree';
import { resolveReportScope, shapeResult } from './report-scope';
import { type RowWindow, readFlag, readPositiveInteger, readRowWindow, windowRows } from './request-params';
import { scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

type PageUrlRow = components['schemas']['PageUrlRow'];

/** Matomo's `action_default_name`: the label of a URL ending in a slash. */
const DEFAULT_ACTION_NAME = 'index';

interface RenderOptions {
  mainUrl: string;
  expanded: boolean;
  window: RowWindow;
  /** A longer period than a day: unique visitors as `sum_daily_*` (see `dailyActionUniques`). */
  daily: boolean;
  format: MetricsFormat;
}

/**
 * `Actions.getPageUrls`: the page URL tree. Top-level rows are folders (with `idsubdatatable`,
 * the folder's `log_action` id, stable across requests, periods and sites) and pages;
 * `idSubtable` gives one folder's rows, `expanded=1` nests them, `flat=1` lists every page once
 * with its full path as label (`flatPageLabel`). Rows are sorted by visits (then label);
 * `filter_limit` and `filter_offset` apply to every table, nested ones included.
 */
export async function getPageUrls(context: AnalyticsContext): Promise<ResultOf<'Actions.getPageUrls'>> {
  const { params, db } = context;
  const window = readRowWindow(params);
  const expanded = readFlag(params, 'expanded');
  const flat = readFlag(params, 'flat');
  const idSubtable = readPositiveInteger(params, 'idSubtable');
  const scope = await resolveReportScope(context);
  if (idSubtable !== undefined) await checkFolder(context, idSubtable);

  const cells = await queryPageMetrics(db, scope, scopeSegment(params, scope));
  const pageIds = new Set<number>();
  for (const pages of cells.values()) for (const id of pages.keys()) pageIds.add(id);
  const actions = await loadTreeActions(db, pageIds);

  return shapeResult(scope, ({ site }, period): PageUrlRow[] => {
    const pages = cells.get(cellKey(site.idsite, period));
    if (!pages) return [];
    let nodes = buildTree(pages, actions);
    if (idSubtable !== undefined) nodes = findFolder(nodes, idSubtable)?.children ?? [];
    const options = {
      mainUrl: site.mainUrl,
      expanded,
      window,
      daily: dailyActionUniques(scope),
      format: readMetricsFormat(params),
    };
    return flat ? renderFlat(nodes, options) : renderTable(nodes, options);
  });
}

async function checkFolder(context: AnalyticsContext, idSubtable: number): Promise<void> {
  const folder = await context.db
    .selectFrom('log_action')
    .select('idaction')
    .where('idaction', '=', idSubtable)
    .where('type', '=', 'folder')
    .executeTakeFirst();
  if (!folder)
    throw new MatomoApiError(`The subtable idSubtable=${idSubtable} does not exist in Actions.getPageUrls.`);
}

function renderTable(nodes: readonly TreeNode[], options: RenderOptions): PageUrlRow[] {
  return windowRows(sortNodes(nodes), options.window).map((node) => {
    const row = renderRow(node, node.label, options);
    if (options.expanded && node.action.type === 'folder') row.subtable = renderTable(node.children, options);
    return row;
  });
}

function renderFlat(nodes: readonly TreeNode[], options: RenderOptions): PageUrlRow[] {
  const pages: { node: TreeNode; label: string }[] = [];
  const collect = (level: readonly TreeNode[]): void => {
    for (const node of level) {
      if (node.action.type === 'folder') collect(node.children);
      else pages.push({ node, label: flatPageLabel(node) });
    }
  };
  collect(nodes);
  pages.sort((a, b) => compareNodes(a.node, b.node, a.label, b.label));
  return windowRows(pages, options.window).map(({ node, label }) => renderRow(node, label, options));
}

/**
 * The page's folders and its own label: `/blog/2026/post`. Matomo's Actions filter drops the
 * default action name from a flattened label ending in `/index`, so a folder's own page reads
 * `/blog/` and the home page `/` (plugins/Actions/DataTable/Filter/Actions.php, `$isFlattening`);
 * the tree keeps `/index`.
 */
export function flatPageLabel(page: TreeNode): string {
  const label = `${(pageFolder(page.action.name) ?? '/').slice(0, -1)}${page.label}`;
  return label.endsWith(`/${DEFAULT_ACTION_NAME}`) ? label.slice(0, -DEFAULT_ACTION_NAME.length) : label;
}

function renderRow(node: TreeNode, label: string, options: RenderOptions): PageUrlRow {
  const url = `${options.mainUrl}${node.action.name}`;
  const row = pageRowColumns(node, label, options);
  if (node.action.type === 'folder') {
    row.idsubdatatable = node.action.idaction;
    row.segment = `pageUrl=^${segmentValue(url)}`;
  } else {
    row.url = url;
    row.segment = `pageUrl==${segmentValue(url)}`;
  }
  return row;
}

/**
 * A row's metrics in Matomo's column order. Folders have no unique visitor counts (Matomo deletes
 * the summed ones: `ArchivingHelper::deleteInvalidSummedColumnsFromDataTable`); a page has its
 * entry (exit) count when visits entered (left) there, as Matomo's row has the column only then,
 * and on a longer period has them as `sum_daily_*` after the summed columns. The rates are
 * Matomo's `BounceRate` and `ExitRate` of plugins/Actions: quotients to two decimals, written as
 * `format_metrics` asks (`rate`).
 */
export function pageRowColumns(
  node: TreeNode,
  label: string,
  { daily, format }: { daily: boolean; format: MetricsFormat },
): Omit<PageUrlRow, 'subtable'> {
  const m = node.metrics;
  const own = node.action.type === 'page' && !daily;
  const entered = m.entry_nb_visits > 0;
  const left = m.exit_nb_visits > 0;
  return {
    label,
    nb_visits: m.nb_visits,
    ...(own ? { nb_uniq_visitors: m.nb_uniq_visitors } : {}),
    nb_hits: m.nb_hits,
    sum_time_spent: m.sum_time_spent,
    ...(own && entered ? { entry_nb_uniq_visitors: m.entry_nb_uniq_visitors } : {}),
    entry_nb_visits: m.entry_nb_visits,
    entry_nb_actions: m.entry_nb_actions,
    entry_sum_visit_length: m.entry_sum_visit_length,
    entry_bounce_count: m.entry_bounce_count,
    ...(own && left ? { exit_nb_uniq_visitors: m.exit_nb_uniq_visitors } : {}),
    exit_nb_visits: m.exit_nb_visits,
    ...(node.action.type === 'page' && daily ? sumDailyColumns(m, { entry: entered, exit: left }) : {}),
    avg_time_on_page: quotient(m.sum_time_spent, m.nb_visits),
    bounce_rate: rate(m.entry_bounce_count, m.entry_nb_visits, format),
    exit_rate: rate(m.exit_nb_visits, m.nb_visits, format),
  };
}

/** Matomo URL-encodes segment values inside the already URL-encoded segment parameter. */
function segmentValue(value: string): string {
  return encodeURIComponent(encodeURIComponent(value));
}

function sortNodes(nodes: readonly TreeNode[]): TreeNode[] {
  return [...nodes].sort((a, b) => compareNodes(a, b, a.label, b.label));
}

/** Visits descending, then page views descending, then label: the same order on every request. */
function compareNodes(a: TreeNode, b: TreeNode, labelA: string, labelB: string): number {
  return (
    b.metrics.nb_visits - a.metrics.nb_visits ||
    b.metrics.nb_hits - a.metrics.nb_hits ||
    (labelA < labelB ? -1 : labelA > labelB ? 1 : a.action.idaction - b.action.idaction)
  );
}
