import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AnalyticsContext, ResultOf } from './context';
import { percent, quotient, toNumber } from './metrics';
import { pageFolder } from './page-path';
import { queryPageMetrics } from './page-url-metrics';
import { buildTree, findFolder, loadTreeActions, type TreeNode } from './page-url-tree';
import { inPeriods, periodIndex } from './period-buckets';
import { type ReportScope, resolveReportScope, shapeResult } from './report-scope';
import { type RowWindow, readFlag, readPositiveInteger, readRowWindow, windowRows } from './request-params';
import { type SegmentFilter, scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

type LandingPageUrlRow = components['schemas']['LandingPageUrlRow'];

/** Entries or exits: which end of the visit a row of the report counts. */
type Landing = 'entry' | 'exit';

const METHOD: Record<Landing, string> = {
  entry: 'Actions.getEntryPageUrls',
  exit: 'Actions.getExitPageUrls',
};

/** The per-visit metrics of the landing pages that the page URL report lacks. */
interface LandingMetrics {
  entry_nb_uniq_visitors: number;
  entry_nb_actions: number;
  entry_sum_visit_length: number;
  exit_nb_uniq_visitors: number;
}

interface RenderOptions {
  landing: Landing;
  mainUrl: string;
  expanded: boolean;
  window: RowWindow;
  extras: ReadonlyMap<number, LandingMetrics>;
}

/**
 * `Actions.getEntryPageUrls`: Matomo's `getPageUrls` with every row that no visit entered by
 * removed, at every depth (its `filterNonEntryActions`), and the entry columns of its
 * `Actions_actions_url` archive: unique visitors, actions and visit length of the visits that
 * entered there. Pages link to an `entryPageUrl==` segment, folders keep `pageUrl=^`.
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

  const segment = scopeSegment(params, scope);
  const cells = await queryPageMetrics(db, scope, segment);
  const landingCells = await queryLandingMetrics(db, scope, segment);
  const pageIds = new Set<number>();
  for (const pages of cells.values()) for (const id of pages.keys()) pageIds.add(id);
  const actions = await loadTreeActions(db, pageIds);

  return shapeResult(scope, ({ site }, period): LandingPageUrlRow[] => {
    const cell = cellKey(site.idsite, period);
    const pages = cells.get(cell);
    if (!pages) return [];
    let nodes = keepLanding(buildTree(pages, actions), landing);
    if (idSubtable !== undefined) nodes = findFolder(nodes, idSubtable)?.children ?? [];
    const options = {
      landing,
      mainUrl: site.mainUrl,
      expanded,
      window,
      extras: landingCells.get(cell) ?? new Map(),
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

/** Entry and exit metrics per visit of every landing page, keyed by `cellKey` then page id. */
async function queryLandingMetrics(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<Map<string, Map<number, LandingMetrics>>> {
  const cells = new Map<string, Map<number, LandingMetrics>>();
  if (scope.sites.length === 0) return cells;
  const metricsOf = (idsite: unknown, period: unknown, idaction: number): LandingMetrics => {
    const cell = cellKey(toNumber(idsite), toNumber(period));
    const pages = cells.get(cell) ?? new Map<number, LandingMetrics>();
    cells.set(cell, pages);
    let metrics = pages.get(idaction);
    if (!metrics) {
      metrics = {
        entry_nb_uniq_visitors: 0,
        entry_nb_actions: 0,
        entry_sum_visit_length: 0,
        exit_nb_uniq_visitors: 0,
      };
      pages.set(idaction, metrics);
    }
    return metrics;
  };
  const visits = db
    .selectFrom('log_visit')
    .select([
      'idsite',
      'visitor_id',
      'entry_idaction_url',
      'exit_idaction_url',
      'visit_total_actions',
      'visit_total_time',
    ])
    .select(periodIndex(scope.sites, 'idsite', 'visit_last_action_time').as('period'))
    .where(inPeriods(scope.sites, 'idsite', 'visit_last_action_time'))
    .where(segment.visits('log_visit'));
  const entries = await db
    .selectFrom(visits.as('v'))
    .select((eb) => [
      'v.idsite',
      'v.period',
      'v.entry_idaction_url',
      eb.fn.count('v.visitor_id').distinct().as('uniq'),
      eb.fn.sum('v.visit_total_actions').as('actions'),
      eb.fn.sum('v.visit_total_time').as('length'),
    ])
    .where('v.entry_idaction_url', 'is not', null)
    .groupBy(['v.idsite', 'v.period', 'v.entry_idaction_url'])
    .execute();
  for (const row of entries) {
    if (row.entry_idaction_url === null) continue;
    const metrics = metricsOf(row.idsite, row.period, row.entry_idaction_url);
    metrics.entry_nb_uniq_visitors = toNumber(row.uniq);
    metrics.entry_nb_actions = toNumber(row.actions);
    metrics.entry_sum_visit_length = toNumber(row.length);
  }
  const exits = await db
    .selectFrom(visits.as('v'))
    .select((eb) => [
      'v.idsite',
      'v.period',
      'v.exit_idaction_url',
      eb.fn.count('v.visitor_id').distinct().as('uniq'),
    ])
    .where('v.exit_idaction_url', 'is not', null)
    .groupBy(['v.idsite', 'v.period', 'v.exit_idaction_url'])
    .execute();
  for (const row of exits) {
    if (row.exit_idaction_url === null) continue;
    metricsOf(row.idsite, row.period, row.exit_idaction_url).exit_nb_uniq_visitors = toNumber(row.uniq);
  }
  return cells;
}

/** A folder's entry actions and visit length sum its pages', as Matomo's archiver sums a subtable. */
function landingOf(node: TreeNode, extras: ReadonlyMap<number, LandingMetrics>): LandingMetrics {
  if (node.action.type === 'page') {
    return (
      extras.get(node.action.idaction) ?? {
        entry_nb_uniq_visitors: 0,
        entry_nb_actions: 0,
        entry_sum_visit_length: 0,
        exit_nb_uniq_visitors: 0,
      }
    );
  }
  const sum: LandingMetrics = {
    entry_nb_uniq_visitors: 0,
    entry_nb_actions: 0,
    entry_sum_visit_length: 0,
    exit_nb_uniq_visitors: 0,
  };
  for (const child of node.children) {
    const metrics = landingOf(child, extras);
    sum.entry_nb_actions += metrics.entry_nb_actions;
    sum.entry_sum_visit_length += metrics.entry_sum_visit_length;
  }
  return sum;
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
      else pages.push({ node, label: `${(pageFolder(node.action.name) ?? '/').slice(0, -1)}${node.label}` });
    }
  };
  collect(nodes);
  pages.sort((a, b) => compareNodes(a.node, b.node, a.label, b.label));
  return windowRows(pages, options.window).map(({ node, label }) => renderRow(node, label, options));
}

