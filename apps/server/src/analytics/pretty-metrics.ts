/**
 * Matomo's `Metrics\Formatter` in English (`lang/en.json`, `plugins/Intl/lang/en.json`), for
 * the processed metrics whose `Metric::format` changes the value under `format_metrics=1`.
 */

/** `NumberFormatter::formatNumber` with the English pattern `#,##0.###`: grouped thousands, at most `maxFraction` decimals. */
export function prettyNumber(value: number, maxFraction: number, minFraction = 0): string {
  const sign = value < 0 ? '-' : '';
  const [whole = '0', fraction = ''] = Math.abs(value).toFixed(maxFraction).split('.');
  let decimals = fraction.replace(/0+$/, '');
  if (decimals.length < minFraction) decimals = decimals.padEnd(minFraction, '0');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${decimals === '' ? '' : `.${decimals}`}`;
}

/** `getPrettyPercentFromQuotient`: the quotient times 100, up to four decimals, then `%`. */
export function prettyPercent(quotient: number): string {
  return `${prettyNumber(quotient * 100, 4)}%`;
}

/**
 * `getPrettyTimeFromSeconds($seconds, true)`: `13s`, `5 min 13s`, `2 hours 5 min`,
 * `1 days 3 hours`, `1 years 2 days` (Matomo's English strings, plural or not).
 */
export function prettyTimeSentence(totalSeconds: number): string {
  const negative = totalSeconds < 0;
  const seconds = Math.abs(totalSeconds);
  const secondsInYear = 86_400 * 365.25;
  const years = Math.floor(seconds / secondsInYear);
  const days = Math.floor((seconds - years * secondsInYear) / 86_400);
  // As Matomo computes them: hours after the days only (the years branch shows no hours).
  const minusDays = seconds - days * 86_400;
  const hours = Math.floor(minusDays / 3600);
  const minusHours = minusDays - hours * 3600;
  const minutes = Math.floor(minusHours / 60);
  const rest = minusHours - minutes * 60;
  const precision = rest > 0 && rest < 0.01 ? 3 : 2;
  const restText = prettyNumber(rest, precision);
  let text: string;
  if (years > 0) text = `${years} years ${days} days`;
  else if (days > 0) text = `${days} days ${hours} hours`;
  else if (hours > 0) text = `${hours} hours ${minutes} min`;
  else if (minutes > 0) text = `${minutes} min ${restText}s`;
  else text = `${restText}s`;
  return negative ? `-${text}` : text;
}

/** `getPrettyTimeFromSeconds($seconds, false)`: `00:01:23`, `1 days 02:00:00`, hundredths when there are any (`00:00:01.50`). */
export function prettyTimeClock(totalSeconds: number): string {
  const negative = totalSeconds < 0;
  const seconds = Math.abs(totalSeconds);
  const days = Math.floor(seconds / 86_400);
  let rest = seconds - days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const wholeSeconds = Math.floor(rest - minutes * 60);
  const two = (n: number) => String(n).padStart(2, '0');
  let text = `${two(hours)}:${two(minutes)}:${two(wholeSeconds)}`;
  if (days > 0) text = `${days} days ${text}`;
  const hundredths = Math.trunc(seconds * 100) % 100;
  if (hundredths !== 0) text += `.${two(hundredths)}`;
  return negative ? `-${text}` : text;
}

/**
 * `getPrettyMoney`: `NumberFormatter::formatCurrency` with the English pattern `¤#,##0.00`
 * (the negative one `-¤#,##0.00`) and `GoalManager::REVENUE_PRECISION`: the site's symbol
 * before the number, no decimals for a whole amount (`$10`, `€1,011`), else exactly two
 * (`$1,011.20`).
 */
export function prettyMoney(value: number, symbol: string): string {
  const sign = value < 0 ? '-' : '';
  const amount = Math.abs(value);
  const digits = amount === Math.round(amount) ? prettyNumber(amount, 0) : prettyNumber(amount, 2, 2);
  return `${sign}${symbol}${digits}`;
}
