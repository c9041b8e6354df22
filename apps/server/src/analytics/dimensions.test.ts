import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, test } from 'vitest';
import { AnalyticsFixture, type ContextOptions } from '../../test/analytics/analytics-fixture';
import { expectShape, SHAPES } from '../../test/analytics/contract-keys';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import type { DeviceType } from '../db/analytics.schema';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { ResultOf } from './context';
import { countryName } from './country-names';
import { analyticsMethods } from './index';

type ReferrerTypeRow = components['schemas']['ReferrerTypeRow'];
type VisitMetricsRow = components['schemas']['VisitMetricsRow'];

const { fixture } = useHandBuiltDataset();

function referrers(query: string, options?: ContextOptions): Promise<ResultOf<'Referrers.getReferrerType'>> {
  return analyticsMethods['Referrers.getReferrerType'].run(fixture.context(query, options));
}

async function referrerRows(query: string): Promise<ReferrerTypeRow[]> {
  const result = await referrers(query);
  if (!Array.isArray(result)) throw new Error('expected rows');
  return result as ReferrerTypeRow[];
}

/** A week's or month's row of one visit: Matomo's sums of daily unique visitors and users, after the metrics. */
/** A country row's trailing fields, in Matomo's order: code, flag, segment, flag height. */
const country = (code: string) => ({
  code,
  logo: `plugins/Morpheus/icons/dist/flags/${code}.png`,
  segment: `countryCode==${code}`,
  logoHeight: 16,
});

const metrics = (nb_visits: number, nb_actions: number, sum_visit_length: number, bounce_count: number) => ({
  nb_visits,
  nb_actions,
  max_actions: nb_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
  sum_daily_nb_uniq_visitors: 1,
  sum_daily_nb_users: 0,
});

