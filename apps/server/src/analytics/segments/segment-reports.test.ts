import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../../errors/matomo-api-error';
import type { AnalyticsMethodName } from '../context';
import { analyticsMethods } from '../index';

/**
 * Segments on every report, against the hand-built dataset (test/analytics/hand-built-dataset.ts).
 * In November 2026, site 1 has five visits:
 *   v1 A new        search Google "matomo"  de Desktop    Firefox/GNU/Linux   / /pricing download   7 actions (4 events)  90 s
 *   v2 A returning  direct                  de Desktop    Firefox/GNU/Linux   /blog/2026/post-a     1 action    0 s
 *   v3 B new        social Twitter          fr Smartphone Chrome Mobile/Android /blog/ /blog/2026/post-a search "oauth"  3 actions 60 s
 *   v4 C new        campaign newsletter     us Tablet     /pricing                                  1 action    0 s
 *   v5 C new        website github.com      us Tablet     / outlink                                 3 actions (1 event) 300 s
 */
const { fixture, dataset } = useHandBuiltDataset();

type VisitsSummary = components['schemas']['VisitsSummary'];

/** The query for a segment, URL-encoded once as a query string carries it. */
const month = (segment: string) => `period=month&date=today&segment=${encodeURIComponent(segment)}`;

/** A segment value encoded as Matomo's own report rows encode it (`pageUrl==https%253A…`). */
const encoded = (value: string) => encodeURIComponent(value);

function run<M extends AnalyticsMethodName>(method: M, query: string, options?: ContextOptions) {
  return analyticsMethods[method].run(fixture.context(query, options));
}

async function visits(segment: string): Promise<number> {
  const result = await run('VisitsSummary.getVisits', month(segment));
  return (result as { value: number }).value;
}

const summary = (
  nb_visits: number,
  nb_uniq_visitors: number,
  nb_actions: number,
  max_actions: number,
  sum_visit_length: number,
  bounce_count: number,
): Partial<VisitsSummary> => ({
  nb_uniq_visitors,
  nb_visits,
  nb_actions,
  bounce_count,
  sum_visit_length,
  max_actions,
});

describe('VisitsSummary with a segment', () => {
  test('visit dimensions', async () => {
    expect(await run('VisitsSummary.get', month('visitorType==returning'))).toMatchObject(
      summary(1, 1, 1, 1, 0, 1),
    );
    // v1, v2 (visitor A) and v3 (visitor B).
    expect(await run('VisitsSummary.get', month('countryCode==de,countryCode==fr'))).toMatchObject(
      summary(3, 2, 11, 7, 150, 1),
    );
    expect(await visits('visitorType==new')).toBe(4);
    expect(await visits('visitCount>=2')).toBe(1);
    expect(await visits('visitDuration>60')).toBe(2);
    expect(await visits('actions<2')).toBe(2);
    expect(await visits('actions<=2')).toBe(2);
    expect(await visits('visitorId==cccccccccccccccc')).toBe(2);
    expect(await visits(`visitId==${dataset().visits.v3}`)).toBe(1);
    expect(await visits('referrerType==social')).toBe(1);
    expect(await visits('referrerType!=direct')).toBe(4);
    expect(await visits('deviceType==tablet')).toBe(2);
    expect(await visits('deviceType==Smartphone')).toBe(1);
    expect(await visits('deviceType==1')).toBe(1);
    expect(await visits('browserName==chrome mobile')).toBe(1);
    expect(await visits('operatingSystemName==GNU/Linux')).toBe(4);
    expect(await visits('countryName==Germany')).toBe(2);
    expect(await visits('countryName==Atlantis')).toBe(0);
  });

  test('text compares case-insensitively, as with MySQL collations; LIKE operators', async () => {
    expect(await visits('referrerName==google')).toBe(1);
    expect(await visits('countryCode==DE')).toBe(2);
    expect(await visits('referrerName=@hub')).toBe(1);
    expect(await visits('referrerName=^Twit')).toBe(1);
    expect(await visits('referrerName=$.com')).toBe(1);
    // NULL names (v2) count as "does not contain" and "is not", as in Matomo.
    expect(await visits('referrerName!@e')).toBe(2);
    expect(await visits('referrerName!=Google')).toBe(4);
  });

  test('an empty value tests for null or empty', async () => {
    expect(await visits('referrerKeyword==')).toBe(3);
    expect(await visits('referrerKeyword!=')).toBe(2);
  });

  test('OR binds tighter than AND', async () => {
    // (Desktop or us) and 2+ actions: v1 and v5. Read the other way it would also keep v2.
    expect(
      await run('VisitsSummary.get', month('deviceType==desktop,countryCode==us;actions>=2')),
    ).toMatchObject(summary(2, 2, 10, 7, 390, 0));
    expect(await visits('countryCode==de;visitorType==new,referrerType==social')).toBe(1);
  });

  test('a segment encoded once more is decoded, as Matomo picks the reading with more conditions', async () => {
    const twice = encodeURIComponent('countryCode==de;visitorType==new');
    expect(
      (await run(
        'VisitsSummary.getVisits',
        `period=month&date=today&segment=${encodeURIComponent(twice)}`,
      )) as {
        value: number;
      },
    ).toEqual({ value: 1 });
    // Here the decoded reading fails (`b` is no condition), so `%3B` stays inside the value.
    expect(await visits('referrerKeyword==a%3Bb')).toBe(0);
  });

  test('a period without matching visits counts none', async () => {
    const result = (await run('VisitsSummary.get', month('countryCode==jp'))) as { nb_visits?: number };
    expect(result.nb_visits ?? 0).toBe(0);
    expect(await visits('countryCode==jp')).toBe(0);
  });
});

