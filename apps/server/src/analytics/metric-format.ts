import type { Params } from '../http/params';
import { percent, quotient } from './metrics';

/**
 * Matomo's `format_metrics` (`core/API/DataTablePostProcessor::applyMetricsFormatting`). API
 * requests default to `bc` (`API\Request` sets it when the parameter is absent): rates as
 * percentages (`"43%"`), every other metric a number. `0` (numerically, or sent empty): rates
 * as raw ratios. `all`, and any other value (`1`), also format each report's other processed
 * metrics (`Metrics\Formatter::formatMetrics`): see `formatted-metrics.ts`.
 */
export type MetricsFormat = 'percents' | 'raw' | 'formatted' | 'all';

export function readMetricsFormat(params: Params): MetricsFormat {
  if (!params.sent('format_metrics')) return 'percents';
  const value = params.get('format_metrics');
  // Sent empty, Matomo reads its own default, 0. PHP compares `$formatMetrics == '0'`
  // numerically: `00`, `0.0` and ` 0` are 0 too.
  if (value === undefined || /^\s*[+-]?(0+(\.0*)?|\.0+)([eE][+-]?[0-9]+)?\s*$/.test(value)) return 'raw';
  if (value === 'bc') return 'percents';
  return value === 'all' ? 'all' : 'formatted';
}

/** A rate such as `bounce_rate`: `"43%"`, or raw `0.43` (Matomo's quotient, two decimals). */
export function rate(numerator: number, denominator: number, format: MetricsFormat): string | number {
  return format === 'raw' ? quotient(numerator, denominator, 2) : percent(numerator, denominator);
}
