import { describe, expect, test } from 'vitest';
import { AnalyticsFixture, type ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import { analyticsMethods } from './index';

// Expected values are read off the visits listed in test/analytics/hand-built-dataset.ts: in
// November on site 1, v1 (Google "matomo", 3 actions, 90 s), v3 (Twitter via https://t.co/,
// 3 actions, 60 s), v4 (campaign newsletter/email, a bounce) and v5 (github.com via
// https://github.com/matomo-org, 2 actions, 300 s, on Sunday 1 November). Each parent row's id
// is the id of the first visit with its value (v1 for Google and for "matomo", v3, v4, v5).
const { fixture, dataset } = useHandBuiltDataset();

type Method =
  | 'Referrers.getUrlsFromWebsiteId'
  | 'Referrers.getKeywordsFromSearchEngineId'
  | 'Referrers.getSearchEnginesFromKeywordId'
  | 'Referrers.getKeywordsFromCampaignId'
  | 'Referrers.getUrlsForSocial';

function run(method: Method, query: string, options?: ContextOptions): Promise<unknown> {
  return analyticsMethods[method].run(fixture.context(query, options));
}

function visitId(name: 'v1' | 'v3' | 'v4' | 'v5'): number {
  const id = dataset().visits[name];
  if (id === undefined) throw new Error(`no visit ${name}`);
  return id;
}

/** A day row's visit metrics, in Matomo's order (no user ids nor conversions in the dataset). */
const metrics = (
  nb_uniq_visitors: number,
  nb_visits: number,
  nb_actions: number,
  max_actions: number,
  sum_visit_length: number,
  bounce_count: number,
) => ({
  nb_uniq_visitors,
  nb_visits,
  nb_actions,
  nb_users: 0,
  max_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
});

/** A week's, month's, year's or range's: unique visitors are the sum of each day's (`sum_daily_*`). */
const sums = (
  sum_daily_nb_uniq_visitors: number,
  nb_visits: number,
  nb_actions: number,
  max_actions: number,
  sum_visit_length: number,
  bounce_count: number,
) => ({
  nb_visits,
  nb_actions,
  max_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
  sum_daily_nb_uniq_visitors,
  sum_daily_nb_users: 0,
});

const v1Metrics = sums(1, 1, 7, 7, 90, 0);
const v3Metrics = sums(1, 1, 3, 3, 60, 0);
const v4Metrics = sums(1, 1, 1, 1, 0, 1);
const v5Metrics = sums(1, 1, 3, 3, 300, 0);

describe('Referrers.getUrlsFromWebsiteId', () => {
  test("a website's URLs, labelled with their path, with the URL and the referrerUrl segment", async () => {
    expect(
      await run('Referrers.getUrlsFromWebsiteId', `period=month&date=today&idSubtable=${visitId('v5')}`),
    ).toEqual([
      {
        label: 'matomo-org',
        ...v5Metrics,
        url: 'https://github.com/matomo-org',
        segment: 'referrerUrl==https%3A%2F%2Fgithub.com%2Fmatomo-org',
      },
    ]);
    // v5 is on Sunday 1 November, not in this week.
    expect(
      await run('Referrers.getUrlsFromWebsiteId', `period=week&date=today&idSubtable=${visitId('v5')}`),
    ).toEqual([]);
  });

  test('several sites are keyed by site; an id of no website gives empty tables, as Matomo', async () => {
    expect(
      await run('Referrers.getUrlsFromWebsiteId', `period=month&date=today&idSubtable=${visitId('v5')}`, {
        ids: [1, 2],
      }),
    ).toEqual({ '1': [expect.objectContaining({ label: 'matomo-org' })], '2': [] });
    // v1 is a search, not a website.
    expect(
      await run('Referrers.getUrlsFromWebsiteId', `period=month&date=today&idSubtable=${visitId('v1')}`),
    ).toEqual([]);
    expect(await run('Referrers.getUrlsFromWebsiteId', 'period=month&date=today&idSubtable=999999')).toEqual(
      [],
    );
  });

  test("idSubtable is required and a positive whole number: Matomo's messages", async () => {
    await expect(run('Referrers.getUrlsFromWebsiteId', 'period=month&date=today')).rejects.toThrow(
      new MatomoApiError("Please specify a value for 'idSubtable'."),
    );
    await expect(
      run('Referrers.getKeywordsFromCampaignId', 'period=month&date=today&idSubtable=x'),
    ).rejects.toBeInstanceOf(MatomoApiError);
  });
});

describe('Referrers.getKeywordsFromSearchEngineId', () => {
  test("an engine's keywords, with the segment and the engine's results page", async () => {
    expect(
      await run(
        'Referrers.getKeywordsFromSearchEngineId',
        `period=month&date=today&idSubtable=${visitId('v1')}`,
      ),
    ).toEqual([
      {
        label: 'matomo',
        ...v1Metrics,
        segment: 'referrerName==Google;referrerType==search;referrerKeyword==matomo',
        url: 'http://google.com/search?q=matomo',
      },
    ]);
    expect(
      await run(
        'Referrers.getKeywordsFromSearchEngineId',
        `period=month&date=today&idSubtable=${visitId('v5')}`,
      ),
    ).toEqual([]);
  });
});

describe('Referrers.getSearchEnginesFromKeywordId', () => {
  test('the engines that sent a keyword, with the segment, the results page and the logo', async () => {
    expect(
      await run(
        'Referrers.getSearchEnginesFromKeywordId',
        `period=month&date=today&idSubtable=${visitId('v1')}`,
      ),
    ).toEqual([
      {
        label: 'Google',
        ...v1Metrics,
        segment: 'referrerKeyword==matomo;referrerType==search;referrerName==Google',
        url: 'http://google.com/search?q=matomo',
        logo: 'plugins/Morpheus/icons/dist/searchEngines/google.com.png',
      },
    ]);
  });
});

describe('Referrers.getKeywordsFromCampaignId', () => {
  test("a campaign's keywords with the segment", async () => {
    expect(
      await run('Referrers.getKeywordsFromCampaignId', `period=month&date=today&idSubtable=${visitId('v4')}`),
    ).toEqual([
      {
        label: 'email',
        ...v4Metrics,
        segment: 'referrerName==newsletter;referrerType==campaign;referrerKeyword==email',
      },
    ]);
  });
});

describe('Referrers.getUrlsForSocial', () => {
  const tco = {
    label: 't.co/',
    ...v3Metrics,
    segment: 'referrerUrl==https%3A%2F%2Ft.co%2F',
    url: 'https://t.co/',
  };

  test("a network's URLs without their scheme; without idSubtable every network's", async () => {
    expect(
      await run('Referrers.getUrlsForSocial', `period=month&date=today&idSubtable=${visitId('v3')}`),
    ).toEqual([tco]);
    expect(await run('Referrers.getUrlsForSocial', 'period=month&date=today')).toEqual([tco]);
    expect(
      await run('Referrers.getUrlsForSocial', `period=month&date=today&idSubtable=${visitId('v1')}`),
    ).toEqual([]);
  });
});

// A second dataset for what the hand-built one lacks: a keyword with a `+` and a space, a
// search without keyword, a campaign without keyword, two URLs of one website with one path.
describe('edge cases of Matomo filters', () => {
  const edge = AnalyticsFixture.forTests(async (created) => {
    const site = await created.addSite('UTC', 'https://edge.example');
    const at = (time: string) => [{ at: `2026-11-24T${time}Z`, page: '/' }];
    await created.record(
      {
        idsite: site,
        visitor: '1'.repeat(16),
        referrer: { type: 'search', name: 'Bing', keyword: 'a+b c' },
        actions: at('10:00:00'),
      },
      {
        idsite: site,
        visitor: '2'.repeat(16),
        referrer: { type: 'search', name: 'Bing' },
        actions: at('10:01:00'),
      },
      {
        idsite: site,
        visitor: '3'.repeat(16),
        referrer: { type: 'campaign', name: 'spring' },
        actions: at('10:02:00'),
      },
      {
        idsite: site,
        visitor: '4'.repeat(16),
        referrer: { type: 'website', name: 'example.org', url: 'http://example.org/a?b=1' },
        actions: at('10:03:00'),
      },
      {
        idsite: site,
        visitor: '5'.repeat(16),
        referrer: { type: 'website', name: 'example.org', url: 'https://example.org/a?b=1' },
        actions: [
          { at: '2026-11-24T10:04:00Z', page: '/' },
          { at: '2026-11-24T10:05:00Z', page: '/x' },
        ],
      },
    );
  });
  const call = (method: Method, query: string) => analyticsMethods[method].run(edge.context(query));
  const bounce = metrics(1, 1, 1, 1, 0, 1);

  test("keywords: '+' is a space in the results page; no keyword is 'Keyword not defined', with the FAQ and no segment", async () => {
    // Visit 1 is the first Bing visit, so Bing's row id is 1. A tie in visits falls to the label ('K' < 'a').
    expect(
      await call('Referrers.getKeywordsFromSearchEngineId', 'period=day&date=2026-11-24&idSubtable=1'),
    ).toEqual([
      {
        label: 'Keyword not defined',
        ...bounce,
        url: 'https://matomo.org/faq/general/faq_144?mtm_campaign=Matomo_App&mtm_source=Matomo_App_OnPremise&mtm_medium=App.API.index',
      },
      {
        label: 'a+b c',
        ...bounce,
        segment: 'referrerName==Bing;referrerType==search;referrerKeyword==a%2Bb+c',
        url: 'http://bing.com/search?q=a+b+c',
      },
    ]);
    // Visit 2 is the first search without keyword: the segment carries the empty keyword.
    expect(
      await call('Referrers.getSearchEnginesFromKeywordId', 'period=day&date=2026-11-24&idSubtable=2'),
    ).toEqual([
      {
        label: 'Bing',
        ...bounce,
        segment: 'referrerKeyword==;referrerType==search;referrerName==Bing',
        url: 'https://matomo.org/faq/general/faq_144?mtm_campaign=Matomo_App&mtm_source=Matomo_App_OnPremise&mtm_medium=App.API.index',
        logo: 'plugins/Morpheus/icons/dist/searchEngines/bing.com.png',
      },
    ]);
  });

  test('a campaign without keyword has an empty subtable; URLs of one path are one row, with the first URL', async () => {
    expect(
      await call('Referrers.getKeywordsFromCampaignId', 'period=day&date=2026-11-24&idSubtable=3'),
    ).toEqual([]);
    // Visit 5 (2 actions, 60 s) has more actions but the same one visit: the tie falls to the URL, http first.
    expect(await call('Referrers.getUrlsFromWebsiteId', 'period=day&date=2026-11-24&idSubtable=4')).toEqual([
      {
        label: 'a?b=1',
        ...metrics(2, 2, 3, 2, 60, 1),
        url: 'http://example.org/a?b=1',
        segment: 'referrerUrl==http%3A%2F%2Fexample.org%2Fa%3Fb%3D1',
      },
    ]);
  });
});
