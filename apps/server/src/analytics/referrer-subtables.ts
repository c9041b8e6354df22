import type { components } from '@matomo-oauth2/sdk/openapi';
import { type RawBuilder, sql } from 'kysely';
import type { ReferrerType } from '../db/analytics.schema';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { phpUrlEncode } from './php-url-encode';
import {
  KEYWORD_NOT_DEFINED,
  pathAndQuery,
  REPORTS,
  SEARCH_ENGINE_HOSTS,
  subtableIds,
} from './referrer-dimension-reports';
import { resolveReportScope, shapeResult } from './report-scope';
import { readPositiveInteger, requireParam } from './request-params';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import type { VisitMetrics } from './visit-metrics';
import { byCell, cellKey } from './visit-metrics';

type ReferrerDimensionRow = components['schemas']['ReferrerDimensionRow'];
type SubtableResult = ResultOf<'Referrers.getUrlsFromWebsiteId'>;

/** Matomo's `getBackLinkFromUrlAndKeyword` for a keyword not defined: its FAQ, with its campaign parameters. */
const KEYWORD_NOT_DEFINED_FAQ =
  'https://matomo.org/faq/general/faq_144?mtm_campaign=Matomo_App&mtm_source=Matomo_App_OnPremise&mtm_medium=App.API.index';

/** The `backlink` of each engine's first entry in Matomo's SearchEngines.yml; `{k}` is the keyword. */
const SEARCH_ENGINE_BACKLINKS: Readonly<Record<string, string>> = {
  Google: 'search?q={k}',
  Bing: 'search?q={k}',
  DuckDuckGo: '?q={k}',
  Ecosia: 'search?q={k}',
  'Yahoo!': 'search?p={k}',
};

/** The `log_visit` value one level of a referrer report groups by. */
type Field = 'name' | 'keyword' | 'url';

function column(field: Field): RawBuilder<string> {
  switch (field) {
    case 'name':
      return sql<string>`coalesce(referrer_name, '')`;
    case 'keyword':
      return sql<string>`coalesce(referrer_keyword, '')`;
    case 'url':
      return sql<string>`coalesce(referrer_url, '')`;
  }
}

/** `Referrers.getUrlsFromWebsiteId`: the referrer URLs of one website (a `getWebsites` row's `idsubdatatable`). */
export async function getUrlsFromWebsiteId(
  context: AnalyticsContext,
): Promise<ResultOf<'Referrers.getUrlsFromWebsiteId'>> {
  const parent = await parentValue(context, 'Referrers.getWebsites');
  return subtableRows(context, { type: 'website', parent, sub: 'url' }, (rows) =>
    groupByPath(rows).map(({ url, metrics }) => ({
      ...withoutSegment(visitMetricsRow(pathAndQuery(url), metrics, '')),
      url,
      segment: `referrerUrl==${phpUrlEncode(url)}`,
    })),
  );
}

/** `Referrers.getKeywordsFromSearchEngineId`: the keywords of one search engine, each with its results page. */
export async function getKeywordsFromSearchEngineId(
  context: AnalyticsContext,
): Promise<ResultOf<'Referrers.getKeywordsFromSearchEngineId'>> {
  const engine = await parentValue(context, 'Referrers.getSearchEngines');
  return subtableRows(context, { type: 'search', parent: engine, sub: 'keyword' }, (rows) =>
    rows.map(({ value: keyword, metrics }) => {
      const row: ReferrerDimensionRow =
        keyword === ''
          ? withoutSegment(visitMetricsRow(KEYWORD_NOT_DEFINED, metrics, ''))
          : visitMetricsRow(
              keyword,
              metrics,
              `referrerName==${engine};referrerType==search;referrerKeyword==${phpUrlEncode(keyword)}`,
            );
      const url = engine === undefined ? undefined : backlink(engine, keyword);
      return url === undefined ? row : { ...row, url };
    }),
  );
}

