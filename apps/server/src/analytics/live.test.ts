import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { expectShape, SHAPES } from '../../test/analytics/contract-keys';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import { analyticsMethods } from './index';

type Visit = components['schemas']['Visit'];

const { fixture, dataset } = useHandBuiltDataset();

function lastVisits(query: string, options?: ContextOptions): Promise<Visit[]> {
  return analyticsMethods['Live.getLastVisitsDetails'].run(fixture.context(query, options));
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;

describe('Live.getLastVisitsDetails', () => {
  test('the latest visits, newest first, with their actions', async () => {
    const visits = await lastVisits('');
    const { v1, v2, v3, v4, v5, v6 } = dataset().visits;
    expect(visits.map((visit) => visit.idVisit)).toEqual([v4, v3, v2, v1, v5, v6]);
    // Every value by hand from Matomo's VisitorDetails classes (see live-visits.ts), in their order.
    const expected = {
      idSite: 1,
      idVisit: v3,
      visitIp: '198.51.100.0',
      visitorId: 'bbbbbbbbbbbbbbbb',
      actionDetails: [
        {
          type: 'action',
          url: 'https://utc.example/blog/',
          pageTitle: 'Blog',
          timestamp: seconds('2026-11-24T23:30:00Z'),
          timeSpent: 20,
        },
        {
          type: 'action',
          url: 'https://utc.example/blog/2026/post-a',
          pageTitle: 'Post A',
          timestamp: seconds('2026-11-24T23:30:20Z'),
          timeSpent: 40,
        },
        {
          type: 'search',
          url: 'https://utc.example/search?q=oauth',
          siteSearchKeyword: 'oauth',
          timestamp: seconds('2026-11-24T23:31:00Z'),
          timeSpent: 0,
        },
      ],
      goalConversions: 0,
      siteCurrency: 'EUR',
      siteCurrencySymbol: '€',
      // UTC, of the last action.
      serverDate: '2026-11-24',
      visitServerHour: '23',
      lastActionTimestamp: seconds('2026-11-24T23:31:00Z'),
      lastActionDateTime: '2026-11-24 23:31:00',
      siteName: 'https://utc.example',
      serverTimestamp: seconds('2026-11-24T23:31:00Z'),
      firstActionTimestamp: seconds('2026-11-24T23:30:00Z'),
      serverTimePretty: '23:31:00',
      serverDatePretty: 'Tuesday, November 24, 2026',
      serverDatePrettyFirstAction: 'Tuesday, November 24, 2026',
      serverTimePrettyFirstAction: '23:30:00',
      visitorType: 'new',
      visitorTypeIcon: null,
      visitConverted: 0,
      visitConvertedIcon: null,
      visitCount: 1,
      visitEcommerceStatus: 'none',
      visitEcommerceStatusIcon: null,
      // A new visitor: Matomo's tracker stores 0 seconds since the first and the last visit.
      daysSinceFirstVisit: 0,
      secondsSinceFirstVisit: 0,
      visitDuration: 60,
      visitDurationPretty: '1 min 0s',
      searches: 1,
      actions: 3,
      // Two page views and the site search.
      interactions: 3,
      referrerType: 'social',
      referrerTypeName: 'Social Networks',
      referrerName: 'Twitter',
      referrerKeyword: '',
      referrerKeywordPosition: null,
      referrerUrl: 'https://t.co/',
      referrerSearchEngineUrl: null,
      referrerSearchEngineIcon: null,
      referrerSocialNetworkUrl: 'twitter.com',
      referrerSocialNetworkIcon: 'plugins/Morpheus/icons/dist/socials/twitter.com.png',
      // The tracker keeps the first tag; languageTranslate knows no `fr-fr`.
      languageCode: 'fr-fr',
      language: 'Language code fr-fr',
      deviceType: 'Smartphone',
      deviceTypeIcon: 'plugins/Morpheus/icons/dist/devices/smartphone.png',
      operatingSystemName: 'Android',
      operatingSystemIcon: 'plugins/Morpheus/icons/dist/os/AND.png',
      operatingSystemCode: 'AND',
      browserName: 'Chrome Mobile',
      browserIcon: 'plugins/Morpheus/icons/dist/browsers/CM.png',
      browserCode: 'CM',
      events: 0,
      continent: 'Europe',
      continentCode: 'eur',
      country: 'France',
      countryCode: 'fr',
      countryFlag: 'plugins/Morpheus/icons/dist/flags/fr.png',
      region: 'Île-de-France',
      regionCode: 'IDF',
      city: 'Paris',
      location: 'Paris, Île-de-France, France',
      // The hand-built visits have no coordinates: Matomo's null.
      latitude: null,
      longitude: null,
      visitLocalTime: '00:30:00',
      visitLocalHour: '0',
      daysSinceLastVisit: 0,
      secondsSinceLastVisit: 0,
      resolution: '390x844',
    };
    expect(visits[1]).toEqual(expected);
    expect(Object.keys(visits[1] ?? {})).toEqual(Object.keys(expected));
    for (const visit of visits) {
      expectShape(visit, SHAPES.Visit);
      for (const action of visit.actionDetails ?? []) expectShape(action, SHAPES.VisitAction);
    }
  });

  test('downloads, outlinks, returning visitors, keywords and direct entries', async () => {
    const visits = await lastVisits('');
    const byId = new Map(visits.map((visit) => [visit.idVisit, visit]));
    const v1 = byId.get(dataset().visits.v1 ?? 0);
    expect(v1?.referrerKeyword).toBe('matomo');
    expect(v1?.actionDetails?.[6]).toEqual({
      type: 'download',
      url: 'https://utc.example/files/guide.pdf',
      timestamp: seconds('2026-11-23T10:01:30Z'),
      timeSpent: 0,
    });
    expect(byId.get(dataset().visits.v5 ?? 0)?.actionDetails?.[2]?.url).toBe(
      'https://github.com/matomo-org/matomo',
    );
    const v2 = byId.get(dataset().visits.v2 ?? 0);
    expect(v2).toMatchObject({
      visitorType: 'returning',
      visitCount: 2,
      referrerType: 'direct',
      referrerName: '',
    });
    expect(v2?.referrerTypeName).toBe('Direct Entry');
    expect(v2?.referrerKeyword).toBe('');
    expect(v2?.referrerUrl).toBeNull();
    expect(byId.get(dataset().visits.v5 ?? 0)?.visitDurationPretty).toBe('5 min 0s');
  });

  test("events are actions of the visit, in Matomo's format, on the page they happened on", async () => {
    const visits = await lastVisits('');
    const byId = new Map(visits.map((visit) => [visit.idVisit, visit]));
    const v1 = byId.get(dataset().visits.v1 ?? 0);
    // 3 actions and 4 events: Matomo's visit_total_actions counts both; `events` the events.
    expect(v1).toMatchObject({ actions: 7, events: 4 });
    expect(v1?.actionDetails?.map((action) => action.type)).toEqual([
      'action',
      'event',
      'event',
      'action',
      'event',
      'event',
      'download',
    ]);
    const subtitle = (category: string, action: string) => `Category: "${category}', Action: "${action}"`;
    const icons = { icon: 'plugins/Morpheus/images/event.png', iconSVG: 'plugins/Morpheus/images/event.svg' };
    expect(v1?.actionDetails?.slice(1, 3)).toEqual([
      {
        type: 'event',
        url: 'https://utc.example/',
        timestamp: seconds('2026-11-23T10:00:10Z'),
        eventCategory: 'Videos',
        eventAction: 'Play',
        ...icons,
        title: 'Event',
        subtitle: subtitle('Videos', 'Play'),
        eventName: 'intro',
      },
      // No name, no eventName; the value as a number.
      {
        type: 'event',
        url: 'https://utc.example/',
        timestamp: seconds('2026-11-23T10:00:20Z'),
        eventCategory: 'Videos',
        eventAction: 'Play',
        ...icons,
        title: 'Event',
        subtitle: subtitle('Videos', 'Play'),
        eventValue: 12.5,
      },
    ]);
    expect(v1?.actionDetails?.slice(4, 6)).toEqual([
      expect.objectContaining({
        url: 'https://utc.example/pricing',
        eventAction: 'Pause',
        eventName: 'intro',
        eventValue: 35,
        subtitle: subtitle('Videos', 'Pause'),
      }),
      expect.objectContaining({
        url: 'https://utc.example/pricing',
        eventCategory: 'Downloads',
        eventName: 'pricing.pdf',
        subtitle: subtitle('Downloads', 'Click'),
      }),
    ]);
    // The page view before the events keeps its time until the next page view.
    expect(v1?.actionDetails?.[0]).toMatchObject({ type: 'action', timeSpent: 30 });
    expect(byId.get(dataset().visits.v5 ?? 0)).toMatchObject({ actions: 3, events: 1 });
    expect(byId.get(dataset().visits.v2 ?? 0)).toMatchObject({ actions: 1, events: 0 });
    for (const visit of visits)
      for (const action of visit.actionDetails ?? []) expectShape(action, SHAPES.VisitAction);
  });

  test('doNotFetchActions sends no actions (an empty list, as Matomo) but still counts the events', async () => {
    const visits = await lastVisits('doNotFetchActions=1');
    const v1 = visits.find((visit) => visit.idVisit === dataset().visits.v1);
    expect(v1).toMatchObject({ actions: 7, events: 4 });
    expect(v1?.actionDetails).toEqual([]);
  });

  test("serverDate is the last action's UTC day (PHP's date()); the pretty dates are the site's", async () => {
    const visits = await lastVisits('', { ids: [2] });
    const w1 = visits.find((visit) => visit.idVisit === dataset().visits.w1);
    expect(w1?.serverDate).toBe('2026-11-24');
    expect(w1?.serverDatePretty).toBe('Wednesday, November 25, 2026');
    expect(w1?.serverTimePretty).toBe('01:30:00');
    expect(w1?.lastActionDateTime).toBe('2026-11-24 23:30:00');
    expect(w1?.actionDetails?.[0]?.url).toBe('https://plus2.example/');
  });

  test('several sites are merged, newest first', async () => {
    const { v1, v2, v3, v4, v5, v6, w1, w2, w3 } = dataset().visits;
    const visits = await lastVisits('', { ids: [1, 2] });
    expect(visits.map((visit) => visit.idVisit)).toEqual([w3, v4, v3, w1, w2, v2, v1, v5, v6]);
  });

  test("period and date restrict the visits, in the site's timezone", async () => {
    const { v2, v3, w2, w1, w3 } = dataset().visits;
    expect((await lastVisits('period=day&date=2026-11-24')).map((visit) => visit.idVisit)).toEqual([v3, v2]);
    expect(
      (await lastVisits('period=day&date=2026-11-24', { ids: [2] })).map((visit) => visit.idVisit),
    ).toEqual([w2]);
    expect((await lastVisits('period=day&date=today', { ids: [2] })).map((visit) => visit.idVisit)).toEqual([
      w3,
      w1,
    ]);
    expect(await lastVisits('period=day&date=2026-11-22')).toEqual([]);
  });

  test('filter_limit, filter_offset, minTimestamp and doNotFetchActions', async () => {
    const { v2, v3, v4 } = dataset().visits;
    expect((await lastVisits('filter_limit=2')).map((visit) => visit.idVisit)).toEqual([v4, v3]);
    expect((await lastVisits('filter_limit=2&filter_offset=1')).map((visit) => visit.idVisit)).toEqual([
      v3,
      v2,
    ]);
    const since = seconds('2026-11-24T12:00:00Z');
    expect((await lastVisits(`minTimestamp=${since}`)).map((visit) => visit.idVisit)).toEqual([v4, v3]);
    const bare = await lastVisits('doNotFetchActions=1&filter_limit=1');
    expect(bare).toHaveLength(1);
    expect(bare[0]?.actionDetails).toEqual([]);
    expectShape(bare[0], SHAPES.Visit);
  });

  // Matomo's Live Model::makeLogVisitsQueryString: `ORDER BY visit_last_action_time, idvisit`
  // in the requested direction, DESC unless `asc`; the sort column is ignored.
  test('filter_sort_order=asc lists the oldest first, the window taken in that order', async () => {
    const { v1, v2, v3, v4, v5, v6 } = dataset().visits;
    const ids = async (query: string) => (await lastVisits(query)).map((visit) => visit.idVisit);
    expect(await ids('filter_sort_order=asc')).toEqual([v6, v5, v1, v2, v3, v4]);
    expect(await ids('filter_sort_order=ASC&filter_limit=2&filter_offset=1')).toEqual([v5, v1]);
    expect(await ids('filter_sort_order=desc')).toEqual([v4, v3, v2, v1, v5, v6]);
    expect(await ids('filter_sort_order=up')).toEqual([v4, v3, v2, v1, v5, v6]);
    expect(await ids('filter_sort_order=asc&filter_sort_column=idVisit')).toEqual([v6, v5, v1, v2, v3, v4]);
    expect(await ids('filter_sort_order=asc&period=day&date=2026-11-24')).toEqual([v2, v3]);
  });

  // Live\API::getLastVisitsDetails: `(int) $countVisitorsToFetch` is the limit, the offset 0.
  test('countVisitorsToFetch is the limit, from the first visit whatever filter_offset says', async () => {
    const { v1, v2, v3, v4, v5, v6 } = dataset().visits;
    const ids = async (query: string) => (await lastVisits(query)).map((visit) => visit.idVisit);
    expect(await ids('countVisitorsToFetch=2')).toEqual([v4, v3]);
    expect(await ids('countVisitorsToFetch=2&filter_limit=5&filter_offset=3')).toEqual([v4, v3]);
    expect(await ids('countVisitorsToFetch=1&filter_sort_order=asc')).toEqual([v6]);
    // PHP's (int): the numeric prefix ("3,10" is 3, " 2.9" is 2), 0 without one; negative is all.
    expect(await ids('countVisitorsToFetch=3,10')).toEqual([v4, v3, v2]);
    expect(await ids('countVisitorsToFetch=%202.9')).toEqual([v4, v3]);
    expect(await ids('countVisitorsToFetch=abc')).toEqual([]);
    expect(await ids('countVisitorsToFetch=0')).toEqual([]);
    expect(await ids('countVisitorsToFetch=-1&filter_limit=1')).toEqual([v4, v3, v2, v1, v5, v6]);
  });

  test('period without date, or date without period, is an error', async () => {
    await expect(lastVisits('period=day')).rejects.toThrow(/'date'/);
    await expect(lastVisits('date=today')).rejects.toThrow(/'period'/);
    await expect(lastVisits('period=day&date=yesterday2')).rejects.toBeInstanceOf(MatomoApiError);
  });
});

describe('Live.getCounters', () => {
  const counters = (query: string, options?: ContextOptions) =>
    analyticsMethods['Live.getCounters'].run(fixture.context(query, options));

  test('visits, actions and visitors of the last minutes', async () => {
    // Now is 12:00 UTC; v4's only action is at 08:00:00.
    expect(await counters('lastMinutes=240')).toEqual([
      { visits: 1, actions: 1, visitors: 1, visitsConverted: 0 },
    ]);
    expect(await counters('lastMinutes=239')).toEqual([
      { visits: 0, actions: 0, visitors: 0, visitsConverted: 0 },
    ]);
    expect(await counters('lastMinutes=120', { ids: [2] })).toEqual([
      { visits: 1, actions: 2, visitors: 1, visitsConverted: 0 },
    ]);
    // Since Monday 12:00: v4, v3 and v2 (v1 ended at 10:01:30).
    expect(await counters('lastMinutes=2880')).toEqual([
      { visits: 3, actions: 5, visitors: 3, visitsConverted: 0 },
    ]);
  });

  test('lastMinutes must be 1 to 2880; one site only', async () => {
    for (const bad of ['0', '2881', '-5', '1.5', 'ten', '00030']) {
      await expect(counters(`lastMinutes=${bad}`), bad).rejects.toBeInstanceOf(MatomoApiError);
    }
    await expect(counters('')).rejects.toThrow(/Please specify a value for 'lastMinutes'/);
    await expect(counters('lastMinutes=30', { ids: [1, 2] })).rejects.toBeInstanceOf(MatomoApiError);
  });
});