/**
 * Matomo's columns in its order: the page's own, then the landing ones. Unique visitors are
 * not summed into folders, as Matomo leaves them out of folder rows.
 */
function renderRow(node: TreeNode, label: string, options: RenderOptions): LandingPageUrlRow {
  const m = node.metrics;
  const isPage = node.action.type === 'page';
  const landing = landingOf(node, options.extras);
  const own = {
    nb_visits: m.nb_visits,
    nb_uniq_visitors: m.nb_uniq_visitors,
    nb_hits: m.nb_hits,
    sum_time_spent: m.sum_time_spent,
  };
  const rates = {
    avg_time_on_page: quotient(m.sum_time_spent, m.nb_visits),
    bounce_rate: percent(m.entry_bounce_count, m.entry_nb_visits),
    exit_rate: percent(m.exit_nb_visits, m.nb_visits),
  };
  const row: LandingPageUrlRow =
    options.landing === 'entry'
      ? {
          label,
          ...own,
          ...(isPage ? { entry_nb_uniq_visitors: landing.entry_nb_uniq_visitors } : {}),
          entry_nb_visits: m.entry_nb_visits,
          entry_nb_actions: landing.entry_nb_actions,
          entry_sum_visit_length: landing.entry_sum_visit_length,
          entry_bounce_count: m.entry_bounce_count,
          exit_nb_visits: m.exit_nb_visits,
          ...rates,
          segment: '',
        }
      : {
          label,
          ...own,
          entry_nb_visits: m.entry_nb_visits,
          entry_bounce_count: m.entry_bounce_count,
          ...(isPage ? { exit_nb_uniq_visitors: landing.exit_nb_uniq_visitors } : {}),
          exit_nb_visits: m.exit_nb_visits,
          ...rates,
          segment: '',
        };
  const url = `${options.mainUrl}${node.action.name}`;
  if (!isPage) {
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
