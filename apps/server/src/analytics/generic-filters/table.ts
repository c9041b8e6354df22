/**
 * The rows the generic filters work on: a report's table is an array of plain rows, a row with
 * a loaded subtable carries it in `subtable`. A result keyed by period or site (Matomo's
 * `DataTable\Map`) is an object whose values are tables or further maps.
 */
export type Row = { [column: string]: unknown };
export type Table = Row[];

/**
 * Fields that Matomo keeps as row metadata rather than columns: `showColumns`/`hideColumns`
 * never remove them, the Others row does not sum them, and sorting by one falls back to
 * `nb_visits`, as it does for any column the first row lacks.
 */
const METADATA = new Set([
  'segment',
  'url',
  'code',
  'logo',
  'logoHeight',
  'idsubdatatable',
  'referrer_type',
  'subtable',
  // The location reports' metadata (`UserCountry`'s record builders set them with `setMetadata`).
  'lat',
  'long',
  'city_name',
  'region',
  'region_name',
  'country',
  'country_name',
]);

export function isMetadata(name: string): boolean {
  return METADATA.has(name);
}

/** A column of the row (metadata aside): Matomo's `Row::hasColumn`. */
export function hasColumn(row: Row | undefined, name: string): boolean {
  return row !== undefined && !isMetadata(name) && Object.hasOwn(row, name) && row[name] !== undefined;
}

export function subtableOf(row: Row): Table | undefined {
  const subtable = row.subtable;
  return Array.isArray(subtable) ? (subtable as Table) : undefined;
}

/** Applies `filter` to every table of a result: the result itself, or each table of a map. */
export function forEachTable(result: unknown, filter: (table: Table) => Table): unknown {
  if (Array.isArray(result)) return filter(result as Table);
  if (result !== null && typeof result === 'object') {
    const mapped: { [key: string]: unknown } = {};
    for (const [key, value] of Object.entries(result)) mapped[key] = forEachTable(value, filter);
    return mapped;
  }
  return result;
}
