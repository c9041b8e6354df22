import { percent, quotient } from '../metrics';
import { isMetadata, type Row, type Table } from './table';

/** Matomo's label for the summary row (`General_Others`, in English). */
export const OTHERS_LABEL = 'Others';

/**
 * The rates and averages our rows carry already computed. Matomo computes them after the
 * generic filters, so the Others row gets them from its summed columns: so do we.
 */
const PROCESSED: { [column: string]: (row: Row) => string | number } = {
  avg_time_on_page: (row) => quotient(num(row.sum_time_spent), num(row.nb_visits)),
  bounce_rate: (row) =>
    'entry_nb_visits' in row
      ? percent(num(row.entry_bounce_count), num(row.entry_nb_visits))
      : percent(num(row.bounce_count), num(row.nb_visits)),
  exit_rate: (row) => percent(num(row.exit_nb_visits), num(row.nb_visits)),
};

/**
 * The Others row of a truncated table: Matomo's `Row::sumRow` without metadata, so numbers are
 * summed (`max_actions` takes the maximum), metadata (segment, url, subtable id) is dropped.
 */
export function othersRow(rows: Table): Row {
  const others: Row = { label: OTHERS_LABEL };
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      if (name === 'label' || isMetadata(name) || name in PROCESSED || typeof value !== 'number') continue;
      const current = others[name];
      if (typeof current !== 'number') others[name] = value;
      else others[name] = name === 'max_actions' ? Math.max(current, value) : current + value;
    }
  }
  const columns = new Set(rows.flatMap((row) => Object.keys(row)));
  for (const [name, compute] of Object.entries(PROCESSED))
    if (columns.has(name)) others[name] = compute(others);
  return others;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
