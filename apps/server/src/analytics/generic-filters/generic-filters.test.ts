import { expect, test } from 'vitest';
import { Params } from '../../http/params';
import { applyGenericFilters, filterTable, type ListKind, readGenericFilters } from './generic-filters';
import { phpInteger } from './php-integer';
import type { Table } from './table';

const table: Table = ['a', 'b', 'c', 'd', 'e'].map((label, index) => ({ label, nb_visits: 10 - index }));
const run = (query: string, kind: ListKind = 'report') =>
  filterTable(table, readGenericFilters(Params.parse(query), kind)).map((row) => row.label);

test.each([
  ['no parameters: sorted by visits, at most 100', '', ['a', 'b', 'c', 'd', 'e']],
  ['filter_limit', 'filter_limit=2', ['a', 'b']],
  ['filter_limit=-1', 'filter_limit=-1', ['a', 'b', 'c', 'd', 'e']],
  ['filter_offset', 'filter_limit=2&filter_offset=3', ['d', 'e']],
  [
    'filter_limit=abc skips the Limit filter, offset included',
    'filter_limit=abc&filter_offset=2',
    ['a', 'b', 'c', 'd', 'e'],
  ],
  ['filter_offset=x falls back to 0', 'filter_limit=1&filter_offset=x', ['a']],
  ['filter_limit=2.0 is 2', 'filter_limit=2.0', ['a', 'b']],
  ['filter_limit=1.5 skips', 'filter_limit=1.5', ['a', 'b', 'c', 'd', 'e']],
  ['sort ascending', 'filter_sort_order=asc&filter_limit=2', ['e', 'd']],
  ['an unknown order is descending', 'filter_sort_order=up&filter_limit=1', ['a']],
  ['pattern before sort and limit', 'filter_pattern=[bde]&filter_sort_order=asc&filter_limit=2', ['e', 'd']],
  ['truncate then limit: Others counts as a row', 'filter_truncate=2&filter_limit=3', ['a', 'b', 'Others']],
  ['label turns Limit and Truncate off', 'label=e&filter_limit=1&filter_truncate=0', ['e']],
  [
    'disable_generic_filters',
    'disable_generic_filters=1&filter_limit=1&filter_sort_order=asc',
    ['a', 'b', 'c', 'd', 'e'],
  ],
  ['disable_generic_filters=0 leaves them on', 'disable_generic_filters=0&filter_limit=1', ['a']],
  [
    'live: no Sort, no Limit, no Truncate',
    'filter_sort_order=asc&filter_limit=1&filter_truncate=0',
    ['a', 'b', 'c', 'd', 'e'],
    'live',
  ],
  ['live: pattern still applies', 'filter_pattern=^[ae]$', ['a', 'e'], 'live'],
] as const)('%s', (_name: string, query: string, expected: readonly string[], kind: ListKind = 'report') => {
  expect(run(query, kind)).toEqual(expected);
});

test('the Others row sums what was cut', () => {
  expect(filterTable(table, readGenericFilters(Params.parse('filter_truncate=3'), 'report')).at(-1)).toEqual({
    label: 'Others',
    nb_visits: 13,
  });
});

test('a map gets the filters on each of its tables', () => {
  const map = { '1': { '2026-11-23': table, '2026-11-24': [] }, '2': { '2026-11-23': table.slice(3) } };
  expect(applyGenericFilters(map, readGenericFilters(Params.parse('filter_limit=1'), 'report'))).toEqual({
    '1': { '2026-11-23': [{ label: 'a', nb_visits: 10 }], '2026-11-24': [] },
    '2': { '2026-11-23': [{ label: 'd', nb_visits: 7 }] },
  });
});

test.each([
  ['3', 3],
  [' 3', 3],
  ['+3', 3],
  ['-1', -1],
  ['3.0', 3],
  ['1e2', 100],
  ['1.5', undefined],
  ['abc', undefined],
  ['3abc', undefined],
  ['99999999999999999999', undefined],
  [undefined, undefined],
] as const)('phpInteger(%j) is %j', (text, expected) => {
  expect(phpInteger(text)).toBe(expected);
});
