import { percent, quotient } from '../metrics';
import { isMetadata, type Row, type Table } from './table';

/** Matomo's label for the summary row (`General_Others`, in English). */
export const OTHERS_LABEL = 'Others';

/**
 * The rates and averages our rows carry already computed. Matomo computes them after the
 * generic filters, so the Others row gets them from its summed columns: so do we.
 */
const PROCESSED: { [column: string]: (row: Row, raw: boolean) => string | number } = {
  avg_time_on_page: (row) => quotient(num(row.sum_time_spent), num(row.nb_visits)),
  bounce_rate: (row, raw) =>
    'entry_nb_visits' in row
      ? ratio(num(row.entry_bounce_count), num(row.entry_nb_visits), raw)
      : ratio(num(row.bounce_count), num(row.nb_visits), raw),
  exit_rate: (row, raw) => ratio(num(row.exit_nb_visits), num(row.nb_visits), raw),
};

/** As the rows' own rates: raw quotients (`format_metrics=0`, numbers in the rows) or percentages. */
function ratio(numerator: number, denominator: number, raw: boolean): string | number {
  return raw ? quotient(numerator, denominator, 2) : percent(numerator, denominator);
}

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
  const raw = rows.some((row) => typeof row.bounce_rate === 'number' || typeof row.exit_rate === 'number');
  for (const [name, compute] of Object.entries(PROCESSED))
    if (columns.has(name)) others[name] = compute(others, raw);
  return others;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
