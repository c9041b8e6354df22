import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { expectShape, SHAPES } from '../../test/analytics/contract-keys';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
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
        referrer_type: 'campaign',
        idsubdatatable: 6,
      },
      {
        label: 'Direct Entry',
        ...metrics(1, 1, 0, 1),
        segment: 'referrerType==direct',
        referrer_type: 'direct',
      },
      {
        label: 'Search Engines',
        ...metrics(1, 7, 90, 0),
        segment: 'referrerType==search',
        referrer_type: 'search',
        idsubdatatable: 2,
      },
      {
        label: 'Social Networks',
        ...metrics(1, 3, 60, 0),
        segment: 'referrerType==social',
        referrer_type: 'social',
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
    const search = rows.find((row) => row.referrer_type === 'search');
    expect(search?.subtable).toEqual([
      { label: 'matomo', ...metrics(1, 7, 90, 0), segment: 'referrerType==search;referrerKeyword==matomo' },
    ]);
  });

  test('typeReferrer keeps one type', async () => {
    const rows = await referrerRows('period=month&date=today&typeReferrer=social');
    expect(rows.map((row) => row.label)).toEqual(['Social Networks']);
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

  test('one site only; unknown subtables and types are errors', async () => {
    await expect(referrers('period=day&date=today', { ids: [1, 2] })).rejects.toBeInstanceOf(MatomoApiError);
    await expect(referrers('period=day&date=today', { ids: [1], multiple: true })).rejects.toThrow(
      /one site only/,
    );
    await expect(referrers('period=day&date=today&idSubtable=1')).rejects.toThrow(/does not exist/);
    await expect(referrers('period=day&date=today&idSubtable=5')).rejects.toBeInstanceOf(MatomoApiError);
    await expect(referrers('period=day&date=today&typeReferrer=email')).rejects.toThrow(/typeReferrer/);
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
  test('device types with their segment', async () => {
    const rows = await analyticsMethods['DevicesDetection.getType'].run(
      fixture.context('period=week&date=today'),
    );
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
      },
      { label: 'Smartphone', ...metrics(1, 3, 60, 0), segment: 'deviceType==smartphone' },
      { label: 'Tablet', ...metrics(1, 1, 0, 1), segment: 'deviceType==tablet' },
    ]);
    for (const row of rows as unknown[]) expectShape(row, SHAPES.DeviceTypeRow);
  });

  test('filter_limit=1 keeps the most visited', async () => {
    const rows = await analyticsMethods['DevicesDetection.getType'].run(
      fixture.context('period=week&date=today&filter_limit=1'),
    );
    expect(rows).toMatchObject([{ label: 'Desktop' }]);
  });
});