describe('action segments select visits that have a matching action', () => {
  test('pageUrl compares full URLs without protocol and www', async () => {
    expect(await visits(`pageUrl==${encoded('https://utc.example/pricing')}`)).toBe(2);
    expect(await visits(`pageUrl==${encoded('http://www.utc.example/pricing')}`)).toBe(2);
    expect(await visits(`pageUrl==${encoded('https://utc.example/Pricing')}`)).toBe(0);
    expect(await visits(`pageUrl!=${encoded('https://utc.example/pricing')}`)).toBe(3);
    expect(await visits('pageUrl=@blog')).toBe(2);
    expect(await visits(`pageUrl=^${encoded('https://www.utc.example/blog/')}`)).toBe(2);
    expect(await visits('pageUrl=$/')).toBe(3);
    expect(await visits('pageUrl!@blog')).toBe(3);
    expect(
      await run('VisitsSummary.get', month(`pageUrl==${encoded('https://utc.example/pricing')}`)),
    ).toMatchObject(summary(2, 2, 8, 7, 90, 1));
  });

  test('titles, downloads, outlinks, site searches, entry and exit pages', async () => {
    expect(await visits('pageTitle==Pricing')).toBe(2);
    expect(await visits('pageTitle=@post')).toBe(2);
    expect(await visits('downloadUrl=@guide.pdf')).toBe(1);
    expect(await visits(`outlinkUrl=^${encoded('https://github.com')}`)).toBe(1);
    expect(await visits('siteSearchKeyword==oauth')).toBe(1);
    expect(await visits('siteSearchKeyword!=oauth')).toBe(4);
    expect(await visits(`entryPageUrl==${encoded('https://utc.example/')}`)).toBe(2);
    expect(await visits(`entryPageUrl!=${encoded('https://utc.example/')}`)).toBe(3);
    expect(await visits('exitPageTitle==Post A')).toBe(2);
    expect(await visits('exitPageUrl=@pricing')).toBe(2);
  });

  test('page URLs carry each site its own host', async () => {
    const query = (segment: string) => month(segment);
    expect(
      await run('VisitsSummary.getVisits', query(`pageUrl==${encoded('https://plus2.example/blog/')}`), {
        ids: [1, 2],
      }),
    ).toEqual({ '1': 0, '2': 1 });
    expect(
      await run('VisitsSummary.getVisits', query(`pageUrl=^${encoded('https://utc.example/')}`), {
        ids: [1, 2],
      }),
    ).toEqual({ '1': 5, '2': 0 });
  });
});

