import { beforeAll, describe, expect, test } from 'vitest';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { analyticsMethods } from './index';

/*
 * Site 1 of the hand-built dataset: v3 (Tue 2026-11-24, social) ends with a search for "oauth".
 * A site of its own, Monday 2026-11-23: / then "a b" twice (30 s, 20 s) then /results: two
 * searches in one visit, neither its last action.
 */
const { fixture } = useHandBuiltDataset();
let searchSite: number;

beforeAll(async () => {
  searchSite = await fixture.addSite('UTC', 'https://search.example');
  await fixture.record({
    idsite: searchSite,
    visitor: '3333333333333333',
    actions: [
      { at: '2026-11-23T08:00:00Z', page: '/' },
      { at: '2026-11-23T08:00:10Z', search: 'a b' },
      { at: '2026-11-23T08:00:40Z', search: 'a b' },
      { at: '2026-11-23T08:01:00Z', page: '/results' },
    ],
  });
});

function run(query: string, ids = [1]) {
  return analyticsMethods['Actions.getSiteSearchKeywords'].run(fixture.context(query, { ids }));
}

const oauth = {
  label: 'oauth',
  nb_visits: 1,
  nb_hits: 1,
  sum_time_spent: 0,
  exit_nb_visits: 1,
  nb_pages_per_search: 1,
  avg_time_on_page: 0,
  bounce_rate: '0%',
  exit_rate: '100%',
  segment: 'siteSearchKeyword==oauth',
};

describe('Actions.getSiteSearchKeywords', () => {
  test('a search that ends its visit is an exit', async () => {
    expect(await run('period=week&date=2026-11-23')).toEqual([oauth]);
  });

  test('searches per visit, time until the next action, no exit when the visit goes on', async () => {
    expect(await run('period=day&date=2026-11-23', [searchSite])).toEqual([
      {
        label: 'a b',
        nb_visits: 1,
        nb_hits: 2,
        sum_time_spent: 50,
        exit_nb_visits: 0,
        nb_pages_per_search: 2,
        avg_time_on_page: 50,
        bounce_rate: '0%',
        exit_rate: '0%',
        segment: 'siteSearchKeyword==a+b',
      },
    ]);
  });

  test('several periods are keyed by label; a period without searches is an empty table', async () => {
    expect(await run('period=day&date=2026-11-24,2026-11-25')).toEqual({
      '2026-11-24': [oauth],
      '2026-11-25': [],
    });
  });

  test('segments keep or drop the searching visits', async () => {
    expect(await run('period=week&date=2026-11-23&segment=siteSearchKeyword%3D%3Doauth')).toEqual([oauth]);
    expect(await run('period=week&date=2026-11-23&segment=referrerType%3D%3Ddirect')).toEqual([]);
  });
});
