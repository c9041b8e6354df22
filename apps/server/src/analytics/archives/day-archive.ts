import type { Db } from '../../db/database';
import { boundsOf, type PeriodDays, periodContaining } from '../periods';
import type { ReportScope } from '../report-scope';
import { startOfLocalDay } from '../timezone';

/** One row of a report, in one site and one period of a scope. */
export interface ScopedRow<R> {
  idsite: number;
  /** Index into the scope's periods. */
  period: number;
  row: R;
}

/**
 * A report that day archives can serve: its rows for a period are the rows of the period's days
 * added up, row by row (counts and sums add, maxima take the larger). That holds for every
 * report Matomo archives per day and sums into longer periods; it does not for a count of
 * distinct visitors over a whole week, month or year (see `queryVisitMetrics`).
 */
export interface DayArchivedReport<R> {
  /** Names the report and everything its rows depend on besides the site and day. */
  report: string;
  /** The report from the logs, for a scope whose periods are consecutive days. */
  compute(days: ReportScope): Promise<ScopedRow<R>[]>;
  /** Rows with the same key add up into one. */
  keyOf(row: R): string;
  add(a: R, b: R): R;
}

/**
 * A report's rows for every site and period of `scope`, summed from day archives, as Matomo's
 * archiver sums day archives into longer periods. A day is read from the logs once, then from its
 * archive (`archive_days`); a day that has not ended at `now` (today, and later) is read from the
 * logs every time and never stored. Writes to the logs delete the archives of the days they touch
 * (`invalidateDayArchives`), so an archive is always what the logs would give.
 */
export async function sumDayArchives<R>(
  db: Db,
  scope: ReportScope,
  report: DayArchivedReport<R>,
  now: number,
): Promise<ScopedRow<R>[]> {
  const periods = scope.selection.periods;
  const firstPeriod = periods[0];
  const lastPeriod = periods[periods.length - 1];
  if (scope.sites.length === 0 || !firstPeriod || !lastPeriod) return [];
  const first = firstPeriod.first;
  const last = lastPeriod.last;

  const days = new Map<number, Map<number, R[]>>();
  for (const { site } of scope.sites) days.set(site.idsite, new Map());
  const stored = await db
    .selectFrom('archive_days')
    .select(['idsite', 'day', 'rows'])
    .where(
      'idsite',
      'in',
      scope.sites.map(({ site }) => site.idsite),
    )
    .where('report', '=', report.report)
    .where('day', '>=', first)
    .where('day', '<=', last)
    .execute();
  for (const { idsite, day, rows } of stored) days.get(idsite)?.set(day, JSON.parse(rows) as R[]);

  // The days to read from the logs: one span from the first missing day to the last, for every site.
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  const ended = new Map<number, number>();
  for (const { site } of scope.sites) {
    const archived = days.get(site.idsite) as Map<number, R[]>;
    // Days before this one have ended at `now` in the site's timezone.
    let day = first;
    while (day <= last && startOfLocalDay(day + 1, site.timezone) <= now) day++;
    ended.set(site.idsite, day);
    for (let missing = first; missing <= last; missing++) {
      if (missing < day && archived.has(missing)) continue;
      from = Math.min(from, missing);
      to = Math.max(to, missing);
    }
  }
  if (from <= to) {
    const computed = await computeDays(scope, report, from, to);
    const fresh: { idsite: number; report: string; day: number; rows: string }[] = [];
    for (const { site } of scope.sites) {
      const archived = days.get(site.idsite) as Map<number, R[]>;
      const endedBefore = ended.get(site.idsite) as number;
      for (let day = from; day <= to; day++) {
        const rows = computed.get(site.idsite)?.get(day) ?? [];
        if (day < endedBefore && !archived.has(day)) {
          fresh.push({ idsite: site.idsite, report: report.report, day, rows: JSON.stringify(rows) });
        }
        archived.set(day, rows);
      }
    }
    await storeArchives(db, fresh);
  }

  return sumPeriods(scope, report, days);
}

/**
 * A report's rows for every site and period of `scope`, summed from its days computed from the
 * logs, as `sumDayArchives` sums them but with no archive read or stored: for a report whose
 * figures must add up in the same order either way (sums of floating-point values).
 */
export async function sumDaysFromLogs<R>(
  scope: ReportScope,
  report: DayArchivedReport<R>,
): Promise<ScopedRow<R>[]> {
  const periods = scope.selection.periods;
  const firstPeriod = periods[0];
  const lastPeriod = periods[periods.length - 1];
  if (scope.sites.length === 0 || !firstPeriod || !lastPeriod) return [];
  return sumPeriods(scope, report, await computeDays(scope, report, firstPeriod.first, lastPeriod.last));
}

/** Each period's rows: its days' rows added up in day order, row by row. */
function sumPeriods<R>(
  scope: ReportScope,
  report: DayArchivedReport<R>,
  days: Map<number, Map<number, R[]>>,
): ScopedRow<R>[] {
  const result: ScopedRow<R>[] = [];
  for (const { site } of scope.sites) {
    const archived = days.get(site.idsite) ?? new Map<number, R[]>();
    scope.selection.periods.forEach((period, index) => {
      const sum = new Map<string, R>();
      for (let day = period.first; day <= period.last; day++) {
        for (const row of archived.get(day) ?? []) {
          const key = report.keyOf(row);
          const before = sum.get(key);
          sum.set(key, before === undefined ? row : report.add(before, row));
        }
      }
      for (const row of sum.values()) result.push({ idsite: site.idsite, period: index, row });
    });
  }
  return result;
}

/** The report from the logs for the days `from`…`to` of every site, by site then day. */
async function computeDays<R>(
  scope: ReportScope,
  report: DayArchivedReport<R>,
  from: number,
  to: number,
): Promise<Map<number, Map<number, R[]>>> {
  const periods: PeriodDays[] = [];
  for (let day = from; day <= to; day++) periods.push(periodContaining('day', day));
  const dayScope: ReportScope = {
    ...scope,
    selection: { period: 'day', periods, multiple: true },
    sites: scope.sites.map(({ site }) => ({ site, bounds: boundsOf(periods, site.timezone) })),
    byPeriod: true,
  };
  const bySite = new Map<number, Map<number, R[]>>();
  for (const { idsite, period, row } of await report.compute(dayScope)) {
    let byDay = bySite.get(idsite);
    if (!byDay) {
      byDay = new Map();
      bySite.set(idsite, byDay);
    }
    const day = from + period;
    const rows = byDay.get(day);
    if (rows) rows.push(row);
    else byDay.set(day, [row]);
  }
  return bySite;
}

/** Archives per statement: four parameters each, well under either database's limit. */
const STORE_BATCH = 500;

/** Stores archives; one computed at the same moment by another request is replaced (both are alike). */
export async function storeArchives(
  db: Db,
  rows: readonly { idsite: number; report: string; day: number; rows: string }[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += STORE_BATCH) {
    await db
      .insertInto('archive_days')
      .values(rows.slice(start, start + STORE_BATCH))
      // Two requests may archive the same day at once: both computed the same rows.
      .onConflict((conflict) =>
        conflict
          .columns(['idsite', 'report', 'day'])
          .doUpdateSet((eb) => ({ rows: eb.ref('excluded.rows') })),
      )
      .execute();
  }
}
