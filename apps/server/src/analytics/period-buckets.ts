import { type RawBuilder, sql } from 'kysely';
import type { PeriodBounds } from './periods';
import type { SiteScope } from './report-scope';

/**
 * SQL that puts rows into periods, in one query for every site and period of a request.
 *
 * The requested periods of a site are consecutive, so `inPeriods` is one time range per site
 * (one index range scan each), and `periodIndex` finds a row's period with a binary search
 * written as nested `case` expressions: about log2(periods) comparisons per row, with the
 * boundaries inlined as integer literals. Sites whose boundaries are equal (same timezone)
 * share one search. Both are standard SQL that PostgreSQL also runs.
 */

/** True for a row of one of the sites, inside its requested periods. */
export function inPeriods(
  sites: readonly SiteScope[],
  siteColumn: string,
  timeColumn: string,
): RawBuilder<boolean> {
  const time = sql.ref(timeColumn);
  const idsite = sql.ref(siteColumn);
  const ranges = sites.map(({ site, bounds }) => {
    const first = bounds[0];
    const last = bounds[bounds.length - 1];
    if (!first || !last) return sql<boolean>`1 = 0`;
    return sql<boolean>`(${idsite} = ${site.idsite} and ${time} >= ${first.start} and ${time} < ${last.end})`;
  });
  if (ranges.length === 0) return sql<boolean>`1 = 0`;
  return sql<boolean>`(${sql.join(ranges, sql` or `)})`;
}

/** The 0-based index of the period that holds a row (meaningful for rows that pass `inPeriods`). */
export function periodIndex(
  sites: readonly SiteScope[],
  siteColumn: string,
  timeColumn: string,
): RawBuilder<number> {
  const time = sql.ref(timeColumn);
  const groups = new Map<string, { ids: number[]; bounds: PeriodBounds[] }>();
  for (const { site, bounds } of sites) {
    const key = bounds.map((bound) => bound.start).join(',');
    const group = groups.get(key);
    if (group) group.ids.push(site.idsite);
    else groups.set(key, { ids: [site.idsite], bounds });
  }
  const searches = [...groups.values()];
  const [only] = searches;
  if (searches.length === 1 && only) return search(time, only.bounds, 0, only.bounds.length - 1);
  const branches = searches.map(
    ({ ids, bounds }) =>
      sql`when ${sql.ref(siteColumn)} in (${sql.join(ids.map((id) => sql.lit(id)))}) then ${search(time, bounds, 0, bounds.length - 1)}`,
  );
  return sql<number>`case ${sql.join(branches, sql` `)} end`;
}

function search(
  time: RawBuilder<unknown>,
  bounds: readonly PeriodBounds[],
  low: number,
  high: number,
): RawBuilder<number> {
  if (high <= low) return sql<number>`${sql.lit(Math.max(low, 0))}`;
  const middle = Math.ceil((low + high) / 2);
  const boundary = (bounds[middle] as PeriodBounds).start;
  return sql<number>`case when ${time} < ${sql.lit(boundary)} then ${search(time, bounds, low, middle - 1)} else ${search(time, bounds, middle, high)} end`;
}
