import { describe, expect, test } from 'vitest';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { analyticsMethods } from './index';

// The record before the renderer's step (a one-column record as its value is
// src/matomo/formats/record-values-http.test.ts). Site 1: Mon 23 Nov one new visit (7 actions, 90 s);
// Tue 24 two new visits (4 actions, a bounce); Wed 25 one returning bounce; Sun 22 nothing.
const { fixture } = useHandBuiltDataset();

function summary(query: string) {
  return analyticsMethods['VisitsSummary.get'].run(fixture.context(query));
}
function frequency(query: string) {
  return analyticsMethods['VisitFrequency.get'].run(fixture.context(query));
}

describe('VisitsSummary.get with columns (VisitsSummary\\API::get)', () => {
  test('only the named columns: archived ones first, then processed ones in the report order', async () => {
    const result = await summary(
      'period=day&date=2026-11-24&columns=avg_time_on_site,bounce_rate,nb_actions',
    );
    expect(result).toEqual({ nb_actions: 4, bounce_rate: '50%', avg_time_on_site: 30 });
    expect(Object.keys(result)).toEqual(['nb_actions', 'bounce_rate', 'avg_time_on_site']);
  });

  test('a processed column loads its inputs but shows only itself', async () => {
    expect(await summary('period=day&date=2026-11-24&columns=nb_actions_per_visit')).toEqual({
      nb_actions_per_visit: 2,
    });
  });

  test('each name once; unknown names ignored; none known is []', async () => {
    expect(await summary('period=day&date=2026-11-24&columns=nb_visits,nb_visits,nb_hits')).toEqual({
      nb_visits: 2,
    });
    expect(await summary('period=day&date=2026-11-24&columns=nb_hits')).toEqual([]);
  });

  test('empty or 0 is every column', async () => {
    const all = await summary('period=day&date=2026-11-24');
    expect(await summary('period=day&date=2026-11-24&columns=')).toEqual(all);
    expect(await summary('period=day&date=2026-11-24&columns=0')).toEqual(all);
  });

  test('unique visitors of a range are not loaded: ignored', async () => {
    expect(
      await summary('period=range&date=2026-11-23,2026-11-24&columns=nb_uniq_visitors,nb_visits'),
    ).toEqual({
      nb_visits: 3,
    });
  });

  test('one site and one period without visits: every named column at 0', async () => {
    expect(await summary('period=day&date=2026-11-22&columns=nb_visits,bounce_rate')).toEqual({
      nb_visits: 0,
      bounce_rate: '0%',
    });
  });

  test('keyed: an empty period is [] unless a single archived metric is loaded (then it is 0)', async () => {
    const days = 'period=day&date=2026-11-22,2026-11-23';
    expect(await summary(`${days}&columns=nb_visits`)).toEqual({
      '2026-11-22': { nb_visits: 0 },
      '2026-11-23': { nb_visits: 1 },
    });
    expect(await summary(`${days}&columns=bounce_rate`)).toEqual({
      '2026-11-22': [],
      '2026-11-23': { bounce_rate: '0%' },
    });
    expect(await summary(`${days}&columns=nb_visits,nb_actions`)).toEqual({
      '2026-11-22': [],
      '2026-11-23': { nb_visits: 1, nb_actions: 7 },
    });
  });
});

describe('VisitFrequency.get with columns (VisitFrequency\\API::unprefixColumns)', () => {
  test("a side's columns are the names with its suffix; a side none names is left out", async () => {
    expect(await frequency('period=week&date=today&columns=nb_visits_new,bounce_rate_new')).toEqual({
      nb_visits_new: 3,
      bounce_rate_new: '33%',
    });
    expect(await frequency('period=week&date=today&columns=nb_visits_returning,nb_visits_new')).toEqual({
      nb_visits_new: 3,
      nb_visits_returning: 1,
    });
  });

  test('the suffix alone is every column of that side; no suffix at all is []', async () => {
    const result = await frequency('period=week&date=today&columns=_returning');
    expect(Object.keys(result)).toHaveLength(11);
    expect(Object.keys(result).every((key) => key.endsWith('_returning'))).toBe(true);
    expect(await frequency('period=week&date=today&columns=nb_visits')).toEqual([]);
  });

  test('keyed: a period without the side is []', async () => {
    expect(
      await frequency('period=day&date=2026-11-22,2026-11-23&columns=nb_visits_new,nb_actions_new'),
    ).toEqual({
      '2026-11-22': [],
      '2026-11-23': { nb_visits_new: 1, nb_actions_new: 7 },
    });
  });
});
