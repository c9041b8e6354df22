import { isPhpArray, isPhpEmpty, type PhpArray } from './php-values';

/**
 * A method's result as Matomo's renderers see it. Reports answer with DataTables: `simple` (a
 * record such as `VisitsSummary.get`, or one value such as `{"value":3}`), `table` (rows), or
 * `map` (DataTable\Map: one table per site or per period, sites outermost). Other methods answer
 * with PHP arrays, which Matomo renders differently (`ResponseBuilder::handleArray`). A void
 * method answers `success`.
 */
export type MatomoResult =
  | { kind: 'simple'; columns: Record<string, unknown> }
  | { kind: 'table'; rows: Record<string, unknown>[] }
  | { kind: 'map'; keyName: 'idSite' | 'date'; tables: [string, MatomoResult][] }
  | { kind: 'array'; value: PhpArray }
  | { kind: 'success'; message: string };

// Period labels (`2026`, `2026-11`, `2026-11-30`, `2026-11-23,2026-11-29`) and site ids.
const mapKey = /^([0-9]+|[0-9]{4}-[0-9]{2}(-[0-9]{2})?(,[0-9]{4}-[0-9]{2}-[0-9]{2})?)$/;

function isMap(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => mapKey.test(key));
}

function isScalarRecord(value: unknown): value is { value: unknown } {
  return (
    isPhpArray(value) &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    'value' in value &&
    !isPhpArray(value.value)
  );
}

function isSuccess(value: unknown): value is { result: 'success'; message: string } {
  return (
    isPhpArray(value) &&
    !Array.isArray(value) &&
    Object.keys(value).length === 2 &&
    value.result === 'success' &&
    typeof value.message === 'string'
  );
}

function dataTableOf(value: unknown, multiSite: boolean): MatomoResult {
  if (Array.isArray(value)) return { kind: 'table', rows: value as Record<string, unknown>[] };
  if (!isPhpArray(value)) return { kind: 'simple', columns: { value } };
  const record = value as Record<string, unknown>;
  if (isPhpEmpty(record)) return { kind: 'table', rows: [] };
  if (isMap(record)) {
    return {
      kind: 'map',
      keyName: multiSite ? 'idSite' : 'date',
      tables: Object.entries(record).map(([key, table]) => [key, dataTableOf(table, false)]),
    };
  }
  return { kind: 'simple', columns: record };
}

/**
 * Reads a result. `dataTable` says whether Matomo's method returns a DataTable; `multiSite`
 * whether the request named several sites (then the outer map is keyed by `idSite`).
 */
export function readMatomoResult(
  value: unknown,
  { dataTable, multiSite }: { dataTable: boolean; multiSite: boolean },
): MatomoResult {
  if (isSuccess(value)) return { kind: 'success', message: value.message };
  if (isScalarRecord(value)) return { kind: 'simple', columns: value };
  if (dataTable) return dataTableOf(value, multiSite);
  if (isPhpArray(value)) return { kind: 'array', value };
  return { kind: 'simple', columns: { value } };
}