describe('Referrers.getReferrerType', () => {
  test('one row per type; direct entries have no subtable', async () => {
    const rows = await referrerRows('period=week&date=today');
    expect(rows).toEqual([
      {
        label: 'Campaigns',
        ...metrics(1, 1, 0, 1),
        segment: 'referrerType==campaign',
        referrer_type: 6,
        idsubdatatable: 6,
      },
      {
        label: 'Direct Entry',
        ...metrics(1, 1, 0, 1),
        segment: 'referrerType==direct',
        referrer_type: 1,
      },
      {
        label: 'Search Engines',
        ...metrics(1, 7, 90, 0),
        segment: 'referrerType==search',
        referrer_type: 2,
        idsubdatatable: 2,
      },
      {
        label: 'Social Networks',
        ...metrics(1, 3, 60, 0),
        segment: 'referrerType==social',
        referrer_type: 7,
        idsubdatatable: 7,
      },
    ]);
    for (const row of rows) expectShape(row, SHAPES.ReferrerTypeRow);
  });

  test("idSubtable lists the referrers of one type; the search type's are getKeywords' keywords, as in Matomo", async () => {
    const keywords = await referrers('period=week&date=today&idSubtable=2');
    expect(keywords).toEqual([
      { label: 'matomo', ...metrics(1, 7, 90, 0), segment: 'referrerType==search;referrerKeyword==matomo' },
    ]);
    expect(await referrers('period=month&date=today&idSubtable=7')).toEqual([
      {
        label: 'Twitter',
        ...metrics(1, 3, 60, 0),
        segment: 'referrerType==social;referrerName==Twitter',
        url: 'twitter.com',
        logo: 'plugins/Morpheus/icons/dist/socials/twitter.com.png',
      },
    ]);
    expect(await referrers('period=week&date=today&idSubtable=6')).toEqual([
      {
        label: 'newsletter',
        ...metrics(1, 1, 0, 1),
        segment: 'referrerType==campaign;referrerName==newsletter',
      },
    ]);
    const websites = (await referrers('period=month&date=today&idSubtable=3')) as VisitMetricsRow[];
    expect(websites.map((row) => [row.label, row.nb_visits])).toEqual([['github.com', 1]]);
    for (const row of websites) expectShape(row, SHAPES.VisitMetricsRow);
    expect(await referrers('period=day&date=2026-11-24&idSubtable=6')).toEqual([]);
  });

  test("expanded=1 nests each type's referrers", async () => {
    const rows = await referrerRows('period=month&date=today&expanded=1');
    expect(rows.map((row) => [row.label, row.nb_visits, row.subtable?.map((sub) => sub.label)])).toEqual([
      ['Campaigns', 1, ['newsletter']],
      ['Direct Entry', 1, undefined],
      ['Search Engines', 1, ['matomo']],
      ['Social Networks', 1, ['Twitter']],
      ['Websites', 1, ['github.com']],
    ]);
    for (const row of rows) {
      expectShape(row, SHAPES.ReferrerTypeRow);
      // A network's row also has getSocials' url and logo.
      for (const { url: _url, logo: _logo, ...sub } of row.subtable ?? [])
        expectShape(sub, SHAPES.VisitMetricsRow);
    }
    const search = rows.find((row) => row.referrer_type === 2);
    expect(search?.subtable).toEqual([
      { label: 'matomo', ...metrics(1, 7, 90, 0), segment: 'referrerType==search;referrerKeyword==matomo' },
    ]);
  });

  test("the rows' trailing fields in Matomo's order (test_OneVisitorTwoVisits__Referrers.getReferrerType_day.xml)", async () => {
    // Matomo: …metrics, <segment>referrerType==search</segment>, <referrer_type>2</referrer_type>,
    // then the subtable (in JSON its idsubdatatable first).
    const [search] = await referrerRows('period=day&date=2026-11-23&expanded=1');
    expect(search?.label).toBe('Search Engines');
    expect(Object.keys(search ?? {}).slice(-4)).toEqual([
      'segment',
      'referrer_type',
      'idsubdatatable',
      'subtable',
    ]);
    expect(search).toMatchObject({ segment: 'referrerType==search', referrer_type: 2, idsubdatatable: 2 });
    const [direct] = await referrerRows('period=day&date=2026-11-24&typeReferrer=1');
    expect(Object.keys(direct ?? {}).slice(-2)).toEqual(['segment', 'referrer_type']);
    expect(direct).toMatchObject({
      label: 'Direct Entry',
      segment: 'referrerType==direct',
      referrer_type: 1,
    });
  });

  test.each([
    ['7', ['Social Networks']],
    ['2', ['Search Engines']],
    // A regular expression on the id, case-insensitive, as Matomo's Pattern filter runs it.
    ['[67]', ['Campaigns', 'Social Networks']],
    ['^1$', ['Direct Entry']],
    // The ids are the labels Matomo filters: a name matches nothing.
    ['social', []],
    ['search', []],
    ['email', []],
    // A pattern that does not compile matches nothing, as preg_match failing.
    ['(', []],
    // 0 and false do not filter.
    ['0', ['Campaigns', 'Direct Entry', 'Search Engines', 'Social Networks']],
    ['false', ['Campaigns', 'Direct Entry', 'Search Engines', 'Social Networks']],
  ])('typeReferrer=%s matches the type ids', async (value, labels) => {
    const rows = await referrerRows(`period=week&date=today&typeReferrer=${encodeURIComponent(value)}`);
    expect(rows.map((row) => row.label)).toEqual(labels);
  });

  test('typeReferrer keeps the subtables of the types it keeps', async () => {
    const rows = await referrerRows('period=month&date=today&expanded=1&typeReferrer=7');
    expect(rows.map((row) => [row.label, row.subtable?.map((sub) => sub.label)])).toEqual([
      ['Social Networks', ['Twitter']],
    ]);
  });

  test('filter_limit and filter_offset', async () => {
    const rows = await referrerRows('period=month&date=today&filter_limit=2&filter_offset=1');
    expect(rows.map((row) => row.label)).toEqual(['Direct Entry', 'Search Engines']);
  });

  test('keyed by period', async () => {
    const result = await referrers('period=day&date=last2');
    expect(Object.keys(result)).toEqual(['2026-11-24', '2026-11-25']);
    expect(result).toMatchObject({
      '2026-11-24': [{ label: 'Direct Entry' }, { label: 'Social Networks' }],
      '2026-11-25': [{ label: 'Campaigns' }],
    });
  });

  test("several sites: Matomo's checkSingleSite message", async () => {
    const message = 'Referrers.getReferrerType with multiple sites is not supported (yet).';
    await expect(referrers('period=day&date=today', { ids: [1, 2] })).rejects.toThrow(
      new MatomoApiError(message),
    );
    await expect(referrers('period=day&date=today', { ids: [1], multiple: true })).rejects.toThrow(message);
  });

  test.each(['1', '4', '5', '99', '0', '-2', 'abc', '', '2.5'])(
    'idSubtable=%s is no type with referrers: the whole report, as Matomo',
    async (value) => {
      const whole = await referrers('period=week&date=today');
      expect(await referrers(`period=week&date=today&idSubtable=${encodeURIComponent(value)}`)).toEqual(
        whole,
      );
    },
  );

  test('idSubtable compares loosely with the type ids, as PHP does', async () => {
    const keywords = await referrers('period=week&date=today&idSubtable=2');
    for (const value of [' 2', '2.0', '+2', '2 '])
      expect(
        await referrers(`period=week&date=today&idSubtable=${encodeURIComponent(value)}`),
        value,
      ).toEqual(keywords);
  });
});

