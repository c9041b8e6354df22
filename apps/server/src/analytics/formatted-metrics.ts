import type { MetricsFormat } from './metric-format';
import { prettyPercent, prettyTimeClock, prettyTimeSentence } from './pretty-metrics';

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
 * The result with its processed metrics formatted as `format_metrics` asks, after the generic
 * filters as in Matomo's post-processor: every row of every table (subtables included) and every
 * record of a map. `bc` and `0` change nothing here: the reports already write rates for them.
 */
export function formatProcessedMetrics<T>(method: string, result: T, format: MetricsFormat): T {
  const styles = PROCESSED_METRICS[method];
  if (styles === undefined || (format !== 'formatted' && format !== 'all')) return result;
  return formatIn(result, styles) as T;
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
