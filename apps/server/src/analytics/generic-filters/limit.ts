import type { Table } from './table';

/**
 * `filter_offset` and `filter_limit`, Matomo's Limit filter: on the table itself, not on its
 * subtables; a negative limit keeps every row after the offset, a negative offset is none.
 */
export interface LimitOptions {
  offset: number;
  limit: number;
}

export function limitTable(table: Table, { offset, limit }: LimitOptions): Table {
  const start = Math.max(0, offset);
  return limit < 0 ? table.slice(start) : table.slice(start, start + limit);
}
