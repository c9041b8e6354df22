import type { components } from '@matomo-oauth2/sdk/openapi';
import { type RawBuilder, sql } from 'kysely';
import type { ReferrerType } from '../db/analytics.schema';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { phpUrlEncode } from './php-url-encode';
import { resolveReportScope, shapeResult } from './report-scope';
import { readFlag, readPositiveInteger } from './request-params';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import type { VisitMetrics } from './visit-metrics';
import { byCell, cellKey } from './visit-metrics';

type ReferrerDimensionRow = components['schemas']['ReferrerDimensionRow'];
type VisitMetricsRow = components['schemas']['VisitMetricsRow'];

type ReportMethod =
  | 'Referrers.getWebsites'
  | 'Referrers.getSearchEngines'
  | 'Referrers.getKeywords'
  | 'Referrers.getSocials'
  | 'Referrers.getCampaigns';

/** The `log_visit` value a level of a report groups by. */
type Field = 'name' | 'keyword' | 'url';

/**
 * One report of Matomo's Referrers archiver (plugins/Referrers/RecordBuilders/Referrers.php):
 * the visits of one referrer type, by a first field, each row with a subtable by a second one.
 */
interface ReportSpec {
  method: ReportMethod;
  type: ReferrerType;
  top: Field;
  sub: Field;
  /** The separator of `flat=1` labels (Matomo's `recursiveLabelSeparator`: `/` for websites). */
  separator: string;
}

export const REPORTS: Record<ReportMethod, ReportSpec> = {
  'Referrers.getWebsites': {
    method: 'Referrers.getWebsites',
    type: 'website',
    top: 'name',
    sub: 'url',
    separator: '/',
  },
  'Referrers.getSearchEngines': {
    method: 'Referrers.getSearchEngines',
    type: 'search',
    top: 'name',
    sub: 'keyword',
    separator: ' - ',
  },
  'Referrers.getKeywords': {
    method: 'Referrers.getKeywords',
    type: 'search',
    top: 'keyword',
    sub: 'name',
    separator: ' - ',
  },
  'Referrers.getSocials': {
    method: 'Referrers.getSocials',
    type: 'social',
    top: 'name',
    sub: 'url',
    separator: ' - ',
  },
  'Referrers.getCampaigns': {
    method: 'Referrers.getCampaigns',
    type: 'campaign',
    top: 'name',
    sub: 'keyword',
    separator: ' - ',
  },
};

/** A search without keyword: Matomo's `General_NotDefined` of `General_ColumnKeyword`. */
export const KEYWORD_NOT_DEFINED = 'Keyword not defined';

/** First domain per name in Matomo's SearchEngines.yml (searchengine-and-social-list): `url` is `http://` and it. */
export const SEARCH_ENGINE_HOSTS: Readonly<Record<string, string>> = {
  Google: 'google.com',
  Bing: 'bing.com',
  DuckDuckGo: 'duckduckgo.com',
  Ecosia: 'ecosia.org',
  'Yahoo!': 'search.yahoo.com',
};

/**
 * First domain per name in Matomo's Socials.yml (`getMainUrlFromName`; names match case-sensitively,
 * and Matomo spells reddit in lower case, as the demo data does). Each has its icon in
 * matomo-icons (socials/<domain>.png), the logo `getLogoFromUrl` picks.
 */
export const SOCIAL_HOSTS: Readonly<Record<string, string>> = {
  Facebook: 'facebook.com',
  LinkedIn: 'linkedin.com',
  Mastodon: 'mastodon.social',
  reddit: 'reddit.com',
  Twitter: 'twitter.com',
};

/** `Referrers.getWebsites`: referring hosts, each with the referrer URLs in its subtable. */
export function getWebsites(context: AnalyticsContext): Promise<ResultOf<'Referrers.getWebsites'>> {
  return getReferrerDimension(context, REPORTS['Referrers.getWebsites']);
}

/** `Referrers.getSearchEngines`: search engines, each with its keywords in its subtable. */
export function getSearchEngines(context: AnalyticsContext): Promise<ResultOf<'Referrers.getSearchEngines'>> {
  return getReferrerDimension(context, REPORTS['Referrers.getSearchEngines']);
}

