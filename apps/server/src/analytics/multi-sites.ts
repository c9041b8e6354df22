import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AnalyticsContext, ResultOf } from './context';
import { currencySymbol } from './currency-symbols';
import { deleteColumns } from './generic-filters/columns';
import { filterTable, readGenericFilters } from './generic-filters/generic-filters';
import { filterByLabels } from './generic-filters/label';
import type { Row, Table } from './generic-filters/table';
import { type MetricsFormat, readMetricsFormat } from './metric-format';
import { loadMultiSitesData, type MultiSitesData, type SiteTotals } from './multi-sites-data';
import { evolutionQuotient, evolutionRatio, evolutionTrend, formatEvolution } from './multi-sites-evolution';
import { sitesMatchingPattern } from './multi-sites-pattern';
import { periodShortLabel } from './period-short-label';
import { type ReportScope, resolveReportScope, shapeOneSiteResult } from './report-scope';

type MultiSitesRow = components['schemas']['MultiSitesRow'];
type MultiSitesOne = components['schemas']['MultiSitesOne'];

interface ApiMetric {
  metric: keyof SiteTotals;
  /** The evolution column. */
  column: string;
  /** The archive record it compares (`previous_<record>`). */
  record: string;
  /** Matomo's `EcommerceOnlyEvolutionMetric`: with evolutions, only ecommerce sites show it. */
  ecommerceOnly: boolean;
}

/** Matomo's `MultiSites\API::getApiMetrics`, in its order: the base metrics, then `enhanced` ones. */
const BASE_METRICS: readonly ApiMetric[] = [
  { metric: 'nb_visits', column: 'visits_evolution', record: 'nb_visits', ecommerceOnly: false },
  { metric: 'nb_actions', column: 'actions_evolution', record: 'nb_actions', ecommerceOnly: false },
  {
    metric: 'nb_pageviews',
    column: 'pageviews_evolution',
    record: 'Actions_nb_pageviews',
    ecommerceOnly: false,
  },
  { metric: 'revenue', column: 'revenue_evolution', record: 'Goal_revenue', ecommerceOnly: false },
];
const ENHANCED_METRICS: readonly ApiMetric[] = [
  ...BASE_METRICS,
  {
    metric: 'nb_conversions',
    column: 'nb_conversions_evolution',
    record: 'Goal_nb_conversions',
    ecommerceOnly: false,
  },
  { metric: 'orders', column: 'orders_evolution', record: 'Goal_0_nb_conversions', ecommerceOnly: true },
  {
    metric: 'ecommerce_revenue',
    column: 'ecommerce_revenue_evolution',
    record: 'Goal_0_revenue',
    ecommerceOnly: true,
  },
];

/** PHP truthiness of a parameter, as Matomo tests `if ($enhanced)`: absent, `''` and `'0'` are false. */
function phpTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0';
}

function apiMetrics(context: AnalyticsContext): readonly ApiMetric[] {
  return phpTruthy(context.params.get('enhanced')) ? ENHANCED_METRICS : BASE_METRICS;
}

interface Evolution {
  /** `visits_evolution`, `visits_evolution_trend`, … */
  columns: { [column: string]: string | number };
  /** `ratio`, `currencySymbol`, `previous_nb_visits`, `periodName`, `previousRange`, … (row metadata in Matomo). */
  metadata: { [name: string]: string | number };
}

interface SiteInfo {
  name: string;
  main_url: string;
  group: string;
  currency: string;
  ecommerce: boolean;
}

/**
 * `MultiSites.getAll`: one row per site the caller can view (the method is registered to read
 * `idSite=all`), for sites with visits; every period of a multi-period date keyed by its label.
 * As Matomo, the generic filters (Pattern, Sort, Limit) see `label` as the site id; the site
 * name replaces it afterwards, before `label` and the column filters. `pattern` keeps the
 * sites whose name, main URL or group contains it (`multi-sites-pattern.ts`); `enhanced` adds
 * conversions, orders and ecommerce revenue, and keeps the sites without visits.
 */
export async function getMultiSitesAll(context: AnalyticsContext): Promise<ResultOf<'MultiSites.getAll'>> {
  const matched = await sitesMatchingPattern(context.db, context.sites.ids, context.params.get('pattern'));
  // Matomo answers an empty table, whatever the date, when the caller sees no site.
  if (matched.length === 0) return [];
  const scope = await resolveReportScope({ ...context, sites: { ids: matched, multiple: true } });
  const data = await loadMultiSitesData(context, scope);
  const info = await loadSiteInfo(context, scope);
  const format = readMetricsFormat(context.params);
  const filters = readGenericFilters(context.params, 'report');
  const metrics = apiMetrics(context);
  const enhanced = metrics === ENHANCED_METRICS;
  const tableFor = (period: number): MultiSitesRow[] => {
    const rows: Table = [];
    for (const { site } of scope.sites) {
      const totals = data.totals(site.idsite, period);
      // Matomo's ColumnCallbackDeleteRow: without `enhanced`, sites without visits are left out.
      if (!enhanced && totals.nb_visits === 0) continue;
      const evolution = evolutionOf(context, scope, data, site.idsite, period, format, info, metrics);
      rows.push({
        label: String(site.idsite),
        ...metricColumns(totals, metrics, shownMetrics(metrics, evolution, info.get(site.idsite))),
        ...evolution?.columns,
        idsite: site.idsite,
      });
    }
    const windowed = filterTable(rows, {
      ...filters,
      truncate: undefined,
      columns: { hide: [], show: [], recursive: false, metadata: true },
      labels: [],
    });
    const named = windowed.map((row) => nameRow(row, scope, data, period, format, info, context, metrics));
    const columnsKept = named.map(({ columns, metadata }) => ({
      ...deleteColumns([columns], filters.columns)[0],
      ...metadata,
    }));
    return (
      filters.labels.length > 0 ? filterByLabels(columnsKept, filters.labels) : columnsKept
    ) as MultiSitesRow[];
  };
  if (!scope.byPeriod) return tableFor(0);
  const byLabel: { [label: string]: MultiSitesRow[] } = {};
  scope.selection.periods.forEach((period, index) => {
    byLabel[period.label] = tableFor(index);
  });
  return byLabel;
}

