import { describe, expect, test } from 'vitest';
import { Params } from '../../http/params';
import { deleteRecordColumns } from './record-columns';

const record = { nb_visits: 2, nb_actions: 4, bounce_rate: '50%', nb_visits__goal: 1 };
const run = (result: unknown, query: string) => deleteRecordColumns(result, Params.parse(query));

describe('deleteRecordColumns', () => {
  test.each([
    ['nothing asked', '', record],
    [
      'showColumns',
      'showColumns=nb_visits,bounce_rate',
      { nb_visits: 2, bounce_rate: '50%', nb_visits__goal: 1 },
    ],
    ['hideColumns', 'hideColumns=nb_actions,nb_visits__goal', { nb_visits: 2, bounce_rate: '50%' }],
    [
      'both: hide first; name__ columns follow their name',
      'hideColumns=nb_visits&showColumns=nb_visits,nb_actions',
      { nb_actions: 4, nb_visits__goal: 1 },
    ],
  ])('%s', (_name, query, expected) => {
    expect(run(record, query)).toEqual(expected);
  });

  test('each record of a map by site and period; an empty period stays []', () => {
    const map = { 1: { '2026-11-24': record, '2026-11-25': [] }, 2: { '2026-11-24': { nb_visits: 0 } } };
    expect(run(map, 'showColumns=nb_actions')).toEqual({
      1: { '2026-11-24': { nb_actions: 4 }, '2026-11-25': [] },
      2: { '2026-11-24': {} },
    });
  });
});
