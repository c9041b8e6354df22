import type { Params } from '../../http/params';
import { type ColumnOptions, columnList, deleteColumns } from './columns';
import { filterByLabels, requestedLabels } from './label';
import { type LimitOptions, limitTable } from './limit';
import { filterPattern, filterPatternRecursive, type PatternOptions } from './pattern';
import { isNumericValue, phpInteger } from './php-integer';
import { type SortOptions, sortTable } from './sort';
import { forEachTable, type Table } from './table';
import { truncateTable } from './truncate';

/** Matomo's `API_datatable_default_limit`: the rows an HTTP API request gets without `filter_limit`. */
export const API_DEFAULT_FILTER_LIMIT = 100;

/**
 * How a method's result takes the generic filters. `report`: every filter (Matomo's reports,
 * default sort by visits). `live`: the visit log, which applies `filter_limit`/`filter_offset`
 * itself in its query and keeps its own order, so Sort and Limit are off (as Matomo's Live API
 * disables them), and neither is Truncate here (a visit is no row to sum). `record`: one record
 * per site and period (a `DataTable\Simple`), which takes `hideColumns`/`showColumns`
 * (`record-columns.ts`). `array`: a plain PHP array, filtered as `ResponseBuilder::handleArray`
 * does (`array-filters.ts`).
 */
export type TableKind = ListKind | 'record' | 'array';

/** The kinds whose result is a table of rows, read by `readGenericFilters`. */
export type ListKind = 'report' | 'live';

/** What a request asks of the generic filters; a filter whose parameters are unusable is `undefined` (skipped). */
export interface GenericFilters {
  pattern: PatternOptions | undefined;
  patternRecursive: PatternOptions | undefined;
  sort: SortOptions | undefined;
  truncate: number | undefined;
  limit: LimitOptions | undefined;
  columns: ColumnOptions;
  labels: string[];
}

/**
 * Reads the generic filter parameters as Matomo's DataTableGenericFilter does: no error for a
 * bad value. An integer parameter that is not one falls back to its default (`filter_offset`
 * to 0) or, without a default, skips its filter (`filter_limit=abc` returns every row, as
 * Matomo does). `filter_limit` absent is Matomo's API default, 100. With `label`, Limit and
 * Truncate are off. `disable_generic_filters` (any value but 0) turns Pattern, Sort, Truncate
 * and Limit off.
 */
export function readGenericFilters(params: Params, kind: ListKind): GenericFilters {
  const labels = requestedLabels(params);
  const enabled = genericFiltersEnabled(params);
  const pattern = params.get('filter_pattern');
  const patternRecursive = params.get('filter_pattern_recursive');
  const limit = params.sent('filter_limit')
    ? phpInteger(params.get('filter_limit'))
    : API_DEFAULT_FILTER_LIMIT;
  const hideRecursively = phpInteger(params.get('hideColumnsRecursively'));
  return {
    pattern:
      enabled && pattern !== undefined
        ? { column: params.get('filter_column') ?? 'label', pattern }
        : undefined,
    patternRecursive:
      enabled && patternRecursive !== undefined
        ? { column: params.get('filter_column_recursive') ?? 'label', pattern: patternRecursive }
        : undefined,
    sort:
      enabled && kind === 'report'
        ? {
            column: params.get('filter_sort_column') ?? 'nb_visits',
            order: params.get('filter_sort_order')?.toLowerCase() === 'asc' ? 'asc' : 'desc',
          }
        : undefined,
    truncate:
      enabled && kind === 'report' && labels.length === 0
        ? phpInteger(params.get('filter_truncate'))
        : undefined,
    limit:
      enabled && kind === 'report' && labels.length === 0 && limit !== undefined
        ? { offset: phpInteger(params.get('filter_offset')) ?? 0, limit }
        : undefined,
    columns: {
      hide: columnList(params.get('hideColumns')),
      show: columnList(params.get('showColumns')),
      recursive: (hideRecursively ?? (kind === 'live' ? 1 : 0)) !== 0,
      metadata: kind === 'report',
    },
    labels,
  };
}

function genericFiltersEnabled(params: Params): boolean {
  const value = params.get('disable_generic_filters');
  // Matomo compares `0 == $value`: only a numeric zero (`0`, `0.0`) leaves them on.
  return value === undefined || (isNumericValue(value) && Number(value.trim()) === 0);
}

/** The filters on one table, in Matomo's order: Pattern, PatternRecursive, Sort, Truncate, Limit, then ColumnDelete, then label. */
export function filterTable(table: Table, filters: GenericFilters): Table {
  let rows = table;
  if (filters.pattern) rows = filterPattern(rows, filters.pattern);
  if (filters.patternRecursive) rows = filterPatternRecursive(rows, filters.patternRecursive);
  if (filters.sort) rows = sortTable(rows, filters.sort);
  if (filters.truncate !== undefined) rows = truncateTable(rows, filters.truncate);
  if (filters.limit) rows = limitTable(rows, filters.limit);
  rows = deleteColumns(rows, filters.columns);
  if (filters.labels.length > 0) rows = filterByLabels(rows, filters.labels);
  return rows;
}

/** Applies the filters to every table of a result: a table, or each table of a map by period or site. */
export function applyGenericFilters<T>(result: T, filters: GenericFilters): T {
  return forEachTable(result, (table) => filterTable(table, filters)) as T;
}
