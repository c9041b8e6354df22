/**
 * Civil dates as day numbers (days since 1970-01-01 in the proleptic Gregorian calendar), so
 * that date arithmetic is integer arithmetic and never meets a timezone. Timezones come in only
 * when a day is turned into instants (`timezone.ts`).
 */

export const DAY_MS = 86_400_000;

export interface CivilDate {
  year: number;
  /** 1 to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
}

/** The day number of a civil date; a day or month out of range rolls over (Feb 30 is Mar 2), as PHP's `mktime`. */
export function dayNumber(year: number, month: number, day: number): number {
  // Date.UTC reads years 0 to 99 as 1900 to 1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / DAY_MS);
}

export function civilDate(day: number): CivilDate {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD`. */
export function formatDay(day: number): string {
  const { year, month, day: dom } = civilDate(day);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(dom, 2)}`;
}

/** `YYYY-MM`. */
export function formatMonth(day: number): string {
  const { year, month } = civilDate(day);
  return `${pad(year, 4)}-${pad(month, 2)}`;
}

/** The day number of a valid `YYYY-MM-DD`, or undefined (`2026-02-30`, `2026-13-01`, `26-1-1`). */
export function parseDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayNumber(year, month, day);
}

/**
 * The same day of the month `months` months later, rolling over when that month is shorter
 * (Mar 31 − 1 month = Mar 3), as PHP's `strtotime('-1 month')` counts.
 */
export function shiftMonths(day: number, months: number): number {
  const { year, month, day: dom } = civilDate(day);
  return dayNumber(year, month + months, dom);
}

/** 1 for Monday to 7 for Sunday (ISO). */
export function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday.
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function startOfWeek(day: number): number {
  return day - isoWeekday(day) + 1;
}

export function startOfMonth(day: number): number {
  const { year, month } = civilDate(day);
  return dayNumber(year, month, 1);
}

export function startOfYear(day: number): number {
  return dayNumber(civilDate(day).year, 1, 1);
}

/** The same day `months` months later, clamped to the end of a shorter month (Mar 31 − 1 month = Feb 28). */
export function addMonths(day: number, months: number): number {
  const { year, month, day: dom } = civilDate(day);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return dayNumber(targetYear, targetMonth, Math.min(dom, daysInMonth(targetYear, targetMonth)));
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
