import type { Db } from '../../db/database';
import type { ReportScope } from '../report-scope';
import { cellKey } from '../visit-metrics';
import { sumDayArchives } from './day-archive';

/** A report's rows per cell (`cellKey`: site and period), each row keyed by what it counts (a page id, a title). */
export type Cells<K, M> = Map<string, Map<K, M>>;

/**
 * A report whose rows are keyed per cell, from day archives: `fromLogs` computes the days, and a
 * period's row is its days' rows added with `add` (see `sumDayArchives`).
 */
export async function sumCellArchives<K extends string | number, M>(
  db: Db,
  scope: ReportScope,
  report: string,
  fromLogs: (days: ReportScope) => Promise<Cells<K, M>>,
  add: (a: M, b: M) => M,
): Promise<Cells<K, M>> {
  const rows = await sumDayArchives<{ key: K; metrics: M }>(
    db,
    scope,
    {
      report,
      compute: async (days) => {
        const cells = await fromLogs(days);
        const rows = [];
        for (const { site } of days.sites) {
          for (let period = 0; period < days.selection.periods.length; period++) {
            for (const [key, metrics] of cells.get(cellKey(site.idsite, period)) ?? []) {
              rows.push({ idsite: site.idsite, period, row: { key, metrics } });
            }
          }
        }
        return rows;
      },
      keyOf: (row) => JSON.stringify(row.key),
      add: (a, b) => ({ key: a.key, metrics: add(a.metrics, b.metrics) }),
    },
    scope.now,
  );
  const cells: Cells<K, M> = new Map();
  for (const { idsite, period, row } of rows) {
    const cell = cellKey(idsite, period);
    const keyed = cells.get(cell) ?? new Map<K, M>();
    cells.set(cell, keyed);
    keyed.set(row.key, row.metrics);
  }
  return cells;
}

/** Two rows of counts as one: every field added. */
export function addCounts<M extends { [K in keyof M]: number }>(a: M, b: M): M {
  const sum = { ...a };
  for (const column of Object.keys(b) as (keyof M)[]) {
    (sum[column] as number) = a[column] + b[column];
  }
  return sum;
}
