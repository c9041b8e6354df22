import { MatomoApiError } from '../../errors/matomo-api-error';
import type { Params } from '../../http/params';
import { columnList } from './columns';
import { compilePattern } from './pattern';
import { isNumericValue, phpInteger } from './php-integer';
import { deleteFields } from './record-columns';

/**
 * The generic filters Matomo applies to a method that returns a plain PHP array rather than a
 * report (`ResponseBuilder::handleArray`): the site lists, `Annotations.getAll`, `Live.getCounters`.
 * Only when the array's first key is numeric (a list, or a map keyed by site id):
 * - `filter_pattern` on the `filter_column[]` fields, and only when `filter_column` is sent as a
 *   PHP array: a plain `filter_column=name` is not an array to `getRequestVar`, so nothing is
 *   filtered. Kept entries keep their keys.
 * - `filter_offset`/`filter_limit` (default: every entry) with `array_slice`, which renumbers
 *   the keys: a map keyed by site id becomes a list.
 * - `hideColumns`/`showColumns` on each entry, when the first entry is a record (has named fields).
 * No sort, no truncate, no `label`. Entries whose keys are no longer `0..n-1` come back as an
 * object keyed by the kept keys, as PHP's `json_encode` writes such an array.
 */
export function filterArrayResult(result: unknown, params: Params): unknown {
  const entries = entriesOf(result);
  if (entries === undefined || entries.length === 0) return result;
  const [firstKey, firstValue] = entries[0] as Entry;
  if (!isNumericValue(firstKey)) return result;
  let kept = entries;
  let changed = false;
  const columns = arrayParam(params, 'filter_column');
  const pattern = params.get('filter_pattern');
  if (columns !== undefined && pattern !== undefined) {
    kept = filterByPattern(kept, columns, pattern);
    changed = true;
  }
  const limit = params.sent('filter_limit') ? (phpInteger(params.get('filter_limit')) ?? -1) : -1;
  const offset = params.sent('filter_offset') ? (phpInteger(params.get('filter_offset')) ?? 0) : 0;
  if (limit >= 0 || offset > 0) {
    kept = slice(kept, offset, limit < 0 ? undefined : limit);
    changed = true;
  }
  const hide = columnList(params.get('hideColumns'));
  const show = columnList(params.get('showColumns'));
  if (isRecord(firstValue) && (hide.length > 0 || show.length > 0)) {
    kept = kept.map(([key, value]) => [key, isRecord(value) ? deleteFields(value, hide, show) : value]);
    changed = true;
  }
  return changed ? fromEntries(kept) : result;
}

type Entry = [string, unknown];

function entriesOf(result: unknown): Entry[] | undefined {
  if (Array.isArray(result)) return result.map((value, index) => [String(index), value]);
  if (isRecord(result)) return Object.entries(result);
  return undefined;
}

/** A PHP array with named fields (`count(array_filter(array_keys(…), 'is_string')) > 0`). */
function isRecord(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `name[]=a&name[1]=b`: the values of a PHP array parameter; undefined when it is not sent as one. */
function arrayParam(params: Params, name: string): string[] | undefined {
  const names = params.names().filter((sent) => sent.startsWith(`${name}[`) && sent.endsWith(']'));
  if (names.length === 0) return undefined;
  return names.flatMap((sent) => params.getAll(sent));
}

/** `Pattern::filterArray`: an entry stays when one of the columns it has matches, case-insensitively. */
function filterByPattern(entries: Entry[], columns: string[], pattern: string): Entry[] {
  const regex = compilePattern(pattern);
  return entries.filter(([, row]) =>
    columns.some((column) => {
      const fields = fieldsOf(row);
      if (!Object.hasOwn(fields, column)) return false;
      return regex?.test(subjectText(fields[column])) === true;
    }),
  );
}

function fieldsOf(row: unknown): { [key: string]: unknown } {
  if (Array.isArray(row) || isRecord(row)) return row as { [key: string]: unknown };
  // What PHP 8 throws for `array_key_exists($column, $row)` on a list of ids.
  throw new MatomoApiError(
    `array_key_exists(): Argument #2 ($array) must be of type array, ${phpType(row)} given`,
  );
}

/** A value as `preg_match` reads its subject. */
function subjectText(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value === true) return '1';
  if (typeof value === 'object') {
    throw new MatomoApiError('preg_match(): Argument #2 ($subject) must be of type string, array given');
  }
  return String(value);
}

function phpType(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (value === null || value === undefined) return 'null';
  return 'string';
}

/** `array_slice($array, $offset, $length)`: a negative offset counts from the end; keys renumbered. */
function slice(entries: Entry[], offset: number, length: number | undefined): Entry[] {
  const start = offset < 0 ? Math.max(0, entries.length + offset) : offset;
  const kept = length === undefined ? entries.slice(start) : entries.slice(start, start + length);
  return kept.map(([, value], index) => [String(index), value]);
}

/** A list when the keys are `0..n-1` (PHP's `json_encode` then writes `[…]`), otherwise an object. */
function fromEntries(entries: Entry[]): unknown {
  if (entries.every(([key], index) => key === String(index))) return entries.map(([, value]) => value);
  return Object.fromEntries(entries);
}