describe('UserCountry.getCountry', () => {
  test('countries in English with their lower-case code and segment', async () => {
    const rows = await analyticsMethods['UserCountry.getCountry'].run(
      fixture.context('period=week&date=today'),
    );
    expect(rows).toEqual([
      {
        label: 'Germany',
        nb_visits: 2,
        nb_actions: 8,
        max_actions: 7,
        sum_visit_length: 90,
        bounce_count: 1,
        nb_visits_converted: 0,
        // A on Monday 23 (v1) and Tuesday 24 (v2): one unique visitor each day.
        sum_daily_nb_uniq_visitors: 2,
        sum_daily_nb_users: 0,
        code: 'de',
        logo: 'plugins/Morpheus/icons/dist/flags/de.png',
        segment: 'countryCode==de',
        logoHeight: 16,
      },
      { label: 'France', ...metrics(1, 3, 60, 0), ...country('fr') },
      { label: 'United States', ...metrics(1, 1, 0, 1), ...country('us') },
    ]);
    // Matomo's column order: the renamed `sum_daily_*` columns come after the other metrics.
    expect(Object.keys((rows as object[])[0] ?? {})).toEqual([
      'label',
      'nb_visits',
      'nb_actions',
      'max_actions',
      'sum_visit_length',
      'bounce_count',
      'nb_visits_converted',
      'sum_daily_nb_uniq_visitors',
      'sum_daily_nb_users',
      'code',
      'logo',
      'segment',
      'logoHeight',
    ]);
    const day = await analyticsMethods['UserCountry.getCountry'].run(
      fixture.context('period=day&date=2026-11-23'),
    );
    expect(Object.keys((day as object[])[0] ?? {})).toEqual([
      'label',
      'nb_uniq_visitors',
      'nb_visits',
      'nb_actions',
      'nb_users',
      'max_actions',
      'sum_visit_length',
      'bounce_count',
      'nb_visits_converted',
      'code',
      'logo',
      'segment',
      'logoHeight',
    ]);
    for (const row of rows as unknown[]) expectShape(row, SHAPES.CountryRow);
  });

  test('several sites', async () => {
    const result = await analyticsMethods['UserCountry.getCountry'].run(
      fixture.context('period=day&date=2026-11-24', { ids: [1, 2] }),
    );
    expect(result).toMatchObject({
      // One visit each: France before Germany by label.
      '1': [{ code: 'fr' }, { code: 'de' }],
      '2': [{ label: 'South Africa', code: 'za', nb_visits: 1 }],
    });
  });

  test('unknown locations', () => {
    expect(countryName('xx')).toBe('Unknown');
    expect(countryName('de')).toBe('Germany');
    expect(countryName('DE!')).toBe('Unknown');
  });
});

