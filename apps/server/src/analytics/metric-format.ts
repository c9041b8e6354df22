import type { Params } from '../http/params';
import { percent, quotient } from './metrics';

/**
 * Matomo's `format_metrics` (`core/API/DataTablePostProcessor.php`): API requests default to
 * `bc`, which writes rates as percentages (`"43%"`) and every other metric as a number; `0`
 * writes rates as raw ratios. Matomo formats every metric for other values; here they read as `bc`.
 */
export type MetricsFormat = 'percents' | 'raw';

export function readMetricsFormat(params: Params): MetricsFormat {
  const value = params.get('format_metrics');
  // PHP compares `$formatMetrics == '0'` numerically: `00`, `0.0` and ` 0` are 0 too.
  return value !== undefined && /^\s*[+-]?(0+(\.0*)?|\.0+)([eE][+-]?[0-9]+)?\s*$/.test(value)
    ? 'raw'
    : 'percents';
}

/** A rate such as `bounce_rate`: `"43%"`, or raw `0.43` (Matomo's quotient, two decimals). */
export function rate(numerator: number, denominator: number, format: MetricsFormat): string | number {
  return format === 'raw' ? quotient(numerator, denominator, 2) : percent(numerator, denominator);
}