/**
 * `MultiSites.getOne`: the site's totals as one record (Matomo's simple table: no label and no
 * metadata), evolutions between the counts and `nb_pageviews`/`revenue` as Matomo orders them.
 */
export async function getMultiSitesOne(context: AnalyticsContext): Promise<ResultOf<'MultiSites.getOne'>> {
  const scope = await resolveReportScope(context);
  const data = await loadMultiSitesData(context, scope);
  const info = await loadSiteInfo(context, scope);
  const format = readMetricsFormat(context.params);
  const filters = readGenericFilters(context.params, 'report');
  const metrics = apiMetrics(context);
  return shapeOneSiteResult(scope, ({ site }, period): MultiSitesOne => {
    const totals = data.totals(site.idsite, period);
    const evolution = evolutionOf(context, scope, data, site.idsite, period, format, info, metrics);
    const shown = shownMetrics(metrics, evolution, info.get(site.idsite));
    // Matomo renames the records of a one-row table (`Actions_nb_pageviews`, `Goal_revenue`, …)
    // by moving them after the evolutions; `nb_visits` and `nb_actions` keep their place.
    const { nb_visits, nb_actions, ...renamed } = metricColumns(totals, metrics, shown);
    const record: Row = { nb_visits, nb_actions, ...evolution?.columns, ...renamed };
    return deleteColumns([record], filters.columns)[0] as MultiSitesOne;
  });
}

/** The metrics a site's row shows: with evolutions, the ecommerce ones only on ecommerce sites. */
function shownMetrics(
  metrics: readonly ApiMetric[],
  evolution: Evolution | undefined,
  site: SiteInfo | undefined,
): readonly ApiMetric[] {
  if (!evolution) return metrics;
  return metrics.filter((metric) => !metric.ecommerceOnly || site?.ecommerce === true);
}

function metricColumns(totals: SiteTotals, metrics: readonly ApiMetric[], shown: readonly ApiMetric[]): Row {
  const row: Row = {};
  for (const entry of metrics) if (shown.includes(entry)) row[entry.metric] = totals[entry.metric];
  return row;
}

/** Splits a filtered row back into Matomo's columns (site name as label) and row metadata. */
function nameRow(
  row: Row,
  scope: ReportScope,
  data: MultiSitesData,
  period: number,
  format: MetricsFormat,
  info: Map<number, SiteInfo>,
  context: AnalyticsContext,
  apiMetricList: readonly ApiMetric[],
): { columns: Row; metadata: Row } {
  const idsite = Number(row.idsite);
  const site = info.get(idsite);
  const { label: _label, idsite: _idsite, ...metrics } = row;
  const evolution = evolutionOf(context, scope, data, idsite, period, format, info, apiMetricList);
  return {
    columns: { label: site?.name ?? '', ...metrics },
    metadata: { idsite, ...evolution?.metadata, group: site?.group ?? '', main_url: site?.main_url ?? '' },
  };
}

/** The evolution columns and metadata of one site and period, or none for a `lastN`/`previousN` date. */
function evolutionOf(
  context: AnalyticsContext,
  scope: ReportScope,
  data: MultiSitesData,
  idsite: number,
  period: number,
  format: MetricsFormat,
  info: Map<number, SiteInfo>,
  metrics: readonly ApiMetric[],
): Evolution | undefined {
  const current = scope.selection.periods[period];
  const previousDays = data.previousPeriods?.[period];
  if (!data.previous || !current || !previousDays) return undefined;
  const now = data.totals(idsite, period);
  const past = data.previous(idsite, period);
  const ratio = evolutionRatio(current, previousDays, context.now());
  const columns: Evolution['columns'] = {};
  const metadata: Evolution['metadata'] = {
    ratio,
    currencySymbol: currencySymbol(info.get(idsite)?.currency ?? 'USD'),
  };
  const ecommerce = info.get(idsite)?.ecommerce === true;
  metrics.forEach(({ metric, column, record, ecommerceOnly }, index) => {
    if (ecommerceOnly && !ecommerce) return;
    const quotient = evolutionQuotient(now[metric], past[metric], ratio);
    columns[column] = formatEvolution(quotient, format);
    columns[`${column}_trend`] = evolutionTrend(quotient);
    metadata[`previous_${record}`] = past[metric];
    if (index === 0) {
      metadata.periodName = scope.selection.period;
      metadata.previousRange = periodShortLabel(scope.selection.period, previousDays);
    }
  });
  return { columns, metadata };
}

async function loadSiteInfo(context: AnalyticsContext, scope: ReportScope): Promise<Map<number, SiteInfo>> {
  const ids = scope.sites.map(({ site }) => site.idsite);
  if (ids.length === 0) return new Map();
  const rows = await context.db
    .selectFrom('sites')
    .select(['idsite', 'name', 'main_url', 'site_group', 'currency', 'ecommerce'])
    .where('idsite', 'in', ids)
    .execute();
  return new Map(
    rows.map((row) => [
      row.idsite,
      {
        name: row.name,
        main_url: row.main_url,
        group: row.site_group,
        currency: row.currency,
        ecommerce: row.ecommerce === 1,
      },
    ]),
  );
}
