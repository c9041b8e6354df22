import { expect, test } from 'vitest';
import { limitTable } from './limit';
import type { Table } from './table';
import { truncateTable } from './truncate';

const visits = (label: string, nb_visits: number, max_actions: number) => ({
  label,
  nb_visits,
  nb_actions: nb_visits * 2,
  max_actions,
  bounce_count: 1,
  segment: `x==${label}`,
});

test('filter_truncate sums the rows after N into "Others", max_actions by maximum, without metadata', () => {
  const table: Table = [visits('a', 5, 3), visits('b', 4, 7), visits('c', 3, 2), visits('d', 1, 9)];
  expect(truncateTable(table, 1)).toEqual([
    visits('a', 5, 3),
    { label: 'Others', nb_visits: 8, nb_actions: 16, max_actions: 9, bounce_count: 3 },
  ]);
  // N+1 rows or fewer: unchanged (an Others row would replace just one row).
  expect(truncateTable(table, 3)).toEqual(table);
  expect(truncateTable(table, -1)).toEqual(table);
  expect(truncateTable(table, 0)).toEqual([
    { label: 'Others', nb_visits: 13, nb_actions: 26, max_actions: 9, bounce_count: 4 },
  ]);
});

test('the Others row recomputes rates from its sums; subtables are truncated too', () => {
  const page = (
    label: string,
    nb_visits: number,
    entry: number,
    bounces: number,
    exits: number,
    time: number,
  ) => ({
    label,
    nb_visits,
    entry_nb_visits: entry,
    entry_bounce_count: bounces,
    exit_nb_visits: exits,
    sum_time_spent: time,
    avg_time_on_page: 0,
    bounce_rate: '0%',
    exit_rate: '0%',
  });
  const table: Table = [
    {
      label: 'dir',
      nb_visits: 9,
      subtable: [
        { label: 'x', nb_visits: 2 },
        { label: 'y', nb_visits: 1 },
        { label: 'z', nb_visits: 1 },
      ],
    },
    page('p', 3, 2, 1, 1, 30),
    page('q', 1, 1, 1, 1, 5),
  ];
  const [dir, others] = truncateTable(table, 1);
  expect(dir?.subtable).toEqual([
    { label: 'x', nb_visits: 2 },
    { label: 'Others', nb_visits: 2 },
  ]);
  // 4 visits, 3 entries, 2 bounces, 2 exits, 35 s: 9 s per visit (8.75), 67 %, 50 %.
  expect(others).toEqual({
    label: 'Others',
    nb_visits: 4,
    entry_nb_visits: 3,
    entry_bounce_count: 2,
    exit_nb_visits: 2,
    sum_time_spent: 35,
    avg_time_on_page: 9,
    bounce_rate: '67%',
    exit_rate: '50%',
  });
});

test.each([
  [0, 2, ['a', 'b']],
  [1, 2, ['b', 'c']],
  [2, -1, ['c', 'd']],
  [-3, 1, ['a']],
  [9, 5, []],
  [0, 0, []],
] as const)('filter_offset=%i filter_limit=%i', (offset, limit, expected) => {
  const table: Table = ['a', 'b', 'c', 'd'].map((label) => ({
    label,
    subtable: [{ label: 'kept' }, { label: 'all' }],
  }));
  const limited = limitTable(table, { offset, limit });
  expect(limited.map((row) => row.label)).toEqual(expected);
  for (const row of limited) expect(row.subtable).toHaveLength(2);
});
