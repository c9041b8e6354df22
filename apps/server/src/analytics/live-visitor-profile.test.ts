import { describe, expect, test } from 'vitest';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { analyticsMethods } from './index';

// Expected values are read off test/analytics/hand-built-dataset.ts ("now" is Wed 25 November
// 2026 12:00 UTC). Site 1: visitor A has v1 (Mon 23 10:00-10:01:30, Google "matomo", /, /pricing,
// a download, 90 s) and v2 (Tue 24 09:00, direct, /blog/2026/post-a); visitor B has v3 (Tue 24
// 23:30-23:31); visitor C has v4 (Wed 25 08:00, campaign newsletter/email, /pricing, the site's
// most recent visit) and v5 (Sun 1 12:00-12:05, github.com, /, an outlink, 300 s).
const { fixture, dataset } = useHandBuiltDataset();

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccc';

function profile(query: string, ids = [1]): Promise<unknown> {
  return analyticsMethods['Live.getVisitorProfile'].run(fixture.context(query, { ids }));
}

function visitIds(result: unknown): number[] {
  const visits = (result as { lastVisits: { idVisit: number }[] }).lastVisits;
  return visits.map((visit) => visit.idVisit);
}

describe('Live.getVisitorProfile', () => {
  test("without visitorId, the visitor of the site's most recent visit, aggregated over their visits", async () => {
    const result = await profile('');
    const { v4, v5 } = dataset().visits;
    expect(result).toEqual({
      visitorId: C,
      hasMoreVisits: false,
      totalVisits: 2,
      totalVisitDuration: 300,
      // v4's one action; v5's page view, outlink and event.
      totalActions: 4,
      totalOutlinks: 1,
      totalDownloads: 0,
      totalSearches: 0,
      totalPageViews: 2,
      totalUniquePageViews: 2,
      totalRevisitedPages: 0,
      totalEvents: 1,
      searches: [],
      lastVisits: expect.any(Array),
      // B's v3 (Tue 24 23:31) is the latest visit before C's latest (Wed 25 08:00) within a day;
      // nobody visited after it.
      nextVisitorId: B,
      previousVisitorId: false,
      totalVisitDurationPretty: '5 min 0s',
      firstVisit: {
        date: Date.parse('2026-11-01T12:00:00Z') / 1000,
        prettyDate: 'Sunday, November 1, 2026',
        daysAgo: 23,
        referrerType: 'website',
        referrerUrl: 'https://github.com/matomo-org',
        referralSummary: 'github.com',
      },
      lastVisit: {
        date: Date.parse('2026-11-25T08:00:00Z') / 1000,
        prettyDate: 'Wednesday, November 25, 2026',
        daysAgo: 0,
        referrerType: 'campaign',
        referrerUrl: '',
        referralSummary: 'Campaign: newsletter - email',
      },
      visitsAggregated: 2,
      visitedPages: [
        { url: 'https://utc.example/', count: 1 },
        { url: 'https://utc.example/pricing', count: 1 },
      ],
      devices: [{ type: 'Tablet', count: 2, icon: 'plugins/Morpheus/icons/dist/devices/tablet.png' }],
      continents: [{ continent: 'amn', nb_visits: 2, prettyName: 'North America' }],
      countries: [
        {
          country: 'us',
          nb_visits: 2,
          flag: 'plugins/Morpheus/icons/dist/flags/us.png',
          prettyName: 'United States',
          cities: ['New York'],
        },
      ],
    });
    expect(visitIds(result)).toEqual([v4, v5]);
  });

  test('a named visitor; limitVisits lists fewer visits but the totals cover them all', async () => {
    const { v1, v2 } = dataset().visits;
    const result = await profile(`visitorId=${A}&limitVisits=1`);
    expect(result).toMatchObject({
      visitorId: A,
      totalVisits: 2,
      totalVisitDuration: 90,
      // v1's 3 actions and 4 events, v2's page view.
      totalActions: 8,
      totalDownloads: 1,
      totalPageViews: 3,
      totalEvents: 4,
      totalUniquePageViews: 3,
      // A's latest visit is v2 (Tue 24 09:00): nobody before it within a day, B just after.
      nextVisitorId: false,
      previousVisitorId: B,
      totalVisitDurationPretty: '1 min 30s',
      firstVisit: {
        prettyDate: 'Monday, November 23, 2026',
        daysAgo: 1,
        referrerType: 'search',
        referrerUrl: 'https://www.google.com/',
        referralSummary: 'Google (matomo)',
      },
      lastVisit: { daysAgo: 0, referrerType: 'direct', referrerUrl: '', referralSummary: 'Direct Entry' },
      visitsAggregated: 2,
      visitedPages: [
        { url: 'https://utc.example/', count: 1 },
        { url: 'https://utc.example/blog/2026/post-a', count: 1 },
        { url: 'https://utc.example/pricing', count: 1 },
      ],
      devices: [{ type: 'Desktop', count: 2 }],
      continents: [{ continent: 'eur', nb_visits: 2, prettyName: 'Europe' }],
      countries: [{ country: 'de', nb_visits: 2, prettyName: 'Germany', cities: ['Berlin'] }],
    });
    expect(visitIds(result)).toEqual([v2]);
    // Matomo: a limit that is not a number above 0 is the default, 10.
    expect(visitIds(await profile(`visitorId=${A}&limitVisits=0`))).toEqual([v2, v1]);
    expect(visitIds(await profile(`visitorId=${A}&limitVisits=x`))).toEqual([v2, v1]);
  });

  test('site search keywords are counted once each in totalSearches, and listed with their searches', async () => {
    expect(await profile(`visitorId=${B}`)).toMatchObject({
      totalSearches: 1,
      searches: [{ keyword: 'oauth', searches: 1 }],
      totalPageViews: 2,
      lastVisit: { referrerType: 'social', referrerUrl: 'https://t.co/', referralSummary: 'Twitter' },
    });
  });

  test('the segment keeps only the visits it matches, and picks the default visitor among them', async () => {
    const { v1, v3 } = dataset().visits;
    const searchOnly = await profile(`visitorId=${A}&segment=referrerType==search`);
    expect(searchOnly).toMatchObject({
      totalVisits: 1,
      totalActions: 7,
      totalEvents: 4,
      visitsAggregated: 1,
    });
    expect(visitIds(searchOnly)).toEqual([v1]);
    const social = await profile('segment=referrerType==social');
    expect(social).toMatchObject({ visitorId: B, totalVisits: 1 });
    expect(visitIds(social)).toEqual([v3]);
  });

  test("the site's timezone dates the visits", async () => {
    // Site 2 (UTC+2): visitor E's first visit is Tue 24 23:30 UTC, Wed 25 01:30 local.
    expect(await profile('', [dataset().sites.plus2])).toMatchObject({
      visitorId: 'eeeeeeeeeeeeeeee',
      totalVisits: 2,
      firstVisit: { prettyDate: 'Wednesday, November 25, 2026', daysAgo: 0 },
    });
  });

  test('no visit gives an empty array, as Matomo', async () => {
    expect(await profile('visitorId=0123456789abcdef')).toEqual([]);
    expect(await profile('visitorId=nope')).toEqual([]);
    expect(await profile(`visitorId=${A}&segment=referrerType==campaign`)).toEqual([]);
  });
});
