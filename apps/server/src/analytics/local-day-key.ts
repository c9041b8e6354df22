import { type RawBuilder, sql } from 'kysely';
import { DAY_MS } from './calendar';
import type { SiteScope } from './report-scope';
import { offsetAt } from './timezone';

/**
 * SQL for the local day of a row's instant, per site: `(time + offset) / DAY_MS` with the site's
 * UTC offset, which changes only at its DST transitions inside the requested periods. Reports
 * that Matomo aggregates from day archives count unique visitors per (visitor, local day); this
 * is that day, without one bound per day in the SQL.
 */
export function localDayKey(
  sites: readonly SiteScope[],
  siteColumn: string,
  timeColumn: string,
): RawBuilder<number> {
  const time = sql.ref(timeColumn);
  const branches = sites.map(({ site, bounds }) => {
    const first = bounds[0];
    const last = bounds[bounds.length - 1];
    const day =
      first && last ? dayOf(time, offsetSpans(site.timezone, first.start, last.end)) : sql<number>`0`;
    return sql`when ${sql.ref(siteColumn)} = ${sql.lit(site.idsite)} then ${day}`;
  });
  if (branches.length === 0) return sql<number>`0`;
  return sql<number>`case ${sql.join(branches, sql` `)} end`;
}

interface OffsetSpan {
  /** The first instant with this offset (the span before it ends there). */
  from: number;
  offset: number;
}

function dayOf(time: RawBuilder<unknown>, spans: readonly OffsetSpan[]): RawBuilder<number> {
  const [head, ...rest] = spans;
  const shifted = (offset: number) => sql<number>`((${time} + ${sql.lit(offset)}) / ${sql.lit(DAY_MS)})`;
  if (!head) return sql<number>`0`;
  if (rest.length === 0) return shifted(head.offset);
  // The last span whose start is at or before the instant holds it.
  const whens = [...spans]
    .reverse()
    .slice(0, -1)
    .map((span) => sql`when ${time} >= ${sql.lit(span.from)} then ${shifted(span.offset)}`);
  return sql<number>`case ${sql.join(whens, sql` `)} else ${shifted(head.offset)} end`;
}

/** The offsets of `timezone` between two instants: a scan by hours-long steps, then the exact change. */
function offsetSpans(timezone: string, start: number, end: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [{ from: start, offset: offsetAt(start, timezone) }];
  if (timezone === 'UTC') return spans;
  // Offsets change at most a few times a year and never twice within twelve hours.
  const step = DAY_MS / 2;
  let before = start;
  for (let instant = start + step; before < end; instant = Math.min(instant + step, end)) {
    const current = (spans[spans.length - 1] as OffsetSpan).offset;
    const offset = offsetAt(instant, timezone);
    if (offset !== current) spans.push({ from: changeBetween(timezone, before, instant, current), offset });
    before = instant;
  }
  return spans;
}

/** The first instant (to the second) after `low` whose offset is no longer `offset`. */
function changeBetween(timezone: string, low: number, high: number, offset: number): number {
  let from = low;
  let to = high;
  while (to - from > 1000) {
    const middle = from + Math.floor((to - from) / 2000) * 1000;
    if (offsetAt(middle, timezone) === offset) from = middle;
    else to = middle;
  }
  return to;
}
