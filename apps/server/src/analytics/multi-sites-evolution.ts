import { DAY_MS } from './calendar';
import type { MetricsFormat } from './metric-format';
import type { PeriodDays } from './periods';

/** PHP's `round()`: halves away from zero. */
function phpRound(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale;
}

/**
 * Matomo's `EvolutionMetric::getRatio`: while the current period is under way, the share of the
 * previous period's length that has elapsed since the current one began (rounded to 3 places);
 * otherwise 1. Matomo measures both periods from midnight to 23:59:59 UTC of their first and last
 * days, and "now" in seconds.
 */
export function evolutionRatio(current: PeriodDays, previous: PeriodDays, now: number): number {
  const seconds = Math.floor(now / 1000);
  const start = (current.first * DAY_MS) / 1000;
  const end = ((current.last + 1) * DAY_MS) / 1000 - 1;
  if (seconds < start || seconds > end) return 1;
  const pastLength = ((previous.last + 1) * DAY_MS) / 1000 - 1 - (previous.first * DAY_MS) / 1000;
  return phpRound((seconds - start) / pastLength, 3);
}

/**
 * Matomo's evolution quotient: `(current - past × ratio) / (past × ratio)`, 0 when nothing
 * changed, 1 (100%) from nothing, else rounded to 3 places (MultiSites' quotient precision 1, + 2).
 */
export function evolutionQuotient(current: number, past: number, ratio: number): number {
  const scaled = past * ratio;
  const dividend = current - scaled;
  if (dividend === 0) return 0;
  if (scaled === 0) return 1;
  return phpRound(dividend / scaled, 3);
}

/** `EvolutionMetric::getTrendValue` for a metric where more is better. */
export function evolutionTrend(quotient: number): number {
  return Math.sign(quotient) || 0;
}

/**
 * As Matomo writes an evolution: `getPrettyPercentFromQuotient`, English number format with up
 * to four decimals (`"-71.4%"`, `"1,450%"`); the raw quotient with `format_metrics=0`.
 */
export function formatEvolution(quotient: number, format: MetricsFormat): string | number {
  if (format === 'raw') return quotient;
  return `${(quotient * 100).toLocaleString('en-US', { maximumFractionDigits: 4 })}%`;
}
