import { DAY_MS } from './calendar';

/**
 * Instants and local days in an IANA timezone, with `Intl` only: the offset at an instant is
 * read from `Intl.DateTimeFormat`, so daylight saving time follows the runtime's tz database.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The local wall-clock time at `instant`, expressed as if it were UTC milliseconds. */
export function wallClock(instant: number, timezone: string): number {
  if (timezone === 'UTC') return instant;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const seconds = Math.floor(instant / 1000) * 1000;
  const wall = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return wall + (instant - seconds);
}

/** The timezone's offset from UTC at `instant`, in milliseconds (UTC+2 is 7 200 000). */
export function offsetAt(instant: number, timezone: string): number {
  return wallClock(instant, timezone) - instant;
}

/** The local day number (see `calendar.ts`) that contains `instant`. */
export function localDayOf(instant: number, timezone: string): number {
  return Math.floor(wallClock(instant, timezone) / DAY_MS);
}

/**
 * The first instant of a local day. Around a DST change the day lasts 23 or 25 hours; where
 * midnight itself is skipped (zones that change at 00:00) the day starts at the change.
 */
export function startOfLocalDay(day: number, timezone: string): number {
  const wall = day * DAY_MS;
  if (timezone === 'UTC') return wall;
  // The offsets a day before and after cover both sides of any change near this midnight.
  const candidates = [...new Set([offsetAt(wall - DAY_MS, timezone), offsetAt(wall + DAY_MS, timezone)])].map(
    (offset) => wall - offset,
  );
  const exact = candidates.filter((instant) => wallClock(instant, timezone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Midnight does not exist: find the first instant whose wall clock is at or after it.
  let low = Math.min(...candidates);
  let high = Math.max(...candidates);
  while (high - low > 1000) {
    const middle = low + Math.max(1000, Math.floor((high - low) / 2000) * 1000);
    if (wallClock(middle, timezone) >= wall) high = middle;
    else low = middle;
  }
  return high;
}