describe('every report applies the segment', () => {
  const pricing = `pageUrl==${encoded('https://utc.example/pricing')}`;

  test('Actions.get counts the actions of the kept visits', async () => {
    // v1 and v4: /, /pricing and a download; /pricing.
    expect(await run('Actions.get', month(pricing))).toEqual({
      nb_pageviews: 3,
      nb_uniq_pageviews: 3,
      nb_downloads: 1,
      nb_uniq_downloads: 1,
      nb_outlinks: 0,
      nb_uniq_outlinks: 0,
      nb_searches: 0,
      nb_keywords: 0,
    });
  });

  test('Actions.getPageUrls shows every page of the kept visits', async () => {
    const rows = (await run('Actions.getPageUrls', month(pricing))) as components['schemas']['PageUrlRow'][];
    expect(rows.map((row) => [row.label, row.nb_visits, row.nb_hits, row.entry_nb_visits])).toEqual([
      ['/pricing', 2, 2, 1],
      ['/index', 1, 1, 1],
    ]);
  });

  test('a segment from a report row selects that row', async () => {
    const rows = (await run(
      'Actions.getPageUrls',
      'period=month&date=today',
    )) as components['schemas']['PageUrlRow'][];
    const blog = rows.find((row) => row.label === 'blog');
    expect(blog?.segment).toBeDefined();
    expect(await visits(blog?.segment ?? '')).toBe(2);
  });

  test('Referrers.getReferrerType', async () => {
    const rows = (await run('Referrers.getReferrerType', month('visitorType==new'))) as { label: string }[];
    expect(rows.map((row) => row.label)).toEqual([
      'Campaigns',
      'Search Engines',
      'Social Networks',
      'Websites',
    ]);
    const engines = await run('Referrers.getReferrerType', `${month('countryCode==fr')}&idSubtable=2`);
    expect(engines).toEqual([]);
  });

  test('UserCountry.getCountry and DevicesDetection.getType', async () => {
    const countries = (await run('UserCountry.getCountry', month('deviceType==tablet'))) as {
      code: string;
      nb_visits: number;
    }[];
    expect(countries.map((row) => [row.code, row.nb_visits])).toEqual([['us', 2]]);
    const devices = (await run('DevicesDetection.getType', month('countryCode==de'))) as {
      label: string;
      nb_visits: number;
    }[];
    // Matomo lists every other device type at zero visits too (ensureDefaultRowsInTable).
    const visited = devices.filter((row) => row.nb_visits > 0);
    expect(visited.map((row) => [row.label, row.nb_visits])).toEqual([['Desktop', 2]]);
    expect(devices).toHaveLength(14);
  });

  test('Live.getLastVisitsDetails', async () => {
    const { v4, v5, v3 } = dataset().visits;
    const live = (query: string) =>
      run('Live.getLastVisitsDetails', query).then((list) =>
        (list as { idVisit: number }[]).map((v) => v.idVisit),
      );
    expect(await live(`segment=${encodeURIComponent('countryCode==us')}`)).toEqual([v4, v5]);
    expect(
      await live(`segment=${encodeURIComponent('siteSearchKeyword==oauth')}&period=month&date=today`),
    ).toEqual([v3]);
  });

  test('Live.getCounters', async () => {
    // Since Monday 12:00: v2, v3 and v4; of them v2 is German, and v2 and v3 saw the blog.
    expect(
      await run('Live.getCounters', `lastMinutes=2880&segment=${encodeURIComponent('countryCode==de')}`),
    ).toEqual([{ visits: 1, actions: 1, visitors: 1, visitsConverted: 0 }]);
    expect(
      await run('Live.getCounters', `lastMinutes=2880&segment=${encodeURIComponent('pageUrl=@blog')}`),
    ).toEqual([{ visits: 2, actions: 4, visitors: 2, visitsConverted: 0 }]);
  });
});

describe('bad segments are Matomo errors, never unsegmented data', () => {
  const reports: readonly [AnalyticsMethodName, string][] = [
    ['VisitsSummary.get', 'period=day&date=today'],
    ['VisitsSummary.getVisits', 'period=day&date=today'],
    ['Actions.get', 'period=day&date=today'],
    ['Actions.getPageUrls', 'period=day&date=today'],
    ['Referrers.getReferrerType', 'period=day&date=today'],
    ['UserCountry.getCountry', 'period=day&date=today'],
    ['DevicesDetection.getType', 'period=day&date=today'],
    ['Live.getLastVisitsDetails', ''],
    ['Live.getCounters', 'lastMinutes=30'],
  ];
  const errors: readonly [string, string][] = [
    ['visitorColour==blue', "Segment 'visitorColour' is not a supported segment."],
    ['countryCode', "The segment condition 'countryCode' is not valid."],
    ['countryCode==de;;', "The segment condition ';' is not valid."],
    [
      'visitCount>',
      "The segment 'visitCount>' has no value specified. You can leave this value empty only when you use the operators: != (is not) or == (is)",
    ],
    ['referrerType==email', "Referrer type 'email' is not valid."],
    ['deviceType==fridge', "Invalid 'log_visit.config_device_type' segment value fridge"],
    ['visitorId==xyz', 'visitorId is expected to be a 16 hex char string'],
  ];

  test.each(reports)('%s', async (method, query) => {
    for (const [segment, message] of errors) {
      const attempt = run(method, `${query}&segment=${encodeURIComponent(segment)}`);
      await expect(attempt, segment).rejects.toBeInstanceOf(MatomoApiError);
      await expect(attempt, segment).rejects.toThrow(message);
    }
  });
});

describe('values reach SQL only as bound parameters', () => {
  test('quotes, LIKE wildcards and comment markers match literally', async () => {
    for (const segment of [
      "referrerName==x' or '1'='1",
      "referrerName!=x' or '1'='1",
      'referrerName=@%',
      'referrerName=@_',
      'referrerName==Google"; drop table log_visit; --',
      "pageUrl=@') or 1=1 --",
    ]) {
      const expected = segment.startsWith('referrerName!=') ? 5 : 0;
      expect(await visits(encodeURIComponent(segment)), segment).toBe(expected);
    }
    // MySQL reads the text as the number 1: the four first visits, not every visit.
    expect(await visits(encodeURIComponent('visitCount==1 or 1=1'))).toBe(4);
    expect(await visits('countryCode!=xx')).toBe(5);
  });
});