describe('DevicesDetection.getType', () => {
  const devices = (query: string, options?: ContextOptions) =>
    analyticsMethods['DevicesDetection.getType'].run(fixture.context(query, options));
  const logo = (name: string) => `plugins/Morpheus/icons/dist/devices/${name}.png`;
  const zero = (label: string, segment: string, icon: string) => ({
    label,
    nb_visits: 0,
    segment: `deviceType==${segment}`,
    logo: logo(icon),
  });
  /**
   * The zero rows of Matomo's test_OneVisitorTwoVisits__DevicesDetection.getType_day.xml, whose
   * only visits are on a desktop, in its order (visits, then labels in natural order, spaces
   * skipped): label, nb_visits 0, segment, logo, nothing else.
   */
  const MATOMO_ZERO_ROWS = [
    zero('Camera', 'camera', 'camera'),
    zero('Car browser', 'car+browser', 'car_browser'),
    zero('Console', 'console', 'console'),
    zero('Feature phone', 'feature+phone', 'feature_phone'),
    zero('Peripheral', 'peripheral', 'peripheral'),
    zero('Phablet', 'phablet', 'phablet'),
    zero('Portable media player', 'portable+media+player', 'portable_media_player'),
    zero('Smart display', 'smart+display', 'smart_display'),
    zero('Smartphone', 'smartphone', 'smartphone'),
    zero('Smart speaker', 'smart+speaker', 'smart_speaker'),
    zero('Tablet', 'tablet', 'tablet'),
    zero('Tv', 'tv', 'tv'),
    zero('Wearable', 'wearable', 'wearable'),
  ];
  const zeroRowsBut = (...labels: string[]) => MATOMO_ZERO_ROWS.filter((row) => !labels.includes(row.label));

  test('every other device type at zero, as test_OneVisitorTwoVisits__DevicesDetection.getType_day.xml', async () => {
    // Monday 23: v1 only, on a desktop.
    const rows = (await devices('period=day&date=2026-11-23')) as Record<string, unknown>[];
    expect(rows).toHaveLength(14);
    expect(rows[0]).toMatchObject({
      label: 'Desktop',
      nb_uniq_visitors: 1,
      nb_visits: 1,
      nb_actions: 7,
      max_actions: 7,
      sum_visit_length: 90,
      bounce_count: 0,
      segment: 'deviceType==desktop',
      logo: logo('desktop'),
    });
    expect(Object.keys(rows[0] ?? {}).slice(-2)).toEqual(['segment', 'logo']);
    expect(rows.slice(1)).toEqual(MATOMO_ZERO_ROWS);
    for (const row of rows.slice(1))
      expect(Object.keys(row)).toEqual(['label', 'nb_visits', 'segment', 'logo']);
    expectShape(rows[0], SHAPES.DeviceTypeVisitsRow);
    for (const row of rows.slice(1)) expectShape(row, SHAPES.DeviceTypeZeroRow);
  });

  test('device types with their segment and logo; the zero rows of a week have nb_visits only too', async () => {
    const rows = (await devices('period=week&date=today')) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        label: 'Desktop',
        nb_visits: 2,
        nb_actions: 8,
        max_actions: 7,
        sum_visit_length: 90,
        bounce_count: 1,
        nb_visits_converted: 0,
        // A on Monday 23 (v1) and Tuesday 24 (v2): one unique visitor each day.
        sum_daily_nb_uniq_visitors: 2,
        sum_daily_nb_users: 0,
        segment: 'deviceType==desktop',
        logo: logo('desktop'),
      },
      {
        label: 'Smartphone',
        ...metrics(1, 3, 60, 0),
        segment: 'deviceType==smartphone',
        logo: logo('smartphone'),
      },
      { label: 'Tablet', ...metrics(1, 1, 0, 1), segment: 'deviceType==tablet', logo: logo('tablet') },
      ...zeroRowsBut('Smartphone', 'Tablet'),
    ]);
    for (const row of rows.slice(0, 3)) expectShape(row, SHAPES.DeviceTypeVisitsRow);
  });

  test('the zero rows are rows like any other for filter_limit and filter_offset', async () => {
    const labels = async (query: string) =>
      ((await devices(`period=week&date=today&${query}`)) as { label: string }[]).map((row) => row.label);
    expect(await labels('filter_limit=1')).toEqual(['Desktop']);
    expect(await labels('filter_limit=5')).toEqual([
      'Desktop',
      'Smartphone',
      'Tablet',
      'Camera',
      'Car browser',
    ]);
    expect(await labels('filter_limit=2&filter_offset=3')).toEqual(['Camera', 'Car browser']);
  });

  test('no zero rows in a map of periods or sites, nor in a table without visits (ensureDefaultRowsInTable)', async () => {
    expect(await devices('period=day&date=last2')).toEqual({
      '2026-11-24': [
        expect.objectContaining({ label: 'Desktop', nb_visits: 1 }),
        expect.objectContaining({ label: 'Smartphone', nb_visits: 1 }),
      ],
      '2026-11-25': [expect.objectContaining({ label: 'Tablet', nb_visits: 1 })],
    });
    const bySite = (await devices('period=week&date=today', { ids: [1, 2] })) as Record<
      string,
      { label: string }[]
    >;
    expect(bySite['1']?.map((row) => row.label)).toEqual(['Desktop', 'Smartphone', 'Tablet']);
    expect(await devices('period=day&date=2026-11-26')).toEqual([]);
  });

  describe('Tv and Unknown', () => {
    const own = AnalyticsFixture.forTests(async (fixture) => {
      const idsite = await fixture.addSite('UTC', 'https://devices.example');
      const visit = (visitor: string, device: DeviceType, at: string) => ({
        idsite,
        visitor,
        device,
        actions: [{ at, page: '/' }],
      });
      await fixture.record(
        visit('1111111111111111', 'Smartphone', '2026-11-02T10:00:00Z'),
        visit('2222222222222222', 'Unknown', '2026-11-02T11:00:00Z'),
        visit('3333333333333333', 'TV', '2026-11-02T12:00:00Z'),
        visit('4444444444444444', 'Unknown', '2026-11-03T10:00:00Z'),
        visit('5555555555555555', 'Smartphone', '2026-11-03T11:00:00Z'),
      );
    });

    test('Matomo labels the TV type Tv; visits of no known type are Unknown, without segment', async () => {
      const rows = (await analyticsMethods['DevicesDetection.getType'].run(
        own.context('period=month&date=2026-11-03'),
      )) as Record<string, unknown>[];
      // As test_ImportLogs__DevicesDetection.getType_month.xml: ties by label, Unknown without segment.
      const bounces = (nb_visits: number) => ({
        nb_visits,
        nb_actions: nb_visits,
        max_actions: 1,
        sum_visit_length: 0,
        bounce_count: nb_visits,
        nb_visits_converted: 0,
        sum_daily_nb_uniq_visitors: nb_visits,
        sum_daily_nb_users: 0,
      });
      expect(rows.slice(0, 3)).toEqual([
        { label: 'Smartphone', ...bounces(2), segment: 'deviceType==smartphone', logo: logo('smartphone') },
        { label: 'Unknown', ...bounces(2), logo: logo('unknown') },
        { label: 'Tv', ...bounces(1), segment: 'deviceType==tv', logo: logo('tv') },
      ]);
      // Desktop, now without visits, between Console and Feature phone.
      const others = zeroRowsBut('Smartphone', 'Tv');
      expect(rows.slice(3)).toEqual([
        ...others.slice(0, 3),
        zero('Desktop', 'desktop', 'desktop'),
        ...others.slice(3),
      ]);
      expect(others.slice(2, 4).map((row) => row.label)).toEqual(['Console', 'Feature phone']);
    });
  });
});
