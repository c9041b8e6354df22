import { beforeAll, describe, expect, test } from 'vitest';
import { AnalyticsFixture } from '../../test/analytics/analytics-fixture';
import { analyticsMethods } from './index';

/*
 * One UTC site with two goals: 1 "Signup" (revenue 5), 2 "Buy" (revenue 10, several per visit).
 * Week of Monday 2026-11-23:
 *   a1  A  Tue 24 10:00 /  10:05 /signup   de Berlin, Desktop Firefox, search Google "oauth"
 *          converts goal 1 at 10:05 (5) and goal 2 at 10:05 (12.5)
 *   a2  A  Tue 24 23:50 /  Wed 25 00:05 /buy   de Berlin, Desktop Firefox, direct (returning)
 *          converts goal 2 at Tue 23:55 (10, manual) and at Wed 00:05 (10): the visit counts on
 *          Wednesday (its last action), its conversions each on their own day
 *   b1  B  Wed 25 09:00 /                 fr Paris, Smartphone Chrome Mobile, social Twitter, no conversion
 *   c1  C  Wed 25 14:00 /  14:02 /signup  us New York, Tablet Safari, campaign newsletter "email"
 *          converts goal 1 at 14:02 (5)
 *
 * Matomo sums a week from day archives: goal 2's visits of a2 count once on Tuesday and once on
 * Wednesday, so the week's goal 2 has 3 converting visits in the `de` row (a1, a2, a2).
 */
const fixture = AnalyticsFixture.forTests();
let site: number;

beforeAll(async () => {
  site = await fixture.addSite('UTC', 'https://goals.example');
  const signup = await fixture.addGoal(site, { name: 'Signup', revenue: 5 });
  const buy = await fixture.addGoal(site, { name: 'Buy', revenue: 10, allowMultiple: true });
  const berlin = {
    country: 'de',
    city: 'Berlin',
    region: 'BE',
    device: 'Desktop',
    browser: 'Firefox',
  } as const;
  await fixture.record(
    {
      idsite: site,
      visitor: 'aaaaaaaaaaaaaaaa',
      ...berlin,
      referrer: { type: 'search', name: 'Google', keyword: 'oauth', url: 'https://www.google.com/' },
      actions: [
        { at: '2026-11-24T10:00:00Z', page: '/' },
        { at: '2026-11-24T10:05:00Z', page: '/signup' },
      ],
      conversions: [
        { goal: signup, at: '2026-11-24T10:05:00Z', page: '/signup' },
        { goal: buy, at: '2026-11-24T10:05:00Z', page: '/signup', revenue: 12.5 },
      ],
    },
    {
      idsite: site,
      visitor: 'aaaaaaaaaaaaaaaa',
      visitCount: 2,
      ...berlin,
      actions: [
        { at: '2026-11-24T23:50:00Z', page: '/' },
        { at: '2026-11-25T00:05:00Z', page: '/buy' },
      ],
      conversions: [
        { goal: buy, at: '2026-11-24T23:55:00Z' },
        { goal: buy, at: '2026-11-25T00:05:00Z', page: '/buy' },
      ],
    },
    {
      idsite: site,
      visitor: 'bbbbbbbbbbbbbbbb',
      country: 'fr',
      city: 'Paris',
      region: 'IDF',
      device: 'Smartphone',
      browser: 'Chrome Mobile',
      os: 'Android',
      referrer: { type: 'social', name: 'Twitter', url: 'https://t.co/' },
      actions: [{ at: '2026-11-25T09:00:00Z', page: '/' }],
    },
    {
      idsite: site,
      visitor: 'cccccccccccccccc',
      country: 'us',
      city: 'New York',
      region: 'NY',
      device: 'Tablet',
      browser: 'Safari',
      os: 'Mac',
      referrer: { type: 'campaign', name: 'newsletter', keyword: 'email' },
      actions: [
        { at: '2026-11-25T14:00:00Z', page: '/' },
        { at: '2026-11-25T14:02:00Z', page: '/signup' },
      ],
      conversions: [{ goal: signup, at: '2026-11-25T14:02:00Z', page: '/signup' }],
    },
  );
});

const WEEK = 'period=week&date=2026-11-23';
const TUESDAY = 'period=day&date=2026-11-24';
const WEDNESDAY = 'period=day&date=2026-11-25';

type Row = Record<string, unknown>;

async function rows(method: keyof typeof analyticsMethods, query: string): Promise<Row[]> {
  return (await analyticsMethods[method].run(fixture.context(query, { ids: [site] }))) as Row[];
}

