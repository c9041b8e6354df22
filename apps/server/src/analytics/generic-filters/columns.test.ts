import { expect, test } from 'vitest';
import { columnList, deleteColumns } from './columns';
import type { Table } from './table';

const table: Table = [
  {
    label: 'dir',
    nb_visits: 3,
    nb_hits: 4,
    goals__1: 2,
    segment: 's',
    idsubdatatable: 7,
    subtable: [{ label: 'p', nb_visits: 1, nb_hits: 1, url: 'u' }],
  },
];

test.each([
  [
    'hideColumns, down the subtables',
    'nb_hits',
    undefined,
    [
      {
        label: 'dir',
        nb_visits: 3,
        goals__1: 2,
        segment: 's',
        idsubdatatable: 7,
        subtable: [{ label: 'p', nb_visits: 1, url: 'u' }],
      },
    ],
  ],
  [
    'showColumns keeps label, name__* and metadata',
    undefined,
    'goals,nb_hits',
    [
      {
        label: 'dir',
        nb_hits: 4,
        goals__1: 2,
        segment: 's',
        idsubdatatable: 7,
        subtable: [{ label: 'p', nb_hits: 1, url: 'u' }],
      },
    ],
  ],
  [
    'both: hidden wins',
    'nb_hits',
    'nb_hits,nb_visits',
    [
      {
        label: 'dir',
        nb_visits: 3,
        segment: 's',
        idsubdatatable: 7,
        subtable: [{ label: 'p', nb_visits: 1, url: 'u' }],
      },
    ],
  ],
  [
    'metadata cannot be hidden; label can',
    'segment,label',
    undefined,
    [
      {
        nb_visits: 3,
        nb_hits: 4,
        goals__1: 2,
        segment: 's',
        idsubdatatable: 7,
        subtable: [{ nb_visits: 1, nb_hits: 1, url: 'u' }],
      },
    ],
  ],
] as const)('%s', (_name, hide, show, expected) => {
  expect(
    deleteColumns(table, {
      hide: columnList(hide),
      show: columnList(show),
      recursive: false,
      metadata: true,
    }),
  ).toEqual(expected);
});

test('hideColumnsRecursively removes the columns inside nested lists (a visit`s actionDetails)', () => {
  const visits: Table = [
    {
      idVisit: 1,
      url: 'x',
      actionDetails: [
        { url: 'a', timeSpent: 3 },
        { url: 'b', timeSpent: 0 },
      ],
    },
  ];
  expect(deleteColumns(visits, { hide: ['timeSpent'], show: [], recursive: true, metadata: false })).toEqual([
    { idVisit: 1, url: 'x', actionDetails: [{ url: 'a' }, { url: 'b' }] },
  ]);
  expect(deleteColumns(visits, { hide: ['timeSpent'], show: [], recursive: false, metadata: false })).toEqual(
    visits,
  );
});

test('a report keeps its metadata; a visit of Live has none, so showColumns removes any field', () => {
  const row = { label: 'Berlin', nb_visits: 3, city_name: 'Berlin', lat: 52.52, segment: 'city==Berlin' };
  expect(deleteColumns([row], { hide: [], show: ['nb_visits'], recursive: false, metadata: true })).toEqual([
    row,
  ]);
  const visit = { idVisit: 1, country: 'Germany', city: 'Berlin', latitude: '52.520000' };
  expect(deleteColumns([visit], { hide: [], show: ['idVisit'], recursive: true, metadata: false })).toEqual([
    { idVisit: 1 },
  ]);
});

test('columnList splits on commas; empty is none', () => {
  expect(columnList('a,b')).toEqual(['a', 'b']);
  expect(columnList('')).toEqual([]);
  expect(columnList(undefined)).toEqual([]);
});
