import { type RawBuilder, sql } from 'kysely';
import { localDayKey } from './local-day-key';
import type { ReportScope } from './report-scope';

/**
 * Matomo archives the Actions reports per day and sums the days into longer periods, renaming
 * unique visitors `sum_daily_*` on the way (plugins/Actions/Metrics.php
 * `$columnsToRenameAfterAggregation`). A longer period's unique visitors are therefore distinct
 * (visitor, local day) pairs; a day's are distinct visitors.
 */
export function dailyActionUniques(scope: ReportScope): boolean {
  return scope.selection.period !== 'day';
}

/**
 * SQL for what tells two counted visitors apart within a cell: the visitor, and on a longer
 * period the local day of `timeColumn` (the row's own day archive).
 */
export function visitorDay(
  scope: ReportScope,
  siteColumn: string,
  visitorColumn: string,
  timeColumn: string,
): RawBuilder<string> {
  return perLocalDay(scope, siteColumn, visitorColumn, timeColumn);
}

/**
 * SQL for what tells two counted visits apart within a cell: the visit, and on a longer period
 * the local day of `timeColumn`. Matomo sums a page's daily visits into a longer period, so a
 * visit with page views on two days counts on each (a day archive counts it once).
 */
export function visitDay(
  scope: ReportScope,
  siteColumn: string,
  visitColumn: string,
  timeColumn: string,
): RawBuilder<string> {
  return perLocalDay(scope, siteColumn, visitColumn, timeColumn);
}

function perLocalDay(
  scope: ReportScope,
  siteColumn: string,
  column: string,
  timeColumn: string,
): RawBuilder<string> {
  const value = sql.ref(column);
  if (!dailyActionUniques(scope)) return sql<string>`${value}`;
  return sql<string>`${value} || '/' || ${localDayKey(scope.sites, siteColumn, timeColumn)}`;
}

/** The unique visitor counts of an action row: of its page views, entries and exits. */
export interface ActionUniques {
  nb_uniq_visitors: number;
  entry_nb_uniq_visitors: number;
  exit_nb_uniq_visitors: number;
}

/**
 * The `sum_daily_*` columns of a longer period's row, in Matomo's order (they come after every
 * summed column). `landings` says which of them the row has: Matomo's rows have entry (exit)
 * columns only when some visit entered (left) there.
 */
export function sumDailyColumns(
  uniques: ActionUniques,
  landings: { entry: boolean; exit: boolean },
): {
  sum_daily_nb_uniq_visitors: number;
  sum_daily_entry_nb_uniq_visitors?: number;
  sum_daily_exit_nb_uniq_visitors?: number;
} {
  return {
    sum_daily_nb_uniq_visitors: uniques.nb_uniq_visitors,
    ...(landings.entry ? { sum_daily_entry_nb_uniq_visitors: uniques.entry_nb_uniq_visitors } : {}),
    ...(landings.exit ? { sum_daily_exit_nb_uniq_visitors: uniques.exit_nb_uniq_visitors } : {}),
  };
}