/** `Referrers.getKeywords`: search keywords, each with the engines that sent it in its subtable. */
export function getKeywords(context: AnalyticsContext): Promise<ResultOf<'Referrers.getKeywords'>> {
  return getReferrerDimension(context, REPORTS['Referrers.getKeywords']);
}

/** `Referrers.getSocials`: social networks, each with the referrer URLs in its subtable. */
export function getSocials(context: AnalyticsContext): Promise<ResultOf<'Referrers.getSocials'>> {
  return getReferrerDimension(context, REPORTS['Referrers.getSocials']);
}

/** `Referrers.getCampaigns`: campaign names, each with its keywords in its subtable. */
export function getCampaigns(context: AnalyticsContext): Promise<ResultOf<'Referrers.getCampaigns'>> {
  return getReferrerDimension(context, REPORTS['Referrers.getCampaigns']);
}

/**
 * A row of the report of a referrer type's own method, as Matomo labels it: the segment that
 * selects its visits, and `url` and `logo` for engines and networks. `getReferrerType` and
 * `getAll` list the same rows.
 */
export function referrerRow(type: ReferrerType, value: string, metrics: VisitMetrics): VisitMetricsRow {
  const encoded = phpUrlEncode(value);
  switch (type) {
    case 'search':
      // getReferrerType and getAll list getKeywords' rows for the search type.
      return visitMetricsRow(
        value === '' ? KEYWORD_NOT_DEFINED : value,
        metrics,
        `referrerType==search;referrerKeyword==${encoded}`,
      );
    case 'campaign':
      return visitMetricsRow(value, metrics, `referrerType==campaign;referrerName==${encoded}`);
    case 'social':
      return socialRow(value, metrics);
    default:
      return visitMetricsRow(value, metrics, `referrerName==${encoded}`);
  }
}

function topRow(spec: ReportSpec, value: string, metrics: VisitMetrics): ReferrerDimensionRow {
  if (spec.method !== 'Referrers.getSearchEngines') return referrerRow(spec.type, value, metrics);
  const host = SEARCH_ENGINE_HOSTS[value];
  return {
    ...visitMetricsRow(value, metrics, `referrerType==search;referrerName==${phpUrlEncode(value)}`),
    url: host === undefined ? 'URL unknown!' : `http://${host}`,
    logo: `plugins/Morpheus/icons/dist/searchEngines/${host ?? 'xx'}.png`,
  };
}

function socialRow(value: string, metrics: VisitMetrics): ReferrerDimensionRow {
  const host = SOCIAL_HOSTS[value];
  return {
    ...visitMetricsRow(value, metrics, `referrerType==social;referrerName==${phpUrlEncode(value)}`),
    ...(host === undefined ? {} : { url: host }),
    logo: `plugins/Morpheus/icons/dist/socials/${host ?? 'xx'}.png`,
  };
}

/** A subtable row: the label and the metrics, as Matomo's expanded subtables carry them. */
function subRow(spec: ReportSpec, value: string, metrics: VisitMetrics): VisitMetricsRow {
  const { segment: _segment, ...row } = visitMetricsRow(
    spec.sub === 'keyword' && value === '' ? KEYWORD_NOT_DEFINED : value,
    metrics,
    '',
  );
  return row;
}

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

/** A campaign without keyword has no subtable row (Matomo's archiver skips an empty keyword there). */
function subWhere(spec: ReportSpec): RawBuilder<boolean> {
  const type = sql<boolean>`referrer_type = ${spec.type}`;
  return spec.type === 'campaign' ? sql<boolean>`${type} and ${column('keyword')} != ''` : type;
}

