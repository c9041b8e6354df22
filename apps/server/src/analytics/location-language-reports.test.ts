import { describe, expect, test } from 'vitest';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { PLACES } from './demo-data/places';
import { analyticsMethods } from './index';
import { languageCodeOf, languageName } from './languages';
import { regionName } from './location-names';

// Expected values are read off the visits listed in test/analytics/hand-built-dataset.ts. The week
// of 23 November on site 1 holds v1 (A, 3 actions, 90 s, de-de,de, Berlin BE), v2 (A, bounce, de,
// Berlin BE), v3 (B, 3 actions, 60 s, fr-fr,fr, Paris IDF) and v4 (C, bounce, en-us,en, New York
// NY); November adds v5 (C, 2 actions, 300 s, New York NY); v6 (31 December 2025, gb) has no
// language, city nor region.
const { fixture } = useHandBuiltDataset();

/** A day row's visit metrics, in Matomo's order (no user ids nor conversions in the dataset). */
const metrics = ([
  nb_uniq_visitors,
  nb_visits,
  nb_actions,
  max_actions,
  sum_visit_length,
  bounce_count,
]: number[]) => ({
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
const sums = ([
  sum_daily_nb_uniq_visitors,
  nb_visits,
  nb_actions,
  max_actions,
  sum_visit_length,
  bounce_count,
]: number[]) => ({
  nb_visits,
  nb_actions,
  max_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
  sum_daily_nb_uniq_visitors,
  sum_daily_nb_users: 0,
});

const withoutSums = <T extends object>(row: T) => {
  const {
    sum_daily_nb_uniq_visitors: _uniques,
    sum_daily_nb_users: _users,
    ...rest
  } = row as T & {
    sum_daily_nb_uniq_visitors?: number;
    sum_daily_nb_users?: number;
  };
  return rest;
};

const flag = (code: string) => `plugins/Morpheus/icons/dist/flags/${code}.png`;

const visits = (query: string) => analyticsMethods['VisitsSummary.getVisits'].run(fixture.context(query));

// A visited Berlin on Monday 23 (v1) and Tuesday 24 (v2): one unique visitor on each day.
const berlinRegion = {
  label: 'Berlin, Germany',
  ...sums([2, 2, 8, 7, 90, 1]),
  segment: 'regionCode==BE;countryCode==de',
  region: 'BE',
  country: 'de',
  country_name: 'Germany',
  region_name: 'Berlin',
  logo: flag('de'),
};
const newYorkRegion = {
  label: 'New York, United States',
  segment: 'regionCode==NY;countryCode==us',
  region: 'NY',
  country: 'us',
  country_name: 'United States',
  region_name: 'New York',
  logo: flag('us'),
};
const parisRegion = {
  label: 'Île-de-France, France',
  ...sums([1, 1, 3, 3, 60, 0]),
  segment: 'regionCode==IDF;countryCode==fr',
  region: 'IDF',
  country: 'fr',
  country_name: 'France',
  region_name: 'Île-de-France',
  logo: flag('fr'),
};
const unknownLocation = {
  country: 'xx',
  country_name: 'Unknown',
  region: 'xx',
  region_name: 'Unknown',
  logo: flag('xx'),
};

describe('UserCountry.getRegion', () => {
  const run = (query: string, ids = [1]) =>
    analyticsMethods['UserCountry.getRegion'].run(fixture.context(query, { ids }));

  test('visits per region, labelled `Region, Country`, with Matomo’s segment and metadata', async () => {
    expect(await run('period=week&date=today')).toEqual([
      berlinRegion,
      { ...newYorkRegion, ...sums([1, 1, 1, 1, 0, 1]) },
      parisRegion,
    ]);
  });

  test('unique visitors per region; ties by label', async () => {
    // November: v4 and v5 are both C's, in New York, on two days (Wednesday 25, Sunday 1).
    expect(await run('period=month&date=today')).toEqual([
      berlinRegion,
      { ...newYorkRegion, ...sums([2, 2, 4, 3, 300, 1]) },
      parisRegion,
    ]);
  });

  test('visits without a region are one Unknown row, without a segment, whatever their country', async () => {
    // v6 is in gb, without a region.
    expect(await run('period=day&date=2025-12-31')).toEqual([
      { label: 'Unknown', ...metrics([1, 1, 1, 1, 0, 1]), ...unknownLocation },
    ]);
  });

  test('multi-period and multi-site keys; an empty period is []', async () => {
    expect(await run('period=day&date=2026-11-22,2026-11-23', [1, 2])).toEqual({
      '1': {
        '2026-11-22': [],
        '2026-11-23': [{ ...withoutSums(berlinRegion), ...metrics([1, 1, 7, 7, 90, 0]) }],
      },
      '2': { '2026-11-22': [], '2026-11-23': [] },
    });
  });

  test("a row's segment selects that row's visits", async () => {
    const segment = encodeURIComponent('regionCode==BE;countryCode==de');
    expect(await run(`period=week&date=today&segment=${segment}`)).toEqual([berlinRegion]);
    expect(await visits(`period=week&date=today&segment=${encodeURIComponent('regionCode==IDF')}`)).toEqual({
      value: 1,
    });
  });
});

describe('UserCountry.getCity', () => {
  const run = (query: string, ids = [1]) =>
    analyticsMethods['UserCountry.getCity'].run(fixture.context(query, { ids }));

  const berlin = {
    label: 'Berlin, Berlin, Germany',
    // A on Monday 23 (v1) and Tuesday 24 (v2): the sum of the days' unique visitors is 2.
    ...sums([2, 2, 8, 7, 90, 1]),
    segment: 'city==Berlin;regionCode==BE;countryCode==de',
    city_name: 'Berlin',
    region: 'BE',
    country: 'de',
    country_name: 'Germany',
    region_name: 'Berlin',
    logo: flag('de'),
  };
  const newYork = {
    label: 'New York, New York, United States',
    ...sums([1, 1, 1, 1, 0, 1]),
    segment: 'city==New+York;regionCode==NY;countryCode==us',
    city_name: 'New York',
    region: 'NY',
    country: 'us',
    country_name: 'United States',
    region_name: 'New York',
    logo: flag('us'),
  };
  const paris = {
    label: 'Paris, Île-de-France, France',
    ...sums([1, 1, 3, 3, 60, 0]),
    segment: 'city==Paris;regionCode==IDF;countryCode==fr',
    city_name: 'Paris',
    region: 'IDF',
    country: 'fr',
    country_name: 'France',
    region_name: 'Île-de-France',
    logo: flag('fr'),
  };

  test('visits per city, labelled `City, Region, Country`; the segment urlencodes as PHP does', async () => {
    expect(await run('period=week&date=today')).toEqual([berlin, newYork, paris]);
  });

  test('unique visitors per city over the month', async () => {
    expect(await run('period=month&date=today')).toEqual([
      berlin,
      // C in New York on Wednesday 25 (v4) and Sunday 1 (v5).
      { ...newYork, ...sums([2, 2, 4, 3, 300, 1]) },
      paris,
    ]);
  });

  test('visits without a city are one Unknown row: city xx, no segment, no lat/long', async () => {
    const unknown = { label: 'Unknown', city_name: 'Unknown', city: 'xx', ...unknownLocation };
    expect(await run('period=day&date=2025-12-31')).toEqual([{ ...unknown, ...metrics([1, 1, 1, 1, 0, 1]) }]);
    // Site 2's visits (za) have no city: w1 and w3 (both E's) end on the 25th.
    expect(await run('period=day&date=2026-11-25', [2])).toEqual([
      { ...unknown, ...metrics([1, 2, 3, 2, 600, 1]) },
    ]);
  });

  test("a row's segment selects that row's visits", async () => {
    expect(await run(`period=week&date=today&segment=${encodeURIComponent(newYork.segment)}`)).toEqual([
      newYork,
    ]);
    expect(await visits(`period=month&date=today&segment=${encodeURIComponent('city==New York')}`)).toEqual({
      value: 2,
    });
    expect(await visits(`period=week&date=today&segment=${encodeURIComponent('city!=Berlin')}`)).toEqual({
      value: 2,
    });
  });
});

describe('UserLanguage.getLanguage', () => {
  const run = (query: string) => analyticsMethods['UserLanguage.getLanguage'].run(fixture.context(query));

  const german = {
    label: 'German',
    // `de-de,de` (v1, Monday) and `de` (v2, Tuesday): A's two days.
    ...sums([2, 2, 8, 7, 90, 1]),
    segment: 'languageCode==de,languageCode=@de-',
  };

  test("visits per browser language, labelled in English, with Matomo's segment", async () => {
    expect(await run('period=week&date=today')).toEqual([
      german,
      { label: 'English', ...sums([1, 1, 1, 1, 0, 1]), segment: 'languageCode==en,languageCode=@en-' },
      { label: 'French', ...sums([1, 1, 3, 3, 60, 0]), segment: 'languageCode==fr,languageCode=@fr-' },
    ]);
  });

  test('a visit without a language is Unknown, with the segment languageCode==xx', async () => {
    expect(await run('period=day&date=2025-12-31')).toEqual([
      { label: 'Unknown', ...metrics([1, 1, 1, 1, 0, 1]), segment: 'languageCode==xx' },
    ]);
    expect(
      await visits(`period=day&date=2025-12-31&segment=${encodeURIComponent('languageCode==xx')}`),
    ).toEqual({
      value: 1,
    });
  });

  test('languageCode compares the first tag of the header, as Matomo stores it', async () => {
    const week = (segment: string) => visits(`period=week&date=today&segment=${encodeURIComponent(segment)}`);
    expect(await week('languageCode==de')).toEqual({ value: 1 }); // v2 `de`
    expect(await week('languageCode=@de-')).toEqual({ value: 1 }); // v1 `de-de`
    expect(await week('languageCode==DE-DE')).toEqual({ value: 1 });
    expect(await run(`period=week&date=today&segment=${encodeURIComponent(german.segment)}`)).toEqual([
      german,
    ]);
  });

  test('the language of a header: its first known language, two letters', () => {
    expect(languageCodeOf('de-de,de')).toBe('de');
    expect(languageCodeOf('pt-br,pt')).toBe('pt');
    expect(languageCodeOf('ZH-Hant-TW,zh')).toBe('zh');
    expect(languageCodeOf('qq-qq,fr')).toBe('fr');
    expect(languageCodeOf('xx')).toBe('xx');
    expect(languageCodeOf('')).toBe('xx');
    expect(languageName('ca')).toBe('Catalan');
    expect(languageName('xx')).toBe('Unknown');
    expect(languageName('qq')).toBe('Language code qq');
  });
});

describe('region names', () => {
  test('every region of the demo places has its name in Matomo', () => {
    for (const [country, place] of Object.entries(PLACES)) {
      for (const city of place.cities)
        expect(regionName(country, city.region), city.city).not.toBe('Unknown');
    }
  });

  test('codes compare case-insensitively; a code without a name is Unknown', () => {
    expect(regionName('DE', 'by')).toBe('Bayern');
    expect(regionName('de', 'ZZ')).toBe('Unknown');
    expect(regionName('xx', 'xx')).toBe('Unknown');
  });
});
