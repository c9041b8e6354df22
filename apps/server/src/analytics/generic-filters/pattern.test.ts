import { expect, test } from 'vitest';
import { filterPattern, filterPatternRecursive } from './pattern';
import type { Table } from './table';

const table: Table = [
  { label: 'Germany', code: 'de', nb_visits: 2 },
  { label: 'France', code: 'fr', nb_visits: 10 },
  { label: 'United States', code: 'us', nb_visits: 1 },
];
const labels = (rows: Table) => rows.map((row) => row.label);

test.each([
  ['a substring, any case', 'label', 'AN', ['Germany', 'France']],
  ['anchors', 'label', '^united', ['United States']],
  ['alternatives', 'label', 'fr|de', ['France']],
  ['on a metadata field', 'code', 'fr|de', ['Germany', 'France']],
  ['on a number', 'nb_visits', '^1', ['France', 'United States']],
  ['a slash is literal', 'label', 'a/b', []],
  ['on a column no row has: empty text', 'nope', '^$', ['Germany', 'France', 'United States']],
  ['an invalid expression matches nothing', 'label', '(', []],
] as const)('filter_pattern: %s', (_name, column, pattern, expected) => {
  expect(labels(filterPattern(table, { column, pattern }))).toEqual(expected);
});

test('filter_pattern_recursive keeps parents of matching rows and prunes their subtables', () => {
  const tree: Table = [
    {
      label: 'blog',
      subtable: [
        { label: '2026', subtable: [{ label: '/post-a' }, { label: '/post-b' }] },
        { label: '/index' },
      ],
    },
    { label: '/pricing' },
    { label: 'docs', subtable: [{ label: '/intro' }] },
  ];
  expect(filterPatternRecursive(tree, { column: 'label', pattern: 'post-a' })).toEqual([
    { label: 'blog', subtable: [{ label: '2026', subtable: [{ label: '/post-a' }] }] },
  ]);
  expect(filterPatternRecursive(tree, { column: 'label', pattern: '^docs$' })).toEqual([
    { label: 'docs', subtable: [] },
  ]);
});

test('a pattern built to backtrack for ever runs in linear time (RE2), and matches as it should', () => {
  const label = `${'a'.repeat(20_000)}!`;
  const rows: Table = [{ label }, { label: 'aaaa' }];
  // Node's own engine would not finish this in a human lifetime: the test would time out.
  expect(filterPattern(rows, { column: 'label', pattern: '^(a+)+$' })).toEqual([{ label: 'aaaa' }]);
  expect(filterPattern(rows, { column: 'label', pattern: '(a|aa)+b' })).toEqual([]);
});

test('back-references and look-arounds (not in RE2) are invalid: they match nothing', () => {
  const rows: Table = [{ label: 'abab' }, { label: 'abc' }];
  expect(filterPattern(rows, { column: 'label', pattern: '(ab)\\1' })).toEqual([]);
  expect(filterPattern(rows, { column: 'label', pattern: 'ab(?=c)' })).toEqual([]);
});
