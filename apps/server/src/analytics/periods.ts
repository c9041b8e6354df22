import { MatomoApiError } from '../errors/matomo-api-error';
import {
  addMonths,
  civilDate,
  dayNumber,
  formatDay,
  formatMonth,
  startOfMonth,
  startOfWeek,
  startOfYear,
} from './calendar';
import { FIRST_WEBSITE_DAY, invalidDateFormat, parseDateRange, readDay } from './date-param';
import { shown } from './request-params';
import { startOfLocalDay } from './timezone';

/**
 * Matomo's `period` and `date` parameters, resolved to calendar days (`core/Period/Factory.php`,
 * `core/Period/Range.php`). Timezones only matter twice: for what "today" is (the caller passes
 * today's day number in the right timezone) and for each period's instants (`boundsOf`, per site).
 */

export type PeriodName = 'day' | 'week' | 'month' | 'year' | 'range';

export const PERIOD_NAMES: readonly PeriodName[] = ['day', 'week', 'month', 'year', 'range'];

/**
 * The most periods `lastN`/`previousN` give; a larger N is capped silently, as Matomo's
 * `Range::getMaxN` caps it (five years of days, ten of weeks, months or years).
 */
export const MAX_LAST_N: Readonly<Record<Exclude<PeriodName, 'range'>, number>> = {
  day: 5 * 365,
  week: 10 * 52,
  month: 10 * 12,
  year: 10,
};

/**
 * At most this many periods for a `start,end` date. Matomo has no such limit; ours keeps one
 * request's SQL bounded (thirteen years of days).
 */
export const MAX_RANGE_PERIODS = 5000;

/** One period: its label as Matomo keys results, and its first and last day (inclusive). */
export interface PeriodDays {
  label: string;
  first: number;
  last: number;
}

export interface PeriodSelection {
  period: PeriodName;
  periods: PeriodDays[];
  /** The date named several periods (`lastN`, `previousN`, `A,B` with a period other than range): results are keyed by label. */
  multiple: boolean;
}

/** A period's instants in one timezone: `start` inclusive, `end` exclusive (ms since the epoch). */
export interface PeriodBounds {
  start: number;
  end: number;
}

export function parsePeriodName(text: string | undefined): PeriodName {
  if (text === undefined) throw new MatomoApiError("Please specify a value for 'period'.");
  const found = PERIOD_NAMES.find((name) => name === text);
  if (!found) {
    throw new MatomoApiError(
      `The period '${shown(text)}' is not supported. Try any of the following instead: ${PERIOD_NAMES.join(', ')}`,
    );
  }
  return found;
}

/**
 * Resolves `period` and `date` against `today` (a day number in the timezone that gives "today"
 * its meaning). Throws `MatomoApiError` with Matomo's message for anything Matomo refuses.
 */
export function selectPeriods(
  periodText: string | undefined,
  date: string | undefined,
  today: number,
): PeriodSelection {
  const period = parsePeriodName(periodText);
  if (date === undefined) throw new MatomoApiError("Please specify a value for 'date'.");
  if (period === 'range') return selectRange(date, today);
  const relative = /^(last|previous)([0-9]*)$/.exec(date);
  if (relative) {
    const n = Math.min(countOf(relative[2] ?? ''), MAX_LAST_N[period]);
    let end = periodContaining(period, today);
    if (relative[1] === 'previous') end = periodContaining(period, end.first - 1);
    const periods = [end];
    while (periods.length < n) {
      const earliest = periods[0] as PeriodDays;
      periods.unshift(periodContaining(period, earliest.first - 1));
    }
    return { period, periods, multiple: true };
  }
  const range = parseDateRange(date);
  if (range) {
    const [first, last] = rangeDays(range, today);
    // An end before the start leaves the one period that holds the end, as Matomo's loop does.
    const periods = [periodContaining(period, Math.min(first, last))];
    for (;;) {
      const latest = periods[periods.length - 1] as PeriodDays;
      if (latest.last >= last) break;
      if (periods.length === MAX_RANGE_PERIODS) throw tooManyPeriods(date, period);
      periods.push(periodContaining(period, latest.last + 1));
    }
    return { period, periods, multiple: true };
  }
  if (date.includes(',')) throw invalidDateFormat(date);
  return { period, periods: [periodContaining(period, readDay(date, today))], multiple: false };
}

