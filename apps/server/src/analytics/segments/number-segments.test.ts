import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, test } from 'vitest';
import { AnalyticsFixture } from '../../../test/analytics/analytics-fixture';
import { analyticsMethods } from '../index';

type Visit = components['schemas']['Visit'];

/**
 * The number segments, with the seconds since a visitor's previous and first visits, on six visits
 * of one UTC site in November 2026 (none converts, none has coordinates):
 *
 *   r1  A  1st visit  Mon  2 10:00:00 → 10:00:30   since last 0, since first 0 (a new visitor)
 *   r2  A  2nd visit  Mon  2 10:30:00.5            1800 s after r1's start, 1800 since the first
 *   r3  A  3rd visit  Thu  5 09:00:00              2 d 22 h 30 min = 253800 s after r2; 255600 since the first
 *   r4  A  4th visit  Thu 12 10:00:00              7 d 1 h = 608400 s after r3; 864000 (10 days) since the first
 *   n1  B  1st visit  Tue 10 08:00:00              0, 0
 *   u1  C  5th visit  Sun 15 08:00:00              its earlier visits are not in the log: unknown (NULL)
 *
 * Matomo's timestamps are whole seconds, so r2 is 1800 s after r1 (not 1800.5).
 */
const A = 'aaaaaaaaaaaaaaaa';
let ids: Record<'r1' | 'r2' | 'r3' | 'r4' | 'n1' | 'u1', number>;

const fixture = AnalyticsFixture.forTests(async (f) => {
  const site = await f.addSite('UTC', 'https://utc.example');
  const [r1, r2, r3, r4, n1, u1] = await f.record(
    {
      idsite: site,
      visitor: A,
      actions: [
        { at: '2026-11-02T10:00:00Z', page: '/' },
        { at: '2026-11-02T10:00:30Z', page: '/pricing' },
      ],
    },
    { idsite: site, visitor: A, visitCount: 2, actions: [{ at: '2026-11-02T10:30:00.500Z', page: '/' }] },
    { idsite: site, visitor: A, visitCount: 3, actions: [{ at: '2026-11-05T09:00:00Z', page: '/' }] },
    { idsite: site, visitor: A, visitCount: 4, actions: [{ at: '2026-11-12T10:00:00Z', page: '/' }] },
    { idsite: site, visitor: 'bbbbbbbbbbbbbbbb', actions: [{ at: '2026-11-10T08:00:00Z', page: '/' }] },
    {
      idsite: site,
      visitor: 'cccccccccccccccc',
      visitCount: 5,
      actions: [{ at: '2026-11-15T08:00:00Z', page: '/' }],
    },
  );
  ids = { r1: r1 ?? 0, r2: r2 ?? 0, r3: r3 ?? 0, r4: r4 ?? 0, n1: n1 ?? 0, u1: u1 ?? 0 };
});

async function visits(segment: string): Promise<number> {
  const query = `period=month&date=2026-11-25&segment=${encodeURIComponent(segment)}`;
  const result = await analyticsMethods['VisitsSummary.getVisits'].run(fixture.context(query));
  return (result as { value: number }).value;
}

async function expectCounts(cases: Record<string, number>): Promise<void> {
  for (const [segment, count] of Object.entries(cases)) expect(await visits(segment), segment).toBe(count);
}

