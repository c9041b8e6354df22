import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import { dailyActionUniques } from './action-uniques';
import type { AnalyticsContext, ResultOf } from './context';
import { type MetricsFormat, readMetricsFormat } from './metric-format';
import { queryPageMetrics } from './page-url-metrics';
import { buildTree, findFolder, loadTreeActions, type TreeNode } from './page-url-tree';
import { flatPageLabel, pageRowColumns } from './page-urls';
import { resolveReportScope, shapeResult } from './report-scope';
import { type RowWindow, readFlag, readPositiveInteger, readRowWindow, windowRows } from './request-params';
import { scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

type LandingPageUrlRow = components['schemas']['LandingPageUrlRow'];

/** Entries or exits: which end of the visit a row of the report counts. */
type Landing = 'entry' | 'exit';

const METHOD: Record<Landing, string> = {
  entry: 'Actions.getEntryPageUrls',
  exit: 'Actions.getExitPageUrls',
};

interface RenderOptions {
  landing: Landing;
  mainUrl: string;
  expanded: boolean;
  window: RowWindow;
  daily: boolean;
  format: MetricsFormat;
}

/**
 * `Actions.getEntryPageUrls`: Matomo's `getPageUrls` with every row that no visit entered by
 * removed, at every depth (its `filterNonEntryActions`), with the same columns (the entry ones
 * among them: unique visitors, actions and visit length of the visits that entered there).
 * Pages link to an `entryPageUrl==` segment, folders keep `pageUrl=^`.
 */
export function getEntryPageUrls(context: AnalyticsContext): Promise<ResultOf<'Actions.getEntryPageUrls'>> {
  return getLandingPageUrls(context, 'entry');
}

/** `Actions.getExitPageUrls`: the same for the pages visits left from (`exitPageUrl==`). */
export function getExitPageUrls(context: AnalyticsContext): Promise<ResultOf<'Actions.getExitPageUrls'>> {
  return getLandingPageUrls(context, 'exit');
}

async function getLandingPageUrls(
  context: AnalyticsContext,
  landing: Landing,
): Promise<ResultOf<'Actions.getEntryPageUrls'>> {
  const { params, db } = context;
  const window = readRowWindow(params);
  const expanded = readFlag(params, 'expanded');
  const flat = readFlag(params, 'flat');
  const idSubtable = readPositiveInteger(params, 'idSubtable');
  const scope = await resolveReportScope(context);
  if (idSubtable !== undefined) await checkFolder(db, idSubtable, landing);

  const cells = await queryPageMetrics(db, scope, scopeSegment(params, scope));
  const pageIds = new Set<number>();
  for (const pages of cells.values()) for (const id of pages.keys()) pageIds.add(id);
  const actions = await loadTreeActions(db, pageIds);

  return shapeResult(scope, ({ site }, period): LandingPageUrlRow[] => {
    const pages = cells.get(cellKey(site.idsite, period));
    if (!pages) return [];
    let nodes = keepLanding(buildTree(pages, actions), landing);
    if (idSubtable !== undefined) nodes = findFolder(nodes, idSubtable)?.children ?? [];
    const options = {
      landing,
      mainUrl: site.mainUrl,
      expanded,
      window,
      daily: dailyActionUniques(scope),
      format: readMetricsFormat(params),
    };
    return flat ? renderFlat(nodes, options) : renderTable(nodes, options);
  });
}

async function checkFolder(db: Db, idSubtable: number, landing: Landing): Promise<void> {
  const folder = await db
    .selectFrom('log_action')
    .select('idaction')
    .where('idaction', '=', idSubtable)
    .where('type', '=', 'folder')
    .executeTakeFirst();
  if (!folder)
    throw new MatomoApiError(`The subtable idSubtable=${idSubtable} does not exist in ${METHOD[landing]}.`);
}

/** Matomo's ColumnCallbackDeleteRow on `entry_nb_visits` (`exit_nb_visits`): every level of the tree. */
function keepLanding(nodes: readonly TreeNode[], landing: Landing): TreeNode[] {
  return nodes
    .filter((node) => (landing === 'entry' ? node.metrics.entry_nb_visits : node.metrics.exit_nb_visits) > 0)
    .map((node) => ({ ...node, children: keepLanding(node.children, landing) }));
}

function renderTable(nodes: readonly TreeNode[], options: RenderOptions): LandingPageUrlRow[] {
  return windowRows(sortNodes(nodes), options.window).map((node) => {
    const row = renderRow(node, node.label, options);
    if (options.expanded && node.action.type === 'folder') row.subtable = renderTable(node.children, options);
    return row;
  });
}

function renderFlat(nodes: readonly TreeNode[], options: RenderOptions): LandingPageUrlRow[] {
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

/** The row of `Actions.getPageUrls`, with the landing segment on pages. */
function renderRow(node: TreeNode, label: string, options: RenderOptions): LandingPageUrlRow {
  const row: LandingPageUrlRow = { ...pageRowColumns(node, label, options), segment: '' };
  const url = `${options.mainUrl}${node.action.name}`;
  if (node.action.type === 'folder') {
    row.segment = `pageUrl=^${segmentValue(url)}`;
    row.idsubdatatable = node.action.idaction;
    return row;
  }
  // Matomo's order: the URL, then the segment.
  const { segment: _segment, ...columns } = row;
  return { ...columns, url, segment: `${options.landing}PageUrl==${segmentValue(url)}` };
}

/** Matomo URL-encodes segment values inside the already URL-encoded segment parameter. */
function segmentValue(value: string): string {
  return encodeURIComponent(encodeURIComponent(value));
}

function sortNodes(nodes: readonly TreeNode[]): TreeNode[] {
  return [...nodes].sort((a, b) => compareNodes(a, b, a.label, b.label));
}

/** Visits descending, then page views, then label: the order of `Actions.getPageUrls`. */
function compareNodes(a: TreeNode, b: TreeNode, labelA: string, labelB: string): number {
  return (
    b.metrics.nb_visits - a.metrics.nb_visits ||
    b.metrics.nb_hits - a.metrics.nb_hits ||
    (labelA < labelB ? -1 : labelA > labelB ? 1 : a.action.idaction - b.action.idaction)
  );
}