/** `Referrers.getSearchEnginesFromKeywordId`: the search engines that sent one keyword (a `getKeywords` row's id). */
export async function getSearchEnginesFromKeywordId(
  context: AnalyticsContext,
): Promise<ResultOf<'Referrers.getSearchEnginesFromKeywordId'>> {
  const keyword = await parentValue(context, 'Referrers.getKeywords');
  return subtableRows(context, { type: 'search', parent: keyword, sub: 'name' }, (rows) =>
    rows.map(({ value: engine, metrics }) => {
      const host = SEARCH_ENGINE_HOSTS[engine];
      const row: ReferrerDimensionRow = visitMetricsRow(
        engine,
        metrics,
        `referrerKeyword==${keyword};referrerType==search;referrerName==${phpUrlEncode(engine)}`,
      );
      const url = keyword === undefined ? undefined : backlink(engine, keyword);
      return {
        ...row,
        ...(url === undefined ? {} : { url }),
        logo: `plugins/Morpheus/icons/dist/searchEngines/${host ?? 'xx'}.png`,
      };
    }),
  );
}

/** `Referrers.getKeywordsFromCampaignId`: the keywords of one campaign (a `getCampaigns` row's id). */
export async function getKeywordsFromCampaignId(
  context: AnalyticsContext,
): Promise<ResultOf<'Referrers.getKeywordsFromCampaignId'>> {
  const campaign = await parentValue(context, 'Referrers.getCampaigns');
  return subtableRows(context, { type: 'campaign', parent: campaign, sub: 'keyword' }, (rows) =>
    rows
      // Matomo's archiver leaves a campaign's empty keyword out of its subtable.
      .filter(({ value }) => value !== '')
      .map(({ value: keyword, metrics }) =>
        visitMetricsRow(
          keyword,
          metrics,
          `referrerName==${campaign};referrerType==campaign;referrerKeyword==${phpUrlEncode(keyword)}`,
        ),
      ),
  );
}

/**
 * `Referrers.getUrlsForSocial`: the referrer URLs of one social network (a `getSocials` row's
 * id), or of all of them without `idSubtable`; the label without its scheme, the URL in `url`.
 */
