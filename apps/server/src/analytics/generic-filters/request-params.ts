import { Params } from '../../http/params';
import type { GenericFilters, ListKind } from './generic-filters';
import { isLabelPath } from './label';
import { phpInteger } from './php-integer';
import type { Row } from './table';

/**
 * The parameters a table method runs with, so that the generic filters see its whole table:
 * a report returns every row (`filter_limit=-1`, no offset; the filters window it after
 * sorting), and loads its subtables when a `label` path reaches into them. The visit log keeps
 * its window, with values as Matomo's Live API reads them (not a whole number: 10 visits, or
 * offset 0; a negative limit: all).
 */
export function paramsForTable(params: Params, kind: ListKind, filters: GenericFilters): Params {
  if (kind === 'live') {
    return withValues(params, {
      filter_limit: params.sent('filter_limit') ? liveLimit(params.get('filter_limit')) : undefined,
      filter_offset: params.sent('filter_offset') ? liveOffset(params.get('filter_offset')) : undefined,
    });
  }
  return withValues(params, {
    filter_limit: '-1',
    filter_offset: null,
    expanded: needsSubtables(params, filters) ? '1' : undefined,
  });
}

/** The report was asked for its subtables only to follow a `label` path: they are not shown. */
export function needsSubtables(params: Params, filters: GenericFilters): boolean {
  return params.get('expanded') !== '1' && params.get('flat') !== '1' && filters.labels.some(isLabelPath);
}

/** Removes `subtable` from every row, at every depth of the result. */
export function withoutSubtables<T>(result: T): T {
  if (Array.isArray(result)) {
    return result.map((row: Row) => {
      const { subtable: _subtable, ...rest } = row;
      return rest;
    }) as T;
  }
  if (result !== null && typeof result === 'object') {
    const mapped: { [key: string]: unknown } = {};
    for (const [key, value] of Object.entries(result)) mapped[key] = withoutSubtables(value);
    return mapped as T;
  }
  return result;
}

function liveLimit(value: string | undefined): string {
  const limit = phpInteger(value);
  if (limit === undefined) return '10';
  return limit < 0 ? '-1' : String(limit);
}

function liveOffset(value: string | undefined): string {
  return String(Math.max(0, phpInteger(value) ?? 0));
}

/** These parameters with some replaced (`null`: removed; `undefined`: left as sent). */
function withValues(params: Params, values: { [name: string]: string | null | undefined }): Params {
  const entries: [string, string][] = [];
  for (const name of params.names()) {
    if (values[name] !== undefined) continue;
    const all = params.getAll(name);
    if (all.length === 0) entries.push([name, '']);
    for (const value of all) entries.push([name, value]);
  }
  for (const [name, value] of Object.entries(values))
    if (typeof value === 'string') entries.push([name, value]);
  return new Params(entries);
}
