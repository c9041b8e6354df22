import { MatomoApiError } from '../../errors/matomo-api-error';
import { formatCsvValue } from './csv-value';
import type { MatomoResult } from './matomo-result';
import { entriesOf, isIntegerKey, isPhpArray, type PhpArray } from './php-values';

// Matomo's CSV and TSV layout (core/DataTable/Renderer/Csv.php): a header line with every column
// seen, one line per row; a record is one row; a single value is `value` and the value; a map
// prefixes each row with its key (`date`, `idSite`, or both). Nested columns are flattened
// (`goals_idgoal=1_nb_conversions`); a report row's metadata comes after its columns, prefixed
// `metadata_`; subtables are not exported.

/** The metadata of report rows (not columns), as Matomo's report plugins set them. */
const metadataNames = new Set([
  'segment',
  'logo',
  'logoHeight',
  'logoWidth',
  'code',
  'url',
  'referrer_type',
  'page_title_path',
  'tooltip',
]);
const notExported = new Set(['idsubdatatable', 'subtable']);

type CsvRow = Map<string, unknown>;

/**
 * The columns seen so far, in order, shared by every table of a map as in Matomo, and the map
 * keys among them. Matomo also writes an empty cell for an inner map's key in the rows of the
 * tables after the first (`idSite,date,…` then `2,,2026-11-29,…`); this server does not, so that
 * every row lines up with the header.
 */
interface Columns {
  names: string[];
  keys: Set<string>;
}

function addColumn(columns: Columns, name: string): void {
  if (!columns.names.includes(name)) columns.names.push(name);
}

/** Nested values become columns `name_key` (`Csv::flattenColumnArray`). */
function flattenInto(row: CsvRow, values: PhpArray, template: (name: string) => string): void {
  for (const [name, value] of entriesOf(values)) {
    const csvName = template(name);
    if (isPhpArray(value)) flattenInto(row, value, (inner) => `${csvName}_${inner}`);
    else row.set(csvName, value);
  }
}

/** A record's columns, nested ones flattened. */
function recordRow(source: Record<string, unknown>): CsvRow {
  const row: CsvRow = new Map();
  flattenInto(row, source, (name) => name);
  return row;
}

function reportRow(source: Record<string, unknown>): CsvRow {
  const columns: Record<string, unknown> = {};
  const metadata: [string, unknown][] = [];
  for (const [name, value] of Object.entries(source)) {
    if (notExported.has(name)) continue;
    if (metadataNames.has(name)) metadata.push([name, value]);
    else columns[name] = value;
  }
  const row = recordRow(columns);
  // Matomo leaves out metadata that is not a single value.
  for (const [name, value] of metadata) if (!isPhpArray(value)) row.set(`metadata_${name}`, value);
  return row;
}

const notConvertible =
  "Data structure returned is not convertible in the requested format: %s Try to call this method with the parameters '&format=original&serialize=1'; you will get the original php data structure serialized.";

function refuse(reason: string): never {
  throw new MatomoApiError(notConvertible.replace('%s', reason));
}

function excerpt(value: unknown): string {
  return JSON.stringify(value).slice(0, 500);
}

/** A PHP array as rows (`DataTable::addRowsFromSimpleArray`); deeper structures are refused. */
function arrayRows(value: PhpArray): CsvRow[] {
  const entries = entriesOf(value);
  if (entries.length === 0) return [];
  if (entries.every(([, item]) => !isPhpArray(item))) {
    if (Array.isArray(value)) return value.map((item) => new Map([['0', item]]));
    return [new Map(entries)];
  }
  return entries.map(([key, item]) => {
    if (!isPhpArray(item)) return new Map([[key, item]]);
    if (!isIntegerKey(key)) {
      refuse(
        `Only integer keys supported for array columns on base level. Unsupported string '${key}' found for row '${excerpt(item)}'.`,
      );
    }
    const nested = entriesOf(item).find(([, column]) => isPhpArray(column));
    if (nested) {
      refuse(
        `Multidimensional column values not supported. Found unexpected array value for column '${nested[0]}' in row '${key}': '${excerpt(nested[1])}'.`,
      );
    }
    return new Map(entriesOf(item));
  });
}

export interface CsvLayout {
  separator: string;
}

function headerLine(names: string[], { separator }: CsvLayout): string {
  return names.map((name) => formatCsvValue(name, separator)).join(separator);
}

function rowsText(rows: CsvRow[], columns: Columns, layout: CsvLayout): string {
  for (const row of rows) for (const name of row.keys()) addColumn(columns, name);
  // A lone unnamed column (a list of values) has no header line.
  const names = columns.names.filter((name) => !columns.keys.has(name));
  const [only] = names;
  const unnamed = names.length === 1 && only !== undefined && isIntegerKey(only);
  const lines = rows.map((row) =>
    names.map((name) => formatCsvValue(row.get(name) ?? '', layout.separator)).join(layout.separator),
  );
  return (unnamed ? lines : [headerLine(names, layout), ...lines]).join('\n');
}

function mapText(map: Extract<MatomoResult, { kind: 'map' }>, columns: Columns, layout: CsvLayout): string {
  let text = '';
  for (const [key, table] of map.tables) {
    const lines = tableText(table, columns, layout).split('\n').slice(1);
    const prefix = formatCsvValue(key, layout.separator) + layout.separator;
    if (lines.length > 0) text += `\n${lines.map((line) => prefix + line).join('\n')}`;
  }
  columns.names = [map.keyName, ...columns.names.filter((name) => name !== map.keyName)];
  columns.keys.add(map.keyName);
  return headerLine(columns.names, layout) + text;
}

function tableText(result: MatomoResult, columns: Columns, layout: CsvLayout): string {
  switch (result.kind) {
    case 'map':
      return mapText(result, columns, layout);
    case 'simple': {
      const values = Object.values(result.columns);
      if (values.length === 1) {
        addColumn(columns, 'value');
        return `value\n${formatCsvValue(values[0], layout.separator)}`;
      }
      return rowsText(values.length === 0 ? [] : [recordRow(result.columns)], columns, layout);
    }
    case 'table':
      return rowsText(result.rows.map(reportRow), columns, layout);
    case 'array':
      return rowsText(arrayRows(result.value), columns, layout);
    case 'success':
      return `message${layout.separator === '\t' ? '\t' : '\n'}${result.message}`;
  }
}

/** A result as Matomo's CSV or TSV text; empty when there is nothing to export. */
export function renderCsvText(result: MatomoResult, layout: CsvLayout): string {
  return tableText(result, { names: [], keys: new Set() }, layout);
}