export async function getUrlsForSocial(
  context: AnalyticsContext,
): Promise<ResultOf<'Referrers.getUrlsForSocial'>> {
  const id = readPositiveInteger(context.params, 'idSubtable');
  const parent = id === undefined ? null : await valueOfId(context, 'Referrers.getSocials', id);
  return subtableRows(context, { type: 'social', parent, sub: 'url' }, (rows) =>
    rows.map(({ value: url, metrics }) => ({
      ...visitMetricsRow(url.replace(/^[a-zA-Z_-]+:\/\//, ''), metrics, `referrerUrl==${phpUrlEncode(url)}`),
      url,
    })),
  );
}

type ParentReport =
  | 'Referrers.getWebsites'
  | 'Referrers.getSearchEngines'
  | 'Referrers.getKeywords'
  | 'Referrers.getCampaigns'
  | 'Referrers.getSocials';

/** The top-level value whose subtable `idSubtable` names; undefined when no row has that id. */
async function parentValue(context: AnalyticsContext, report: ParentReport): Promise<string | undefined> {
  requireParam(context.params, 'idSubtable');
  const id = readPositiveInteger(context.params, 'idSubtable') ?? 0;
  return valueOfId(context, report, id);
}

async function valueOfId(
  context: AnalyticsContext,
  report: ParentReport,
  id: number,
): Promise<string | undefined> {
  const ids = await subtableIds(context.db, REPORTS[report]);
  return [...ids].find(([, rowId]) => rowId === id)?.[0];
}

interface SubtableQuery {
  type: ReferrerType;
  /** The parent row's value; `null` for every parent; undefined for an unknown id (no rows). */
  parent: string | null | undefined;
  sub: Field;
}

interface ValueMetrics {
  value: string;
  metrics: VisitMetrics;
}

/**
 * The visits of one parent row, grouped by the subtable's field, in Matomo's report order (visits
 * descending), turned into rows per site and period. An unknown `idSubtable` gives empty tables,
 * as Matomo's archive does.
 */
async function subtableRows(
  context: AnalyticsContext,
  query: SubtableQuery,
  toRows: (rows: ValueMetrics[]) => ReferrerDimensionRow[],
): Promise<SubtableResult> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const parentColumn = query.type === 'search' && query.sub === 'name' ? column('keyword') : column('name');
  const groups =
    query.parent === undefined
      ? []
      : await queryVisitGroups(context.db, scope, {
          by: column(query.sub),
          segment,
          dailyUniques: true,
          // Matomo enriches only a campaign's keywords with conversions.
          goals: query.type === 'campaign',
          where:
            query.parent === null
              ? sql<boolean>`referrer_type = ${query.type}`
              : sql<boolean>`referrer_type = ${query.type} and ${parentColumn} = ${query.parent}`,
        });
  const cells = byCell(groups);
  return shapeResult(scope, ({ site }, period) => {
    const rows = (cells.get(cellKey(site.idsite, period)) ?? [])
      .map((group) => ({ value: String(group.key ?? ''), metrics: group.metrics }))
      .sort(byVisitsThenValue);
    return toRows(rows).sort(byVisitsThenLabel);
  });
}

/**
 * Matomo's `GroupBy` on `getPathFromUrl`: URLs with the same path and query become one row, with
 * the summed metrics (the largest `max_actions`) and the URL of the first.
 */
function groupByPath(rows: readonly ValueMetrics[]): { url: string; metrics: VisitMetrics }[] {
  const byPath = new Map<string, { url: string; metrics: VisitMetrics }>();
  for (const { value, metrics } of rows) {
    const path = pathAndQuery(value);
    const seen = byPath.get(path);
    if (!seen) {
      byPath.set(path, { url: value, metrics: { ...metrics } });
      continue;
    }
    seen.metrics = {
      ...seen.metrics,
      nb_uniq_visitors: seen.metrics.nb_uniq_visitors + metrics.nb_uniq_visitors,
      nb_visits: seen.metrics.nb_visits + metrics.nb_visits,
      nb_actions: seen.metrics.nb_actions + metrics.nb_actions,
      max_actions: Math.max(seen.metrics.max_actions, metrics.max_actions),
      sum_visit_length: seen.metrics.sum_visit_length + metrics.sum_visit_length,
      bounce_count: seen.metrics.bounce_count + metrics.bounce_count,
    };
  }
  return [...byPath.values()]
    .map(({ url, metrics }) => ({ value: url, metrics }))
    .sort(byVisitsThenValue)
    .map(({ value, metrics }) => ({ url: value, metrics }));
}

/** Matomo's report order, visits descending, then the value, so that ties come out the same way. */
function byVisitsThenValue(a: ValueMetrics, b: ValueMetrics): number {
  return b.metrics.nb_visits - a.metrics.nb_visits || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

function withoutSegment<T extends { segment?: string }>(row: T): Omit<T, 'segment'> {
  const { segment: _segment, ...rest } = row;
  return rest;
}

/**
 * Matomo's `getBackLinkFromUrlAndKeyword`: the engine's results page for the keyword (its
 * `urlencode`, with `+` kept a space), its FAQ for a keyword not defined, none for an engine
 * without a backlink.
 */
function backlink(engine: string, keyword: string): string | undefined {
  if (keyword === '') return KEYWORD_NOT_DEFINED_FAQ;
  const host = SEARCH_ENGINE_HOSTS[engine];
  const path = SEARCH_ENGINE_BACKLINKS[engine];
  if (host === undefined || path === undefined) return undefined;
  const encoded = phpUrlEncode(keyword).replaceAll('%2B', '+');
  return `http://${host}/${path.replace('{k}', encoded)}`;
}
