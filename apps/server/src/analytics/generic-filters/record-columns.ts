import type { Params } from '../../http/params';
import { columnList } from './columns';

type Fields = { [name: string]: unknown };

/**
 * `hideColumns`/`showColumns` on a method whose result is one record per site and period
 * (`VisitsSummary.get`, `Actions.get`, `VisitFrequency.get`): Matomo's ColumnDelete on the one
 * row of a `DataTable\Simple`, in each table of a map. An empty period (`[]`) stays as it is.
 */
export function deleteRecordColumns(result: unknown, params: Params): unknown {
  const hide = columnList(params.get('hideColumns'));
  const show = columnList(params.get('showColumns'));
  if (hide.length === 0 && show.length === 0) return result;
  return forEachRecord(result, (record) => deleteFields(record, hide, show));
}

function forEachRecord(result: unknown, change: (record: Fields) => Fields): unknown {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return result;
  const values = Object.values(result);
  // A record holds metrics; a map (by site or period) holds records, `[]` or further maps.
  if (!values.some((value) => value !== null && typeof value === 'object')) return change(result as Fields);
  const mapped: Fields = {};
  for (const [key, value] of Object.entries(result)) mapped[key] = forEachRecord(value, change);
  return mapped;
}

/**
 * Matomo's ColumnDelete on a record without metadata: `hideColumns` first, then only the
 * `showColumns` ones (and `name__…` columns for each `name`); `label` always stays.
 */
export function deleteFields(row: Fields, hide: readonly string[], show: readonly string[]): Fields {
  const kept: Fields = {};
  for (const [name, value] of Object.entries(row)) {
    if (hide.includes(name)) continue;
    const shown =
      show.length === 0 ||
      name === 'label' ||
      show.some((column) => column === name || name.startsWith(`${column}__`));
    if (shown) kept[name] = value;
  }
  return kept;
}
