import { othersRow } from './others-row';
import { subtableOf, type Table } from './table';

/**
 * `filter_truncate=N`, Matomo's Truncate filter: a table of more than N+1 rows keeps its first
 * N (in the order the sort left them) and sums the rest into one "Others" row, placed last;
 * the subtables of the rows kept are truncated the same way. A negative N does nothing.
 */
export function truncateTable(table: Table, truncateAfter: number): Table {
  if (truncateAfter < 0) return table;
  const truncated =
    table.length <= truncateAfter + 1
      ? table
      : [...table.slice(0, truncateAfter), othersRow(table.slice(truncateAfter))];
  return truncated.map((row) => {
    const subtable = subtableOf(row);
    return subtable ? { ...row, subtable: truncateTable(subtable, truncateAfter) } : row;
  });
}
