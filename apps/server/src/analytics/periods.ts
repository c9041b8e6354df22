import { MatomoApiError } from '../errors/matomo-api-error';
import {
  addMonths,
  civilDate,
  dayNumber,
  formatDay,
  formatMonth,
  parseDay,
  startOfMonth,
  startOfWeek,
  startOfYear,
} from './calendar';
import { shown } from './request-params';
import { startOfLocalDay } from './timezone';

/**
 * Matomo's `period` and `date` parameters, resolved to calendar days. Timezones only matter
 * twice: for what "today" is (the caller passes today's day number in the right timezone) and
 * for each period's instants (`boundsOf`, per site).
 */

export type PeriodName = 'day' | 'week' | 'month' | 'year' | 'range';

export const PERIOD_NAMES: readonly PeriodName[] = ['day', 'week', 'month', 'year', 'range'];

/** At most this many periods per request (Matomo clamps `lastN`; we refuse instead of truncating). */
export const MAX_PERIODS = 1000;

/** Matomo refuses dates before the first website: Tue, 06 Aug 1991. */
const FIRST_WEBSITE_DAY = dayNumber(1991, 8, 6);

/** The largest N of `lastN`/`previousN` (the contract's pattern allows four digits). */
const MAX_N = 9999;

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
 * its meaning). Throws `MatomoApiError` for anything Matomo would refuse.
 */
export function selectPeriods(
  periodText: string | undefined,
  date: string | undefined,
  today: number,
): PeriodSelection {
  const period = parsePeriodName(periodText);
  if (date === undefined) throw new MatomoApiError("Please specify a value for 'date'.");
  const relative = /^(last|previous)(\d+)$/.exec(date);
  const range = /^(\d{4}-\d{2}-\d{2}),(\d{4}-\d{2}-\d{2}|today|yesterday)$/.exec(date);

  if (period === 'range') {
    let first: number;
    let last: number;
    if (relative) {
      const n = countOf(date, relative[2] ?? '');
      last = relative[1] === 'last' ? today : today - 1;
      first = last - (n - 1);
    } else if (range) {
      [first, last] = rangeDays(date, range[1] ?? '', range[2] ?? '', today);
    } else {
      throw invalidRange(date);
    }
    return {
      period,
      periods: [{ label: `${formatDay(first)},${formatDay(last)}`, first, last }],
      multiple: false,
    };
  }

  if (relative) {
    const n = countOf(date, relative[2] ?? '');
    if (n > MAX_PERIODS) throw tooManyPeriods(date, period);
    let end = periodContaining(period, today);
    if (relative[1] === 'previous') end = periodContaining(period, end.first - 1);
    const periods = [end];
    while (periods.length < n) {
      const earliest = periods[0] as PeriodDays;
      periods.unshift(periodContaining(period, earliest.first - 1));
    }
    return { period, periods, multiple: true };
  }

  if (range) {
    const [first, last] = rangeDays(date, range[1] ?? '', range[2] ?? '', today);
    const periods = [periodContaining(period, first)];
    for (;;) {
      const latest = periods[periods.length - 1] as PeriodDays;
      if (latest.last >= last) break;
      if (periods.length === MAX_PERIODS) throw tooManyPeriods(date, period);
      periods.push(periodContaining(period, latest.last + 1));
    }
    return { period, periods, multiple: true };
  }

  return { period, periods: [periodContaining(period, singleDay(date, today))], multiple: false };
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

/**
 * `YYYY-MM-DD`, `today`, `yesterday`, or `lastWeek`/`lastMonth`/`lastYear`: the same day one
 * week, one month or one year ago (clamped to the end of a shorter month, so 31 March gives the
 * last day of February), which is how Matomo reads these keywords (PHP's "-1 week", …).
 */
function singleDay(date: string, today: number): number {
  switch (date) {
    case 'today':
      return today;
    case 'yesterday':
      return today - 1;
    case 'lastWeek':
      return today - 7;
    case 'lastMonth':
      return addMonths(today, -1);
    case 'lastYear':
      return addMonths(today, -12);
  }
  return explicitDay(date, date);
}

function explicitDay(text: string, date: string): number {
  const day = parseDay(text);
  if (day === undefined) {
    throw new MatomoApiError(
      `Date format must be: YYYY-MM-DD, 'today', 'yesterday', 'lastWeek', 'lastMonth', 'lastYear', 'lastN', 'previousN' or 'YYYY-MM-DD,YYYY-MM-DD' (got '${shown(date)}').`,
    );
  }
  if (day < FIRST_WEBSITE_DAY) {
    throw new MatomoApiError(
      `The date '${shown(text)}' is a date before first website was online. Try date that's after 1991-08-06 (timestamp 681436800).`,
    );
  }
  return day;
}

function rangeDays(date: string, startText: string, endText: string, today: number): [number, number] {
  const first = explicitDay(startText, date);
  const last = endText === 'today' ? today : endText === 'yesterday' ? today - 1 : explicitDay(endText, date);
  if (last < first) {
    throw new MatomoApiError(
      `The date '${shown(date)}' is not a correct date range: the end date is before the start date.`,
    );
  }
  return [first, last];
}

function countOf(date: string, digits: string): number {
  const n = Number(digits);
  if (!/^[1-9]\d*$/.test(digits) || n > MAX_N) {
    throw new MatomoApiError(
      `The date '${shown(date)}' is not a correct date range: N in lastN and previousN must be a whole number from 1 to ${MAX_N}.`,
    );
  }
  return n;
}

function invalidRange(date: string): MatomoApiError {
  return new MatomoApiError(
    `The date '${shown(date)}' is not a correct date range. It should have the following format: 'lastN', 'previousN', 'YYYY-MM-DD,YYYY-MM-DD'.`,
  );
}

function tooManyPeriods(date: string, period: PeriodName): MatomoApiError {
  return new MatomoApiError(
    `The date '${shown(date)}' covers more than ${MAX_PERIODS} periods of type '${period}'; request fewer periods, or use period=range.`,
  );
}
