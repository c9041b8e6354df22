import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import { analyticsMethods } from './index';
import { pathAndQuery } from './referrer-dimension-reports';

// Expected values are read off the visits listed in test/analytics/hand-built-dataset.ts:
// in November on site 1, v1 (Google "matomo", 3 actions, 90 s), v3 (Twitter via t.co, 3 actions,
// 60 s), v4 (campaign newsletter/email, a bounce) and v5 (github.com, 2 actions, 300 s).
const { fixture, dataset } = useHandBuiltDataset();

type Method =
  | 'Referrers.getWebsites'
  | 'Referrers.getSearchEngines'
  | 'Referrers.getKeywords'
  | 'Referrers.getSocials'
  | 'Referrers.getCampaigns';

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

describe('Referrers.getWebsites', () => {
  test('hosts with their segment and a subtable id, the id of the first visit from that host', async () => {
    expect(await run('Referrers.getWebsites', 'period=month&date=today')).toEqual([
      {
        label: 'github.com',
        ...v5Metrics,
        segment: 'referrerName==github.com',
        idsubdatatable: visitId('v5'),
      },
    ]);
    // v5 is on Sunday 1 November: not in this week.
    expect(await run('Referrers.getWebsites', 'period=week&date=today')).toEqual([]);
  });

  test('expanded=1 nests the referrer URLs; idSubtable gives them alone; flat=1 lists host/path', async () => {
    const url = { label: 'https://github.com/matomo-org', ...v5Metrics };
    expect(await run('Referrers.getWebsites', 'period=month&date=today&expanded=1')).toEqual([
      {
        label: 'github.com',
        ...v5Metrics,
        segment: 'referrerName==github.com',
        idsubdatatable: visitId('v5'),
        subtable: [url],
      },
    ]);
    expect(await run('Referrers.getWebsites', `period=month&date=today&idSubtable=${visitId('v5')}`)).toEqual(
      [url],
    );
    // Matomo's Referrers_WebsitePage: the path without its slash, joined to the host with '/'.
    expect(await run('Referrers.getWebsites', 'period=month&date=today&flat=1')).toEqual([
      { label: 'github.com/matomo-org', ...v5Metrics, url: 'https://github.com/matomo-org' },
    ]);
  });

  test("Matomo's getPathAndQueryFromUrl: path and query without the leading slash, 'index' when empty", () => {
    expect(pathAndQuery('https://news.ycombinator.com/item?id=4242')).toBe('item?id=4242');
    expect(pathAndQuery('https://t.co/')).toBe('index');
    expect(pathAndQuery('http://example.com')).toBe('index');
    expect(pathAndQuery('https://dev.to/t/analytics#top')).toBe('t/analytics');
  });

  test('a segment keeps its visits', async () => {
    expect(
      await run('Referrers.getWebsites', 'period=month&date=today&segment=referrerType==search'),
    ).toEqual([]);
    expect(
      await run('Referrers.getWebsites', 'period=month&date=today&segment=countryCode==us'),
    ).toHaveLength(1);
  });
});

describe('Referrers.getSearchEngines and Referrers.getKeywords', () => {
  test("engines with Matomo's url and logo, keywords in the subtable", async () => {
    expect(await run('Referrers.getSearchEngines', 'period=week&date=today&expanded=1')).toEqual([
      {
        label: 'Google',
        ...v1Metrics,
        segment: 'referrerType==search;referrerName==Google',
        url: 'http://google.com',
        logo: 'plugins/Morpheus/icons/dist/searchEngines/google.com.png',
        idsubdatatable: visitId('v1'),
        subtable: [{ label: 'matomo', ...v1Metrics }],
      },
    ]);
  });

  test('keywords with the engines in the subtable', async () => {
    expect(await run('Referrers.getKeywords', 'period=week&date=today&expanded=1')).toEqual([
      {
        label: 'matomo',
        ...v1Metrics,
        segment: 'referrerType==search;referrerKeyword==matomo',
        idsubdatatable: visitId('v1'),
        subtable: [{ label: 'Google', ...v1Metrics }],
      },
    ]);
    expect(await run('Referrers.getKeywords', 'period=week&date=today&flat=1')).toEqual([
      { label: 'matomo - Google', ...v1Metrics },
    ]);
  });

  test('the same subtable id in every period and on every site', async () => {
    const [google] = await fixture.record({
      idsite: dataset().sites.plus2,
      visitor: '7777777777777777',
      referrer: { type: 'search', name: 'Google', keyword: 'matomo' },
      actions: [{ at: '2026-09-15T10:00:00Z', page: '/' }],
    });
    expect(google).toBeGreaterThan(visitId('v1'));
    const id = { idsubdatatable: visitId('v1') };
    expect(await run('Referrers.getSearchEngines', 'period=day&date=2026-11-23')).toMatchObject([id]);
    expect(await run('Referrers.getKeywords', 'period=month&date=2026-09-15', { ids: [2] })).toMatchObject([
      id,
    ]);
    expect(
      await run('Referrers.getSearchEngines', 'period=month&date=2026-09-15,2026-11-15', { ids: [1, 2] }),
    ).toEqual({
      '1': { '2026-09': [], '2026-10': [], '2026-11': [expect.objectContaining(id)] },
      '2': { '2026-09': [expect.objectContaining(id)], '2026-10': [], '2026-11': [] },
    });
  });

  test("a search without keyword is Matomo's 'Keyword not defined', with an empty keyword in its segment", async () => {
    await fixture.record({
      idsite: 1,
      visitor: '8888888888888888',
      referrer: { type: 'search', name: 'Bing' },
      actions: [{ at: '2026-06-10T10:00:00Z', page: '/' }],
    });
    const bounce = metrics(1, 1, 1, 1, 0, 1);
    expect(await run('Referrers.getKeywords', 'period=day&date=2026-06-10&expanded=1')).toEqual([
      {
        label: 'Keyword not defined',
        ...bounce,
        segment: 'referrerType==search;referrerKeyword==',
        idsubdatatable: expect.any(Number),
        subtable: [{ label: 'Bing', ...bounce }],
      },
    ]);
    expect(await run('Referrers.getSearchEngines', 'period=day&date=2026-06-10&expanded=1')).toEqual([
      {
        label: 'Bing',
        ...bounce,
        segment: 'referrerType==search;referrerName==Bing',
        url: 'http://bing.com',
        logo: 'plugins/Morpheus/icons/dist/searchEngines/bing.com.png',
        idsubdatatable: expect.any(Number),
        subtable: [{ label: 'Keyword not defined', ...bounce }],
      },
    ]);
  });
});