function find(list: readonly Row[], label: string): Row | undefined {
  return list.find((row) => row.label === label);
}

const goal = (nb_conversions: number, nb_visits_converted: number, revenue: number) => ({
  nb_conversions,
  nb_visits_converted,
  revenue,
});

/** The `de` visitors' goals over the week: a1 (goals 1 and 2), a2 (goal 2 on two days). */
const deWeekGoals = {
  goals: { 'idgoal=1': goal(1, 1, 5), 'idgoal=2': goal(3, 3, 32.5) },
  nb_conversions: 4,
  revenue: 37.5,
};

describe('goal metrics on the rows of visit dimension reports', () => {
  test('UserCountry.getCountry, week: per goal, then the totals, before the sum_daily columns', async () => {
    const week = await rows('UserCountry.getCountry', WEEK);
    const de = find(week, 'Germany');
    expect(de).toEqual({
      label: 'Germany',
      nb_visits: 2,
      nb_actions: 4,
      max_actions: 2,
      sum_visit_length: 1200,
      bounce_count: 0,
      nb_visits_converted: 2,
      ...deWeekGoals,
      sum_daily_nb_uniq_visitors: 2,
      sum_daily_nb_users: 0,
      code: 'de',
      logo: 'plugins/Morpheus/icons/dist/flags/de.png',
      segment: 'countryCode==de',
      logoHeight: 16,
    });
    // Matomo's order (tests/PHPUnit/System/expected/test_ManyVisitorsOneWebsiteTest__UserCountry.getCountry_month.xml).
    expect(Object.keys(de ?? {})).toEqual([
      'label',
      'nb_visits',
      'nb_actions',
      'max_actions',
      'sum_visit_length',
      'bounce_count',
      'nb_visits_converted',
      'goals',
      'nb_conversions',
      'revenue',
      'sum_daily_nb_uniq_visitors',
      'sum_daily_nb_users',
      'code',
      'logo',
      'segment',
      'logoHeight',
    ]);
    expect(find(week, 'United States')).toMatchObject({
      goals: { 'idgoal=1': goal(1, 1, 5) },
      nb_conversions: 1,
      revenue: 5,
    });
    // No conversion, no goal columns.
    expect(Object.keys(find(week, 'France') ?? {})).not.toContain('goals');
    expect(find(week, 'France')).not.toHaveProperty('nb_conversions');
  });

  test('UserCountry.getCountry, day: conversions of the day, in the day row order', async () => {
    // Tuesday: a1's visit, a1's conversions and a2's first one (a2's visit counts on Wednesday).
    const [de] = await rows('UserCountry.getCountry', TUESDAY);
    expect(de).toMatchObject({
      label: 'Germany',
      nb_visits: 1,
      nb_visits_converted: 1,
      goals: { 'idgoal=1': goal(1, 1, 5), 'idgoal=2': goal(2, 2, 22.5) },
      nb_conversions: 3,
      revenue: 27.5,
    });
    expect(Object.keys(de ?? {})).toEqual([
      'label',
      'nb_uniq_visitors',
      'nb_visits',
      'nb_actions',
      'nb_users',
      'max_actions',
      'sum_visit_length',
      'bounce_count',
      'nb_visits_converted',
      'goals',
      'nb_conversions',
      'revenue',
      'code',
      'logo',
      'segment',
      'logoHeight',
    ]);
  });

  test('a segment keeps the conversions of the visits it keeps', async () => {
    const segment = `segment=${encodeURIComponent('referrerType==direct')}`;
    const [de] = await rows('UserCountry.getCountry', `${WEEK}&${segment}`);
    expect(de).toMatchObject({
      label: 'Germany',
      nb_visits: 1,
      goals: { 'idgoal=2': goal(2, 2, 20) },
      nb_conversions: 2,
      revenue: 20,
    });
  });

  test('continents, regions and cities carry the goals of their visits', async () => {
    expect(find(await rows('UserCountry.getContinent', WEEK), 'Europe')).toMatchObject(deWeekGoals);
    expect(find(await rows('UserCountry.getContinent', WEEK), 'North America')).toMatchObject({
      nb_conversions: 1,
      revenue: 5,
    });
    expect(find(await rows('UserCountry.getRegion', WEEK), 'Berlin, Germany')).toMatchObject(deWeekGoals);
    const cities = await rows('UserCountry.getCity', WEEK);
    expect(cities.find((row) => row.city_name === 'Berlin')).toMatchObject(deWeekGoals);
    expect(cities.find((row) => row.city_name === 'Paris')).not.toHaveProperty('goals');
  });

  test('DevicesDetection: device types and browsers have goals, OS families none', async () => {
    // Wednesday: a2's visit (Desktop) and its second conversion, c1 (Tablet).
    const types = await rows('DevicesDetection.getType', WEDNESDAY);
    expect(find(types, 'Desktop')).toMatchObject({
      nb_visits: 1,
      goals: { 'idgoal=2': goal(1, 1, 10) },
      nb_conversions: 1,
      revenue: 10,
    });
    expect(find(types, 'Tablet')).toMatchObject({ goals: { 'idgoal=1': goal(1, 1, 5) } });
    expect(find(types, 'Smartphone')).not.toHaveProperty('goals');
    expect(find(await rows('DevicesDetection.getBrowsers', WEEK), 'Firefox')).toMatchObject(deWeekGoals);
    const families = await rows('DevicesDetection.getOsFamilies', WEEK);
    expect(families.length).toBeGreaterThan(0);
    expect(families.some((row) => 'goals' in row || 'nb_conversions' in row)).toBe(false);
  });

  test('Referrers: types, their reports and getAll have goals; subtables only for campaign keywords', async () => {
    const types = await rows('Referrers.getReferrerType', `${WEEK}&expanded=1`);
    expect(find(types, 'Search Engines')).toMatchObject({
      goals: { 'idgoal=1': goal(1, 1, 5), 'idgoal=2': goal(1, 1, 12.5) },
      nb_conversions: 2,
      revenue: 17.5,
      // The type's subtable is getKeywords: its rows have goals.
      subtable: [{ label: 'oauth', nb_conversions: 2, revenue: 17.5 }],
    });
    expect(find(types, 'Direct Entry')).toMatchObject({ goals: { 'idgoal=2': goal(2, 2, 20) } });
    expect(find(types, 'Campaigns')).toMatchObject({ goals: { 'idgoal=1': goal(1, 1, 5) } });
    expect(find(types, 'Social Networks')).not.toHaveProperty('goals');

    const engines = await rows('Referrers.getSearchEngines', `${WEEK}&expanded=1`);
    expect(find(engines, 'Google')).toMatchObject({ nb_conversions: 2, revenue: 17.5 });
    const [engineKeyword] = (find(engines, 'Google')?.subtable ?? []) as Row[];
    expect(engineKeyword).toMatchObject({ label: 'oauth' });
    expect(engineKeyword).not.toHaveProperty('goals');
    expect(find(await rows('Referrers.getKeywords', WEEK), 'oauth')).toMatchObject({ nb_conversions: 2 });

    const campaigns = await rows('Referrers.getCampaigns', `${WEEK}&expanded=1`);
    expect(find(campaigns, 'newsletter')).toMatchObject({
      goals: { 'idgoal=1': goal(1, 1, 5) },
      subtable: [{ label: 'email', goals: { 'idgoal=1': goal(1, 1, 5) }, nb_conversions: 1, revenue: 5 }],
    });

    const all = await rows('Referrers.getAll', WEEK);
    expect(find(all, 'oauth')).toMatchObject({ nb_conversions: 2, revenue: 17.5 });
    expect(find(all, 'newsletter')).toMatchObject({ nb_conversions: 1, revenue: 5 });
    expect(find(all, 'Twitter')).not.toHaveProperty('goals');
  });

  test('VisitTime.getVisitInformationPerServerTime: conversions by the hour of their own time', async () => {
    const tuesday = await rows('VisitTime.getVisitInformationPerServerTime', TUESDAY);
    expect(tuesday[10]).toMatchObject({
      label: '10',
      nb_visits: 1,
      goals: { 'idgoal=1': goal(1, 1, 5), 'idgoal=2': goal(1, 1, 12.5) },
      nb_conversions: 2,
      revenue: 17.5,
    });
    // a2's Tuesday conversion: no visit of Tuesday started at 23 (a2 counts on Wednesday).
    expect(tuesday[23]).toMatchObject({ nb_visits: 0, goals: { 'idgoal=2': goal(1, 1, 10) } });
    const wednesday = await rows('VisitTime.getVisitInformationPerServerTime', WEDNESDAY);
    expect(wednesday[0]).toMatchObject({ nb_visits: 0, goals: { 'idgoal=2': goal(1, 1, 10) } });
    expect(wednesday[23]).toMatchObject({ nb_visits: 1, nb_visits_converted: 1 });
    expect(wednesday[23]).not.toHaveProperty('goals');
    expect(wednesday[14]).toMatchObject({ nb_visits: 1, goals: { 'idgoal=1': goal(1, 1, 5) } });
  });
});