async function getReferrerDimension(
  context: AnalyticsContext,
  spec: ReportSpec,
): Promise<ResultOf<'Referrers.getWebsites'>> {
  const { params, db } = context;
  const expanded = readFlag(params, 'expanded');
  const flat = readFlag(params, 'flat');
  const idSubtable = readPositiveInteger(params, 'idSubtable');
  const ids = await subtableIds(db, spec);
  const labelOfId = idSubtable === undefined ? undefined : [...ids].find(([, id]) => id === idSubtable)?.[0];
  if (idSubtable !== undefined && labelOfId === undefined) {
    throw new MatomoApiError(`The subtable idSubtable=${idSubtable} does not exist in ${spec.method}.`);
  }
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(params, scope);
  const where = sql<boolean>`referrer_type = ${spec.type}`;
  // A campaign row has an id only if it has keywords: its subtable is read to know.
  const withSubtables = expanded || flat || idSubtable !== undefined || spec.type === 'campaign';
  const [tops, subs] = await Promise.all([
    queryVisitGroups(db, scope, { by: column(spec.top), segment, where, dailyUniques: true, goals: true }),
    withSubtables
      ? queryVisitGroups(db, scope, {
          by: scope.dialect.jsonPair(column(spec.top), column(spec.sub)),
          segment,
          dailyUniques: true,
          // Of the subtables, Matomo enriches only a campaign's keywords with conversions.
          goals: spec.type === 'campaign',
          where: subWhere(spec),
        })
      : Promise.resolve([]),
  ]);
  const topCells = byCell(tops);
  const subCells = byCell(subs);

  return shapeResult(scope, ({ site }, period): ReferrerDimensionRow[] => {
    const cell = cellKey(site.idsite, period);
    const subtables = new Map<string, VisitMetricsRow[]>();
    for (const group of subCells.get(cell) ?? []) {
      const [top = '', sub = ''] = JSON.parse(String(group.key)) as [string, string];
      const rows = subtables.get(top) ?? [];
      rows.push(subRow(spec, sub, group.metrics));
      subtables.set(top, rows.sort(byVisitsThenLabel));
    }
    if (labelOfId !== undefined) return subtables.get(labelOfId) ?? [];
    const rows = (topCells.get(cell) ?? []).map((group) => {
      const value = String(group.key ?? '');
      const row = topRow(spec, value, group.metrics);
      const id = ids.get(value);
      if (id !== undefined && (spec.type !== 'campaign' || subtables.has(value))) row.idsubdatatable = id;
      return { value, row };
    });
    rows.sort((a, b) => byVisitsThenLabel(a.row, b.row));
    if (flat) return rows.flatMap(({ value, row }) => flatRows(spec, row, subtables.get(value)));
    return rows.map(({ value, row }) =>
      expanded && row.idsubdatatable !== undefined ? { ...row, subtable: subtables.get(value) ?? [] } : row,
    );
  });
}

/**
 * `flat=1`: each subtable row under its parent's label (Matomo's Flattener); a website's URL
 * shows as its path and query (`getPathFromUrl`: `index` when empty), with the URL in `url`.
 */
function flatRows(
  spec: ReportSpec,
  parent: ReferrerDimensionRow,
  subtable: readonly VisitMetricsRow[] | undefined,
): ReferrerDimensionRow[] {
  if (!subtable || subtable.length === 0) {
    const { idsubdatatable: _id, ...row } = parent;
    return [row];
  }
  return subtable.map((child) => {
    if (spec.sub !== 'url') return { ...child, label: `${parent.label}${spec.separator}${child.label}` };
    return {
      ...child,
      label: `${parent.label}${spec.separator}${pathAndQuery(child.label)}`,
      url: child.label,
    };
  });
}

/** Matomo's `UrlHelper::getPathAndQueryFromUrl` without its leading slash, or `index`. */
export function pathAndQuery(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)(?:\?([^#]*))?/i.exec(url);
  if (!match) return url === '' ? 'index' : url;
  const [, path = '', query] = match;
  const result = `${path.replace(/^\//, '')}${query === undefined ? '' : `?${query}`}`;
  return result === '' ? 'index' : result;
}

/**
 * Each top-level value's subtable id: the smallest id of a visit of this type with that value,
 * over the whole visit log, so the same for every period, site and segment (visits are only
 * added, so a value's first visit stays its first).
 */
export async function subtableIds(db: Db, spec: ReportSpec): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('log_visit')
    .select((eb) => [column(spec.top).as('value'), eb.fn.min('idvisit').as('id')])
    .where(sql<boolean>`referrer_type = ${spec.type}`)
    .groupBy(column(spec.top))
    .execute();
  return new Map(rows.map((row) => [String(row.value), Number(row.id)]));
}
