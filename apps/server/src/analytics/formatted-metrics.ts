import type { Db } from '../db/database';
import { currencySymbol } from './currency-symbols';
import type { MetricsFormat } from './metric-format';
import { prettyMoney, prettyPercent, prettyTimeClock, prettyTimeSentence } from './pretty-metrics';

/**
 * How `format_metrics=1` (or `all`) writes a processed metric, after its class's
 * `Metric::format`: `AverageTimeOnSite` as a sentence (`5 min 13s`), `AverageTimeOnPage` as a
 * clock (`00:01:23`), the rates (`BounceRate`, `ExitRate`) as percentages. Metrics whose class
 * keeps the default `format` (`ActionsPerVisit`) and archived counts stay numbers.
 */
type MetricStyle = 'sentence' | 'clock' | 'percent';

type MetricStyles = { readonly [column: string]: MetricStyle };

const VISIT_RECORD: MetricStyles = { bounce_rate: 'percent', avg_time_on_site: 'sentence' };

const ACTION_ROWS: MetricStyles = { avg_time_on_page: 'clock', bounce_rate: 'percent', exit_rate: 'percent' };

/** The processed metrics each report declares (`$this->processedMetrics` of its `Reports/*.php`). */
const PROCESSED_METRICS: { readonly [method: string]: MetricStyles } = {
  'VisitsSummary.get': VISIT_RECORD,
  'VisitFrequency.get': {
    bounce_rate_returning: 'percent',
    avg_time_on_site_returning: 'sentence',
    bounce_rate_new: 'percent',
    avg_time_on_site_new: 'sentence',
  },
  'Actions.getPageUrls': ACTION_ROWS,
  'Actions.getPageTitles': ACTION_ROWS,
  'Actions.getEntryPageUrls': ACTION_ROWS,
  'Actions.getExitPageUrls': ACTION_ROWS,
  'Actions.getSiteSearchKeywords': ACTION_ROWS,
};

/**
 * The currency symbols `format_metrics=all` writes revenues with: each site's
 * (`Site::getCurrencySymbolFor`), and whether the result is keyed by site id first.
 */
export interface MoneyFormat {
  bySite: boolean;
  symbols: ReadonlyMap<number, string>;
}

/**
 * The result with its processed metrics formatted as `format_metrics` asks, after the generic
 * filters as in Matomo's post-processor: every row of every table (subtables included) and every
 * record of a map. `bc` and `0` change nothing here: the reports already write rates for them.
 * With `all` and `money`, the revenues too (see `formatRevenues`).
 */
export function formatProcessedMetrics<T>(
  method: string,
  result: T,
  format: MetricsFormat,
  money?: MoneyFormat,
): T {
  const styles = PROCESSED_METRICS[method];
  let formatted: unknown = result;
  if (styles !== undefined && (format === 'formatted' || format === 'all'))
    formatted = formatIn(result, styles);
  if (format === 'all' && money !== undefined) formatted = formatRevenues(formatted, money);
  return formatted as T;
}

/**
 * Whether `format_metrics=all` formats a method's revenues: Matomo's post-processor does it on
 * every DataTable result (reports, records, Live's visits, `MultiSites.getOne`), not on plain
 * arrays (`Goals.getGoals`). `MultiSites.getAll` is left out: its merged table has no site, so
 * Matomo takes the request's `idSite` for every row's currency, which we do not follow.
 */
export function formatsRevenues(method: string, table: string | undefined): boolean {
  if (method === 'MultiSites.getOne') return true;
  return table === 'report' || table === 'record' || table === 'live';
}

/** The currency symbol of each site of a request, keyed as the result is (`bySite`). */
export async function loadMoneyFormat(
  db: Db,
  sites: { ids: readonly number[]; multiple: boolean },
): Promise<MoneyFormat> {
  const rows =
    sites.ids.length === 0
      ? []
      : await db
          .selectFrom('sites')
          .select(['idsite', 'currency'])
          .where('idsite', 'in', sites.ids)
          .execute();
  return {
    bySite: sites.multiple || sites.ids.length > 1,
    symbols: new Map(rows.map((row) => [row.idsite, currencySymbol(row.currency)])),
  };
}

/**
 * `Formatter::formatMetrics` with `$formatAll`: on every row of every table (subtables
 * included), each numeric column whose name contains `revenue` (`revenue`, `revenue_new_visit`,
 * `goal_1_revenue`, even `revenue_evolution_trend`) becomes money in the table's site currency.
 * Nested values (a row's `goals`) are not columns of their own: they stay numbers.
 */
function formatRevenues(result: unknown, money: MoneyFormat): unknown {
  if (!money.bySite) return revenuesIn(result, [...money.symbols.values()][0] ?? '$');
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return result;
  return Object.fromEntries(
    Object.entries(result).map(([idsite, value]) => [
      idsite,
      revenuesIn(value, money.symbols.get(Number(idsite)) ?? '$'),
    ]),
  );
}

function revenuesIn(value: unknown, symbol: string): unknown {
  if (Array.isArray(value)) return value.map((item) => revenuesIn(item, symbol));
  if (value === null || typeof value !== 'object') return value;
  const fields = value as { [key: string]: unknown };
  // A row or a record has metrics of its own; a map of periods holds only tables and records.
  const isRow = Object.values(fields).some((item) => item === null || typeof item !== 'object');
  const formatted: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(fields)) {
    if (!isRow || key === 'subtable') formatted[key] = revenuesIn(item, symbol);
    else if (key.includes('revenue') && typeof item === 'number') formatted[key] = prettyMoney(item, symbol);
    else formatted[key] = item;
  }
  return formatted;
}

function formatIn(value: unknown, styles: MetricStyles): unknown {
  if (Array.isArray(value)) return value.map((item) => formatIn(item, styles));
  if (value === null || typeof value !== 'object') return value;
  const fields = value as { [key: string]: unknown };
  const isRow = Object.keys(styles).some((column) => Object.hasOwn(fields, column));
  const formatted: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(fields)) {
    const style = isRow ? styles[key] : undefined;
    if (style !== undefined && typeof item === 'number') formatted[key] = formatValue(item, style);
    else if (!isRow || key === 'subtable') formatted[key] = formatIn(item, styles);
    else formatted[key] = item;
  }
  return formatted;
}

function formatValue(value: number, style: MetricStyle): string {
  if (style === 'sentence') return prettyTimeSentence(value);
  if (style === 'clock') return prettyTimeClock(value);
  return prettyPercent(value);
}
