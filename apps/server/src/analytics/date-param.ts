import { MatomoApiError } from '../errors/matomo-api-error';
import { DAY_MS, dayNumber, formatDay, shiftMonths } from './calendar';
import { shown } from './request-params';

/**
 * The days Matomo's `date` parameter names, read as Matomo reads them (`core/Date.php`
 * `factory`, `core/Period/Range.php` `parseDateRange`): keywords relative to "today", and
 * `YYYY-M-D` dates whose day may overflow into the next month (`2026-02-30` is 2 March), as
 * PHP's `strtotime` reads them. Matomo also takes any other `strtotime` phrase ("next monday");
 * those are refused here with Matomo's message.
 */

/** Matomo refuses dates before the first website: Tue, 06 Aug 1991. */
export const FIRST_WEBSITE_DAY = dayNumber(1991, 8, 6);

/** `2026-11-25`, `2026-1-5`: a year of four digits, a month and a day of one or two. */
const DAY_PATTERN = '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}';
const LAST_PERIOD_PATTERN = 'last[ -]?(?:week|month|year)';

/** Matomo's `Range::parseDateRange`: which words may start and end a `start,end` date. */
const RANGE = new RegExp(
  `^(${DAY_PATTERN}|${LAST_PERIOD_PATTERN}),(${DAY_PATTERN}|today|now|yesterday|${LAST_PERIOD_PATTERN})$`,
  'i',
);

/** The two ends of a `start,end` date, or undefined when `date` is not one. */
export function parseDateRange(date: string): [string, string] | undefined {
  const match = RANGE.exec(date.trim());
  return match ? [match[1] ?? '', match[2] ?? ''] : undefined;
}

/**
 * One day named by `text`: `today`, `now`, `yesterday`, `yesterdaySameTime`, `tomorrow`,
 * `lastWeek`/`lastMonth`/`lastYear` (also `last week`, `last-month`, any case), or `YYYY-M-D`.
 */
export function readDay(text: string, today: number): number {
  const day = keywordDay(text, today) ?? calendarDay(text.trim());
  if (day === undefined) throw invalidDateFormat(text);
  if (day < FIRST_WEBSITE_DAY) throw beforeFirstWebsite(day, text);
  return day;
}

function keywordDay(text: string, today: number): number | undefined {
  switch (text) {
    case 'today':
    case 'now':
      return today;
    case 'yesterday':
    case 'yesterdaySameTime':
      return today - 1;
    case 'tomorrow':
      return today + 1;
  }
  // Matomo's period factory lets these through case-insensitively, then fails on them.
  if (/^(now|today|yesterday|yesterdaySameTime)$/i.test(text)) {
    throw new MatomoApiError(`Date::factoryInTimezone() should not be used with ${shown(text)}.`);
  }
  // Matomo matches these anywhere in the text (`Date::factory`).
  const last = /last[ -]?(week|month|year)/i.exec(text)?.[1]?.toLowerCase();
  if (last === 'week') return today - 7;
  if (last === 'month') return shiftMonths(today, -1);
  if (last === 'year') return shiftMonths(today, -12);
  return undefined;
}

/** `YYYY-M-D` as `strtotime` reads it: month 1 to 12, day 0 to 31, rolling over. */
function calendarDay(text: string): number | undefined {
  const match = /^([0-9]{4})-(0?[1-9]|1[0-2])-([0-2]?[0-9]|3[01])$/.exec(text);
  if (!match) return undefined;
  return dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Matomo's message; after a failed `strtotime` it quotes `false`, otherwise the text (PHP's `var_export`). */
export function invalidDateFormat(text: string): MatomoApiError {
  const quoted = text.includes(',') ? `'${shown(text).replace(/[\\']/g, (c) => `\\${c}`)}'` : 'false';
  return new MatomoApiError(
    `Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): ${quoted}`,
  );
}

function beforeFirstWebsite(day: number, text: string): MatomoApiError {
  // After `YYYY-M-D`, Matomo appends the date's timestamp; after a keyword, the keyword.
  const suffix = keywordLike(text) ? shown(text) : String((day * DAY_MS) / 1000);
  return new MatomoApiError(
    `The date '${formatDay(day)}' is a date before first website was online. Try date that's after Aug 6, 1991 (timestamp 681436800).: ${suffix}`,
  );
}

function keywordLike(text: string): boolean {
  return !/^\s*[0-9]/.test(text);
}
