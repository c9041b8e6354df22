import { isMetadata, type Row, subtableOf, type Table } from './table';

/**
 * `hideColumns` and `showColumns` (comma-separated), Matomo's ColumnDelete filter, on every
 * table down the subtables. Metadata (segment, url, subtable id) is never removed; `label` is
 * never removed by `showColumns`, which also keeps `name__anything` columns for each `name`.
 * With `recursive` (`hideColumnsRecursively`, on by default for Live), hidden columns are also
 * removed inside nested lists and objects, such as a visit's `actionDetails`.
 */
export interface ColumnOptions {
  hide: string[];
  show: string[];
  recursive: boolean;
  /** Reports keep their metadata; Live's visits have none (every field is a column in Matomo). */
  metadata: boolean;
}

/** A comma-separated list as Matomo splits it (`explode(',')`), empty meaning none. */
export function columnList(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',');
}

export function deleteColumns(table: Table, options: ColumnOptions): Table {
  if (options.hide.length === 0 && options.show.length === 0) return table;
  return table.map((row) => filterRow(row, options));
}

function filterRow(row: Row, options: ColumnOptions): Row {
  const hidden = new Set(options.hide);
  const kept: Row = {};
  for (const [name, value] of Object.entries(row)) {
    const metadata = options.metadata && isMetadata(name);
    if (!metadata) {
      if (hidden.has(name)) continue;
      if (options.show.length > 0 && name !== 'label' && !shown(name, options.show)) continue;
    }
    kept[name] = options.recursive && !metadata ? withoutHidden(value, hidden) : value;
  }
  const subtable = subtableOf(row);
  if (subtable) kept.subtable = deleteColumns(subtable, options);
  return kept;
}

function shown(name: string, show: readonly string[]): boolean {
  return show.some((column) => column === name || name.startsWith(`${column}__`));
}

/** Removes hidden keys from nested objects and lists, at any depth. */
function withoutHidden(value: unknown, hidden: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutHidden(item, hidden));
  if (value === null || typeof value !== 'object') return value;
  const kept: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(value))
    if (!hidden.has(key)) kept[key] = withoutHidden(item, hidden);
  return kept;
}