describe('Referrers.getSocials', () => {
  test("networks with Matomo's main domain and logo, the referrer URLs in the subtable", async () => {
    expect(await run('Referrers.getSocials', 'period=month&date=today&expanded=1')).toEqual([
      {
        label: 'Twitter',
        ...v3Metrics,
        segment: 'referrerType==social;referrerName==Twitter',
        url: 'twitter.com',
        logo: 'plugins/Morpheus/icons/dist/socials/twitter.com.png',
        idsubdatatable: visitId('v3'),
        subtable: [{ label: 'https://t.co/', ...v3Metrics }],
      },
    ]);
  });
});

describe('Referrers.getCampaigns', () => {
  test('campaign names with their keywords; one result per period', async () => {
    const newsletter = {
      label: 'newsletter',
      ...v4Metrics,
      segment: 'referrerType==campaign;referrerName==newsletter',
      idsubdatatable: visitId('v4'),
    };
    const { sum_daily_nb_uniq_visitors: _uniques, sum_daily_nb_users: _users, ...weekRow } = newsletter;
    expect(await run('Referrers.getCampaigns', 'period=day&date=last2')).toEqual({
      '2026-11-24': [],
      '2026-11-25': [{ ...weekRow, ...metrics(1, 1, 1, 1, 0, 1) }],
    });
    expect(await run('Referrers.getCampaigns', 'period=week&date=today&expanded=1')).toEqual([
      { ...newsletter, subtable: [{ label: 'email', ...v4Metrics }] },
    ]);
    expect(await run('Referrers.getCampaigns', `period=week&date=today&idSubtable=${visitId('v4')}`)).toEqual(
      [{ label: 'email', ...v4Metrics }],
    );
  });

  test('a campaign without keyword has no subtable; its label is urlencoded in the segment', async () => {
    await fixture.record({
      idsite: 1,
      visitor: '6666666666666666',
      referrer: { type: 'campaign', name: 'spring sale!' },
      actions: [{ at: '2026-06-11T10:00:00Z', page: '/' }],
    });
    expect(await run('Referrers.getCampaigns', 'period=day&date=2026-06-11&expanded=1')).toEqual([
      {
        label: 'spring sale!',
        ...metrics(1, 1, 1, 1, 0, 1),
        segment: 'referrerType==campaign;referrerName==spring+sale%21',
      },
    ]);
  });
});

describe('bad input', () => {
  test("an unknown subtable, or another report's, is an error", async () => {
    await expect(run('Referrers.getWebsites', 'period=day&date=today&idSubtable=999')).rejects.toThrow(
      'The subtable idSubtable=999 does not exist in Referrers.getWebsites.',
    );
    await expect(
      run('Referrers.getSocials', `period=day&date=today&idSubtable=${visitId('v1')}`),
    ).rejects.toBeInstanceOf(MatomoApiError);
    await expect(run('Referrers.getKeywords', 'period=day&date=today&idSubtable=abc')).rejects.toThrow(
      /idSubtable/,
    );
    await expect(run('Referrers.getCampaigns', 'period=day&date=today&expanded=yes')).rejects.toThrow(
      /expanded/,
    );
  });
});
