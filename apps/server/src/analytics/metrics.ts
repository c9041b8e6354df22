/**
 * Matomo's processed metrics. Quotients are computed from the integer operands in one division
 * so that halves round as Matomo's PHP `round()` does (up), not as binary floats happen to.
 */

/** `numerator / denominator` as Matomo's rounded percentage: `"43%"`; `"0%"` when the denominator is 0. */
export function percent(numerator: number, denominator: number): string {
  return `${denominator === 0 ? 0 : Math.round((numerator * 100) / denominator)}%`;
}

/** `numerator / denominator` rounded to `decimals` places; 0 when the denominator is 0. */
export function quotient(numerator: number, denominator: number, decimals = 0): number {
  if (denominator === 0) return 0;
  const scale = 10 ** decimals;
  return Math.round((numerator * scale) / denominator) / scale;
}

/** Seconds as Matomo's Live API writes them: `45s`, `3 min 12s`, `2 hours 5 min`, `1 days 3 hours`. */
export function prettyDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${days} days ${hours} hours`;
  if (hours > 0) return `${hours} hours ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${rest}s`;
  return `${rest}s`;
}

/** Sums and counts from SQL arrive as number, bigint or (PostgreSQL) string: always a number here. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  return 0;
}
