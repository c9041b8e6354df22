import { expect, test } from 'vitest';
import { Params } from '../../http/params';
import { filterByLabels, isLabelPath, requestedLabels, urlDecode } from './label';
import type { Table } from './table';

const tree: Table = [
  {
    label: 'blog',
    nb_visits: 3,
    subtable: [{ label: '2026', subtable: [{ label: '/post a>b' }] }, { label: '/index' }],
  },
  { label: '/pricing', nb_visits: 2 },
  { label: 'C++', nb_visits: 1 },
];
const labels = (rows: Table) => rows.map((row) => row.label);

test.each([
  ['one label', ['/pricing'], ['/pricing']],
  [
    'several, in the order asked; unknown ones are left out',
    ['/pricing', 'nope', 'blog'],
    ['/pricing', 'blog'],
  ],
  // Matomo URL-decodes the label, then each part again: a literal + must be encoded twice.
  ['decoded twice', ['C%252B%252B'], ['C++']],
  ['a + once decoded twice is a space', ['C%2B%2B'], []],
  ['a path down the subtables', ['blog>/index'], ['/index']],
  ['a deeper path, with an encoded > inside a part', ['blog>2026>/post%2520a%253Eb'], ['/post a>b']],
  ['the terminal marker @ is dropped', ['@/pricing'], ['/pricing']],
  ['a path past a row without subtable', ['/pricing>x'], []],
  ['spaces around parts are trimmed', [' blog > /index '], ['/index']],
] as const)('%s', (_name, asked, expected) => {
  expect(labels(filterByLabels(tree, asked))).toEqual(expected);
});

test('label and label[] parameters', () => {
  expect(requestedLabels(Params.parse('label=a'))).toEqual(['a']);
  expect(requestedLabels(Params.parse('label[]=a&label[]=b&label=c'))).toEqual(['a', 'b']);
  expect(requestedLabels(Params.parse(''))).toEqual([]);
  expect(isLabelPath('a>b')).toBe(true);
  expect(isLabelPath('a%3Eb')).toBe(true);
  expect(isLabelPath('ab')).toBe(false);
});

test.each([
  ['a+b', 'a b'],
  ['%C3%A9t%C3%A9', 'été'],
  ['100%', '100%'],
  ['%zz', '%zz'],
  ['ü', 'ü'],
])('urldecode(%j) is %j', (encoded, decoded) => {
  expect(urlDecode(encoded)).toBe(decoded);
});
