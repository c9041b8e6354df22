import { naturalCompare } from './natural-compare';
import { isNumericValue } from './php-integer';
import { hasColumn, type Row, subtableOf, type Table } from './table';

/**
 * `filter_sort_column` and `filter_sort_order`, as Matomo's Sort filter and `Metrics\Sorter`
 * do it: on every table down the subtables; a column the first row lacks falls back to
 * `nb_visits`; numbers compare as numbers and text naturally without case; rows without a
 * value go last. When the primary column is numeric, ties are broken by `label` (the other way
 * round: ascending when sorting descending) after `nb_visits`, or by `nb_visits` (the same way)
 * after any other column.
 */
export interface SortOptions {
  /** Empty: no sorting. */
  column: string;
  /** Anything but `asc` is descending, as in Matomo. */
  order: 'asc' | 'desc';
}

type Kind = 'numeric' | 'text';

interface SortPlan {
  primary: string;
  primaryKind: Kind;
  direction: 1 | -1;
  secondary: { column: string; kind: Kind; direction: 1 | -1 } | undefined;
  secondaryForTies: boolean;
}

export function sortTable(table: Table, { column, order }: SortOptions): Table {
  const first = table[0];
  if (column === '' || first === undefined) return table;
  const primary = hasColumn(first, column) ? column : hasColumn(first, 'nb_visits') ? 'nb_visits' : column;
  const direction = order === 'asc' ? 1 : -1;
  const primaryKind = kindOf(table, primary);
  const secondaryColumn = secondaryColumnFor(first, primary);
  const plan: SortPlan = {
    primary,
    primaryKind,
    direction,
    secondary:
      secondaryColumn === undefined
        ? undefined
        : {
            column: secondaryColumn,
            kind: kindOf(table, secondaryColumn),
            direction: secondaryColumn === 'label' ? (-direction as 1 | -1) : direction,
          },
    secondaryForTies: primaryKind === 'numeric',
  };
  return sortWith(table, plan);
}

function sortWith(table: Table, plan: SortPlan): Table {
  const withValue: Row[] = [];
  const withoutValue: Row[] = [];
  for (const row of table) (sortValue(row[plan.primary]) === undefined ? withoutValue : withValue).push(row);
  const { secondary } = plan;
  withValue.sort((a, b) => {
    const primary = compareCells(a[plan.primary], b[plan.primary], plan.primaryKind) * plan.direction;
    if (primary !== 0 || !plan.secondaryForTies || !secondary) return primary;
    return compareCells(a[secondary.column], b[secondary.column], secondary.kind) * secondary.direction;
  });
  if (secondary) {
    withoutValue.sort(
      (a, b) => compareCells(a[secondary.column], b[secondary.column], secondary.kind) * secondary.direction,
    );
  }
  return [...withValue, ...withoutValue].map((row) => {
    const subtable = subtableOf(row);
    return subtable && subtable.length > 0 ? { ...row, subtable: sortWith(subtable, plan) } : row;
  });
}

/** Matomo's secondary column: `label` after `nb_visits`; otherwise `nb_visits`, else `label`. */
function secondaryColumnFor(first: Row, primary: string): string | undefined {
  if (primary === 'nb_visits') return hasColumn(first, 'label') ? 'label' : undefined;
  const candidates = primary === 'label' ? ['nb_visits'] : ['nb_visits', 'label'];
  return candidates.find((column) => hasColumn(first, column));
}

/** Numeric when the first row that has a value holds a number (`label` always sorts as text). */
function kindOf(table: Table, column: string): Kind {
  if (column === 'label') return 'text';
  for (const row of table) {
    const value = sortValue(row[column]);
    if (value !== undefined) return typeof value === 'number' ? 'numeric' : 'text';
  }
  return 'text';
}

/**
 * The value a cell sorts by; `undefined` for none (absent, null, a list). Our rates are
 * already formatted (`"43%"`) where Matomo sorts the raw ratio: they sort by their number.
 */
function sortValue(value: unknown): number | string | undefined {
  if (value === undefined || value === null || typeof value === 'object') return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = String(value);
  if (isNumericValue(text)) return Number(text.trim());
  const rate = /^(-?\d+(?:\.\d+)?)%$/.exec(text);
  return rate ? Number(rate[1]) : text;
}

function compareCells(a: unknown, b: unknown, kind: Kind): number {
  const x = sortValue(a);
  const y = sortValue(b);
  if (kind === 'numeric') {
    const difference = toNumber(x) - toNumber(y);
    return difference === 0 ? 0 : Math.sign(difference);
  }
  return naturalCompare(cellText(a), cellText(b));
}

function cellText(value: unknown): string {
  return value === undefined || value === null || typeof value === 'object' ? '' : String(value);
}

function toNumber(value: number | string | undefined): number {
  return typeof value === 'number' ? value : 0;
}
