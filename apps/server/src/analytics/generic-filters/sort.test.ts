import { describe, expect, test } from 'vitest';
import { sortTable } from './sort';
import type { Table } from './table';

const labels = (table: Table) => table.map((row) => row.label);

describe('sortTable (Matomo Sort filter)', () => {
  const rows: Table = [
    { label: 'b', nb_visits: 2, nb_actions: 5, bounce_rate: '50%' },
    { label: 'a', nb_visits: 2, nb_actions: 1, bounce_rate: '100%' },
    { label: 'C', nb_visits: 7, nb_actions: 1, bounce_rate: '5%' },
    { label: 'page10', nb_visits: 1, nb_actions: 9, bounce_rate: '0%' },
    { label: 'page2', nb_visits: 1, nb_actions: 9, bounce_rate: '0%' },
  ];
  test.each([
    [
      'nb_visits desc: ties by label ascending, naturally',
      'nb_visits',
      'desc',
      ['C', 'a', 'b', 'page2', 'page10'],
    ],
    ['nb_visits asc: ties by label descending', 'nb_visits', 'asc', ['page10', 'page2', 'b', 'a', 'C']],
    [
      'another column: ties by nb_visits, same direction',
      'nb_actions',
      'desc',
      ['page10', 'page2', 'b', 'C', 'a'],
    ],
    ['label: natural, case-insensitive', 'label', 'asc', ['a', 'b', 'C', 'page2', 'page10']],
    ['label desc', 'label', 'desc', ['page10', 'page2', 'C', 'b', 'a']],
    ['a rate sorts by its number', 'bounce_rate', 'desc', ['a', 'b', 'C', 'page10', 'page2']],
    ['an unknown column falls back to nb_visits', 'nope', 'desc', ['C', 'a', 'b', 'page2', 'page10']],
    ['metadata is no column: falls back to nb_visits', 'segment', 'asc', ['page10', 'page2', 'b', 'a', 'C']],
  ] as const)('%s', (_name, column, order, expected) => {
    expect(labels(sortTable(rows, { column, order }))).toEqual(expected);
  });

  test('rows without the value go last, ordered by the secondary column', () => {
    const table: Table = [
      { label: 'x', nb_visits: 1 },
      { label: 'y', nb_visits: 3, sum: 4 },
      { label: 'z', nb_visits: 2 },
      { label: 'w', nb_visits: 1, sum: 9 },
    ];
    // Primary `sum` exists on the first row? No: the first row lacks it, so nb_visits is used.
    expect(labels(sortTable(table, { column: 'sum', order: 'desc' }))).toEqual(['y', 'z', 'w', 'x']);
    const first: Table = [table[1] ?? {}, ...table.filter((_, i) => i !== 1)];
    expect(labels(sortTable(first, { column: 'sum', order: 'desc' }))).toEqual(['w', 'y', 'z', 'x']);
  });

  test('subtables are sorted the same way; an empty column name sorts nothing', () => {
    const table: Table = [
      {
        label: 'dir',
        nb_visits: 1,
        subtable: [
          { label: 'b', nb_visits: 1 },
          { label: 'a', nb_visits: 3 },
        ],
      },
      { label: 'top', nb_visits: 4 },
    ];
    const sorted = sortTable(table, { column: 'nb_visits', order: 'desc' });
    expect(labels(sorted)).toEqual(['top', 'dir']);
    expect(labels((sorted[1]?.subtable as Table) ?? [])).toEqual(['a', 'b']);
    expect(sortTable(table, { column: '', order: 'desc' })).toBe(table);
  });
});