describe('seconds since the previous and first visits', () => {
  test("the fixture stores Matomo's tracker values", async () => {
    const rows = await fixture.db
      .selectFrom('log_visit')
      .select(['idvisit', 'visitor_seconds_since_last', 'visitor_seconds_since_first'])
      .orderBy('idvisit')
      .execute();
    expect(rows.map((row) => [row.visitor_seconds_since_last, row.visitor_seconds_since_first])).toEqual([
      [0, 0],
      [1800, 1800],
      [253_800, 255_600],
      [608_400, 864_000],
      [0, 0],
      [null, null],
    ]);
  });

  test('daysSinceLastVisit is FLOOR(seconds / 86400); an unknown one matches only != and isEmpty', async () => {
    await expectCounts({
      'daysSinceLastVisit==0': 3,
      'daysSinceLastVisit==2': 1,
      'daysSinceLastVisit==7': 1,
      'daysSinceLastVisit>=2': 2,
      'daysSinceLastVisit<1': 3,
      // `!=0`: 0 is PHP-empty, so Matomo does not add `IS NULL`; `!=7` keeps u1.
      'daysSinceLastVisit!=0': 2,
      'daysSinceLastVisit!=7': 5,
      // Empty: NULL, '' or '0' (r1, n1 and u1).
      'secondsSinceLastVisit==': 3,
      'secondsSinceLastVisit==1800': 1,
      'secondsSinceLastVisit>1800': 2,
    });
  });

  test('daysSinceFirstVisit compares the seconds with (int) days * 86400, as Matomo does', async () => {
    await expectCounts({
      'daysSinceFirstVisit==10': 1,
      // r3 is 2.96 days after the first visit: 255600 s is not 172800.
      'daysSinceFirstVisit==2': 0,
      'daysSinceFirstVisit<3': 4,
      'daysSinceFirstVisit==10.9': 1,
      'daysSinceFirstVisit==10abc': 1,
      'daysSinceFirstVisit>=abc': 5,
      'secondsSinceFirstVisit>1800': 2,
      'secondsSinceFirstVisit==864000': 1,
    });
  });

  test("Live shows the days and seconds in Matomo's places; unknown seconds are null, their days 0", async () => {
    const query = 'period=month&date=2026-11-25&filter_limit=-1';
    const details = (await analyticsMethods['Live.getLastVisitsDetails'].run(
      fixture.context(query),
    )) as Visit[];
    const byId = (id: number) => details.find((visit) => visit.idVisit === id) as Record<string, unknown>;
    expect(byId(ids.r3)).toMatchObject({
      daysSinceFirstVisit: 2,
      secondsSinceFirstVisit: 255_600,
      daysSinceLastVisit: 2,
      secondsSinceLastVisit: 253_800,
    });
    expect(byId(ids.u1)).toMatchObject({
      daysSinceFirstVisit: 0,
      secondsSinceFirstVisit: null,
      daysSinceLastVisit: 0,
      secondsSinceLastVisit: null,
    });
    const keys = Object.keys(byId(ids.r1));
    const next = (key: string) => keys[keys.indexOf(key) + 1];
    expect([
      next('visitEcommerceStatusIcon'),
      next('daysSinceFirstVisit'),
      next('secondsSinceFirstVisit'),
    ]).toEqual(['daysSinceFirstVisit', 'secondsSinceFirstVisit', 'visitDuration']);
    expect([next('visitLocalHour'), next('daysSinceLastVisit'), next('secondsSinceLastVisit')]).toEqual([
      'daysSinceLastVisit',
      'secondsSinceLastVisit',
      'resolution',
    ]);
  });
});

describe('number segments read the value as MySQL does', () => {
  test('a value that is no number is its leading number, or 0: `visitCount>=abc` keeps every visit', async () => {
    await expectCounts({
      'visitCount>=abc': 6,
      'visitCount==abc': 0,
      'visitCount!=abc': 6,
      'visitCount<2abc': 2,
      'visitCount==4.0': 1,
      'visitDuration>=abc': 6,
      'visitDuration>abc': 1,
      'actions>abc': 6,
      'actions==2x': 1,
      'visitId>=abc': 6,
      'visitConverted<=abc': 6,
      'visitServerHour>=abc': 6,
    });
  });

  test('contains, starts and ends with match the digits against the text as written', async () => {
    await expectCounts({
      // r1 lasts 30 s: `%abc%` matches no duration, though `abc` compares as 0.
      'visitDuration=@abc': 0,
      'visitDuration=@3': 1,
      'visitDuration=^3': 1,
      'visitDuration=$0': 6,
      'visitDuration!@abc': 6,
      // The last actions' hours are 10 (r1, r2, r4), 9 (r3) and 8 (n1, u1).
      'visitServerHour=@abc': 0,
      'visitServerHour=@0': 3,
    });
  });

  test('`!=` with a value that is not PHP-empty also keeps visits without the value (NULL)', async () => {
    // No visit has coordinates: `latitude!=abc` is `IS NULL OR latitude <> 0` in Matomo.
    await expectCounts({ 'latitude!=abc': 6, 'latitude!=0': 0, 'longitude==abc': 0 });
  });
});
