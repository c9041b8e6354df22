import { describe, expect, test } from 'vitest';
import { Params } from '../../http/params';
import { filterArrayResult } from './array-filters';

const sites = [
  { idsite: 1, name: 'Shop', main_url: 'https://shop.example' },
  { idsite: 2, name: 'Blog', main_url: 'https://blog.example' },
  { idsite: 3, name: 'Docs', main_url: 'https://docs.example' },
];

const run = (result: unknown, query: string) => filterArrayResult(result, Params.parse(query));

// ResponseBuilder::handleArray, read from Matomo's core/API/ResponseBuilder.php.
describe('filterArrayResult', () => {
  test.each([
    ['no parameters: the same value', '', sites],
    ['filter_limit', 'filter_limit=1', [sites[0]]],
    ['filter_offset alone', 'filter_offset=2', [sites[2]]],
    ['filter_limit=-1 with an offset', 'filter_limit=-1&filter_offset=1', [sites[1], sites[2]]],
    ['a negative offset with a limit counts from the end', 'filter_offset=-2&filter_limit=1', [sites[1]]],
    ['a negative offset without a limit is no slice', 'filter_offset=-2', sites],
    ['filter_limit=1.5 is no integer: no limit', 'filter_limit=1.5', sites],
    ['filter_limit=" 1" is one', 'filter_limit=%201', [sites[0]]],
    ['no sort', 'filter_sort_column=name&filter_sort_order=asc', sites],
    ['filter_column not an array: no pattern', 'filter_column=name&filter_pattern=blog', sites],
    [
      'filter_column[] and filter_pattern, from the start: a list',
      'filter_column[]=name&filter_pattern=^s',
      [sites[0]],
    ],
    [
      'a kept entry not at its index: keyed by it',
      'filter_column[]=name&filter_pattern=g|c',
      { 1: sites[1], 2: sites[2] },
    ],
    [
      'any of several columns',
      'filter_column[]=name&filter_column[]=main_url&filter_pattern=shop|docs',
      { 0: sites[0], 2: sites[2] },
    ],
    [
      'then the slice renumbers',
      'filter_column[]=name&filter_pattern=g|c&filter_limit=5',
      [sites[1], sites[2]],
    ],
    ['a column the rows lack matches nothing', 'filter_column[]=nope&filter_pattern=.', []],
    ['showColumns keeps those', 'showColumns=name&filter_limit=1', [{ name: 'Shop' }]],
    ['hideColumns removes those', 'hideColumns=main_url,name&filter_limit=1', [{ idsite: 1 }]],
  ])('%s', (_name, query, expected) => {
    expect(run(sites, query)).toEqual(expected);
  });

  test('a map keyed by site id: the slice renumbers it into a list', () => {
    const bySite = { 3: [{ note: 'a' }], 7: [{ note: 'b' }] };
    expect(run(bySite, '')).toBe(bySite);
    expect(run(bySite, 'filter_offset=1')).toEqual([[{ note: 'b' }]]);
    // Its entries are lists, not records: no columns to delete.
    expect(run(bySite, 'showColumns=x')).toBe(bySite);
  });

  test('a record, an empty list and a scalar are not filtered', () => {
    expect(run({ idsite: 1, name: 'x' }, 'filter_limit=0&showColumns=name')).toEqual({
      idsite: 1,
      name: 'x',
    });
    expect(run([], 'filter_limit=1')).toEqual([]);
    expect(run(5, 'filter_limit=1')).toBe(5);
  });

  test('a list of ids: sliced; a pattern on it is PHP`s TypeError', () => {
    expect(run([1, 2, 3], 'filter_limit=2&filter_offset=1&hideColumns=x')).toEqual([2, 3]);
    expect(() => run([1, 2, 3], 'filter_column[]=a&filter_pattern=1')).toThrow(
      'array_key_exists(): Argument #2 ($array) must be of type array, int given',
    );
  });
});