/** True where Matomo reports `nb_uniq_visitors` and `nb_users` (`enable_processing_unique_visitors_*`). */
export function reportsUniqueVisitors(period: PeriodName): boolean {
  return period === 'day' || period === 'week' || period === 'month';
}

/**
 * `period=range`: one period, never keyed. `A,A` is the day A (Matomo turns it into a day
 * period, which then reports unique visitors).
 */
function selectRange(date: string, today: number): PeriodSelection {
  const [start, end, ...rest] = date.split(',');
  if (start !== undefined && start === end && rest.length === 0) {
    return { period: 'day', periods: [periodContaining('day', readDay(start, today))], multiple: false };
  }
  const relative = /^(last|previous)([0-9]*)$/.exec(date);
  const range = relative ? undefined : parseDateRange(date);
  let first: number;
  let last: number;
  if (relative) {
    last = relative[1] === 'last' ? today : today - 1;
    // Matomo does not cap N for a range; its start is kept after the first website here.
    first = Math.max(last - (countOf(relative[2] ?? '') - 1), FIRST_WEBSITE_DAY);
  } else if (range) {
    [first, last] = rangeDays(range, today);
    if (last < first) throw new MatomoApiError('Specified date range is invalid.');
  } else {
    throw invalidRange(date);
  }
  return {
    period: 'range',
    periods: [{ label: `${formatDay(first)},${formatDay(last)}`, first, last }],
    multiple: false,
  };
}
/** The day, week (Monday to Sunday), month or year that contains `day`. */
export function periodContaining(period: Exclude<PeriodName, 'range'>, day: number): PeriodDays {
  switch (period) {
    case 'day':
      return { label: formatDay(day), first: day, last: day };
    case 'week': {
      const first = startOfWeek(day);
      const last = first + 6;
      return { label: `${formatDay(first)},${formatDay(last)}`, first, last };
    }
    case 'month': {
      const first = startOfMonth(day);
      return { label: formatMonth(day), first, last: addMonths(first, 1) - 1 };
    }
    case 'year': {
      const first = startOfYear(day);
      const year = civilDate(day).year;
      return { label: String(year).padStart(4, '0'), first, last: dayNumber(year + 1, 1, 1) - 1 };
    }
  }
}

/** Each period's instants in `timezone`, DST included (a day may last 23 or 25 hours). */
export function boundsOf(periods: readonly PeriodDays[], timezone: string): PeriodBounds[] {
  return periods.map((period) => ({
    start: startOfLocalDay(period.first, timezone),
    end: startOfLocalDay(period.last + 1, timezone),
  }));
}

/** The days of a `start,end` date; an end after the last allowed day is moved back to it. */
function rangeDays([startText, endText]: [string, string], today: number): [number, number] {
  // Here Matomo reads the keywords with strtotime, in any case (`Yesterday`).
  const first = readDay(startText.toLowerCase(), today);
  const last = Math.min(readDay(endText.toLowerCase(), today), lastAllowedDay(today));
  return [first, last];
}

/** Matomo's `Range::getMaxAllowedEndTimestamp`: 31 December, ten years after this year. */
function lastAllowedDay(today: number): number {
  return dayNumber(civilDate(today).year + 10, 12, 31);
}

/** N of `lastN`/`previousN`; `last` and `last0` mean one period, as Matomo reads them. */
function countOf(digits: string): number {
  const n = Number(digits);
  return n >= 1 ? Math.min(n, Number.MAX_SAFE_INTEGER) : 1;
}

function invalidRange(date: string): MatomoApiError {
  return new MatomoApiError(
    `The date '${shown(date)}' is not a correct date range. It should have the following format:  'lastN', 'previousN', 'YYYY-MM-DD,YYYY-MM-DD'.`,
  );
}

function tooManyPeriods(date: string, period: PeriodName): MatomoApiError {
  return new MatomoApiError(
    `The date '${shown(date)}' covers more than ${MAX_RANGE_PERIODS} periods of type '${period}'; request fewer periods, or use period=range.`,
  );
}
