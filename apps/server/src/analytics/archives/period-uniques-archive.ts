import type { Db } from '../../db/database';
import { boundsOf, type PeriodDays } from '../periods';
import type { ReportScope } from '../report-scope';
import { startOfLocalDay } from '../timezone';
import { storeArchives } from './day-archive';

type Key = string | number | null;

/** The distinct visitors of one group of visits in one site and period. */
export interface PeriodUniques {
  idsite: number;
  /** Index into the scope's periods. */
  period: number;
  key: Key;
  subkey: Key;
  uniques: number;
}

/** What `archive_days` keeps of a whole period: `[key, subkey, uniques]` per group. */
type StoredUniques = [Key, Key, number][];

/**
 * The distinct visitors of each group over whole weeks or months, as Matomo archives them per
 * period: counted from the logs once per period that has ended in the site's timezone, then read
 * from `archive_days` under the period's last day (`report` names the grouping and the period
 * kind). A period not yet ended is counted from the logs every time and never stored. Writes to
 * the logs delete the archives of the periods they touch (`invalidateDayArchives`).
 */
export async function archivedPeriodUniques(
  db: Db,
  scope: ReportScope,
  report: string,
  count: (periods: ReportScope) => Promise<PeriodUniques[]>,
): Promise<PeriodUniques[]> {
  const periods = scope.selection.periods;
  const name = `uniques/${scope.selection.period}/${report}`;
  const siteIds = scope.sites.map(({ site }) => site.idsite);
  const stored =
    siteIds.length === 0 || periods.length === 0
      ? []
      : await db
          .selectFrom('archive_days')
          .select(['idsite', 'day', 'rows'])
          .where('idsite', 'in', siteIds)
          .where('report', '=', name)
          .where(
            'day',
            'in',
            periods.map((period) => period.last),
          )
          .execute();
  const archived = new Map<string, StoredUniques>();
  for (const { idsite, day, rows } of stored)
    archived.set(`${idsite}/${day}`, JSON.parse(rows) as StoredUniques);

  const result: PeriodUniques[] = [];
  const missing = new Set<number>();
  for (const { site } of scope.sites) {
    periods.forEach((period, index) => {
      const rows = archived.get(`${site.idsite}/${period.last}`);
      if (!rows) missing.add(index);
      else
        for (const [key, subkey, uniques] of rows)
          result.push({ idsite: site.idsite, period: index, key, subkey, uniques });
    });
  }
  if (missing.size === 0) return result;

  // One span of consecutive periods from the first missing to the last, for every site, in one
  // query (the logs' period search assumes consecutive periods): what is archived already, for
  // a period in between or for another site, is counted too and left out below.
  const firstMissing = Math.min(...missing);
  const counted = periods.slice(firstMissing, Math.max(...missing) + 1);
  const countScope: ReportScope = {
    ...scope,
    selection: { ...scope.selection, periods: counted, multiple: true },
    sites: scope.sites.map(({ site }) => ({ site, bounds: boundsOf(counted, site.timezone) })),
    byPeriod: true,
  };
  const fresh = new Map<string, { idsite: number; day: number; rows: StoredUniques }>();
  for (const { site } of scope.sites) {
    for (const period of counted) {
      // Only whole periods that have ended at `now` in the site's timezone are stored.
      if (archived.has(`${site.idsite}/${period.last}`)) continue;
      if (startOfLocalDay(period.last + 1, site.timezone) > scope.now) continue;
      fresh.set(`${site.idsite}/${period.last}`, { idsite: site.idsite, day: period.last, rows: [] });
    }
  }
  for (const row of await count(countScope)) {
    const period = counted[row.period] as PeriodDays;
    const id = `${row.idsite}/${period.last}`;
    if (archived.has(id)) continue;
    result.push({ ...row, period: firstMissing + row.period });
    fresh.get(id)?.rows.push([row.key, row.subkey, row.uniques]);
  }
  const values = [...fresh.values()].map(({ idsite, day, rows }) => ({
    idsite,
    report: name,
    day,
    rows: JSON.stringify(rows),
  }));
  await storeArchives(db, values);
  return result;
}
