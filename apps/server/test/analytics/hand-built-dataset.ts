import { AnalyticsFixture } from './analytics-fixture';

/**
 * A few visits at known instants, whose report numbers the tests write out by hand.
 * "Now" is Wednesday 2026-11-25 12:00 UTC; that week runs from Monday 23 to Sunday 29.
 *
 * Site 1, UTC (https://utc.example):
 *   v1  A  Mon 23 10:00:00 /  10:00:30 /pricing  10:01:30 download      7 actions, 90 s   search Google "matomo"  de Desktop
 *   v2  A  Tue 24 09:00:00 /blog/2026/post-a                            bounce            direct                  de Desktop (2nd visit)
 *   v3  B  Tue 24 23:30:00 /blog/  23:30:20 /blog/2026/post-a  23:31:00 search "oauth"
 *                                                                       3 actions, 60 s   social Twitter          fr Smartphone
 *   v4  C  Wed 25 08:00:00 /pricing                                     bounce            campaign newsletter     us Tablet
 *   v5  C  Sun  1 12:00:00 /  12:05:00 outlink                          3 actions, 300 s  website github.com      us Tablet
 *   v6  D  2025-12-31 23:59:00 /                                        bounce            direct                  gb Desktop
 *
 *   Events (between actions, each an action of its visit, as in Matomo: v1's 7 are 3 + 4 events,
 *   v5's 3 are 2 + 1): v1 10:00:10 Videos/Play/intro, 10:00:20 Videos/Play (no name) 12.5,
 *   10:00:40 Videos/Pause/intro 35, 10:00:50 Downloads/Click/pricing.pdf; v5 12:01:00 Videos/Play/intro 20.
 *
 *   Resolution and visitor's local time: v1 1920x1080 11:00:00, v2 1920x1080 10:00:00,
 *   v3 390x844 00:30:00, v4 810x1080 03:00:00, v5 810x1080 07:00:00; v6 and the other sites'
 *   visits have the defaults (`unknown`, no local time).
 *
 *   Browser language, city and region: v1 `de-de,de` Berlin (BE), v2 `de` Berlin (BE), v3 `fr-fr,fr`
 *   Paris (IDF), v4 and v5 `en-us,en` New York (NY); v6 and the other sites' visits have the
 *   defaults (`xx`, no city, no region).
 *
 * Site 2, Africa/Johannesburg, UTC+2 all year (https://plus2.example/):
 *   w1  E  Tue 24 23:30 UTC (Wed 25 01:30 local) /                      bounce
 *   w2  F  Tue 24 21:00 UTC (Tue 24 23:00 local) /                      bounce
 *   w3  E  Wed 25 10:00 UTC /  10:10 /blog/                             2 actions, 600 s
 *
 * Site 3, Europe/Berlin, around the 2026 DST changes (https://berlin.example):
 *   b1  2026-03-28 22:30 UTC (23:30 CET, Sat 28)      b2  2026-03-28 23:30 UTC (00:30 CET, Sun 29)
 *   b3  2026-03-29 21:30 UTC (23:30 CEST, Sun 29)     b4  2026-03-29 22:30 UTC (00:30 CEST, Mon 30)
 *   b5  2026-10-24 22:30 UTC (00:30 CEST, Sun 25)     b6  2026-10-25 22:30 UTC (23:30 CET, Sun 25)
 *   b7  2026-10-25 23:30 UTC (00:30 CET, Mon 26)
 */
export async function buildHandBuiltDataset(fixture: AnalyticsFixture): Promise<HandBuiltDataset> {
  const utc = await fixture.addSite('UTC', 'https://utc.example');
  const plus2 = await fixture.addSite('Africa/Johannesburg', 'https://plus2.example/');
  const berlin = await fixture.addSite('Europe/Berlin', 'https://berlin.example');
  const A = 'aaaaaaaaaaaaaaaa';
  const B = 'bbbbbbbbbbbbbbbb';
  const C = 'cccccccccccccccc';
  const D = 'dddddddddddddddd';
  const E = 'eeeeeeeeeeeeeeee';
  const F = 'ffffffffffffffff';
  const [v1, v2, v3, v4, v5, v6] = await fixture.record(
    {
      idsite: utc,
      visitor: A,
      referrer: { type: 'search', name: 'Google', keyword: 'matomo', url: 'https://www.google.com/' },
      country: 'de',
      device: 'Desktop',
      browser: 'Firefox',
      os: 'GNU/Linux',
      resolution: '1920x1080',
      localTime: '11:00:00',
      language: 'de-de,de',
      city: 'Berlin',
      region: 'BE',
      actions: [
        { at: '2026-11-23T10:00:00Z', page: '/', title: 'Home' },
        { at: '2026-11-23T10:00:30Z', page: '/pricing', title: 'Pricing' },
        { at: '2026-11-23T10:01:30Z', download: 'https://utc.example/files/guide.pdf' },
      ],
      events: [
        { at: '2026-11-23T10:00:10Z', category: 'Videos', action: 'Play', name: 'intro' },
        { at: '2026-11-23T10:00:20Z', category: 'Videos', action: 'Play', value: 12.5 },
        { at: '2026-11-23T10:00:40Z', category: 'Videos', action: 'Pause', name: 'intro', value: 35 },
        { at: '2026-11-23T10:00:50Z', category: 'Downloads', action: 'Click', name: 'pricing.pdf' },
      ],
    },
    {
      idsite: utc,
      visitor: A,
      visitCount: 2,
      country: 'de',
      device: 'Desktop',
      resolution: '1920x1080',
      localTime: '10:00:00',
      language: 'de',
      city: 'Berlin',
      region: 'BE',
      actions: [{ at: '2026-11-24T09:00:00Z', page: '/blog/2026/post-a', title: 'Post A' }],
    },
    {
      idsite: utc,
      visitor: B,
      referrer: { type: 'social', name: 'Twitter', url: 'https://t.co/' },
      country: 'fr',
      device: 'Smartphone',
      browser: 'Chrome Mobile',
      os: 'Android',
      resolution: '390x844',
      localTime: '00:30:00',
      language: 'fr-fr,fr',
      city: 'Paris',
      region: 'IDF',
      actions: [
        { at: '2026-11-24T23:30:00Z', page: '/blog/', title: 'Blog' },
        { at: '2026-11-24T23:30:20Z', page: '/blog/2026/post-a', title: 'Post A' },
        { at: '2026-11-24T23:31:00Z', search: 'oauth' },
      ],
    },
    {
      idsite: utc,
      visitor: C,
      referrer: { type: 'campaign', name: 'newsletter', keyword: 'email' },
      country: 'us',
      device: 'Tablet',
      resolution: '810x1080',
      localTime: '03:00:00',
      language: 'en-us,en',
      city: 'New York',
      region: 'NY',
      actions: [{ at: '2026-11-25T08:00:00Z', page: '/pricing', title: 'Pricing' }],
    },
    {
      idsite: utc,
      visitor: C,
      referrer: { type: 'website', name: 'github.com', url: 'https://github.com/matomo-org' },
      country: 'us',
      device: 'Tablet',
      resolution: '810x1080',
      localTime: '07:00:00',
      language: 'en-us,en',
      city: 'New York',
      region: 'NY',
      actions: [
        { at: '2026-11-01T12:00:00Z', page: '/', title: 'Home' },
        { at: '2026-11-01T12:05:00Z', outlink: 'https://github.com/matomo-org/matomo' },
      ],
      events: [{ at: '2026-11-01T12:01:00Z', category: 'Videos', action: 'Play', name: 'intro', value: 20 }],
    },
    {
      idsite: utc,
      visitor: D,
      country: 'gb',
      actions: [{ at: '2025-12-31T23:59:00Z', page: '/', title: 'Home' }],
    },
  );
  const [w1, w2, w3] = await fixture.record(
    { idsite: plus2, visitor: E, country: 'za', actions: [{ at: '2026-11-24T23:30:00Z', page: '/' }] },
    { idsite: plus2, visitor: F, country: 'za', actions: [{ at: '2026-11-24T21:00:00Z', page: '/' }] },
    {
      idsite: plus2,
      visitor: E,
      visitCount: 2,
      country: 'za',
      actions: [
        { at: '2026-11-25T10:00:00Z', page: '/' },
        { at: '2026-11-25T10:10:00Z', page: '/blog/' },
      ],
    },
  );
  const berlinVisits = await fixture.record(
    ...[
      '2026-03-28T22:30:00Z',
      '2026-03-28T23:30:00Z',
      '2026-03-29T21:30:00Z',
      '2026-03-29T22:30:00Z',
      '2026-10-24T22:30:00Z',
      '2026-10-25T22:30:00Z',
      '2026-10-25T23:30:00Z',
    ].map((at, index) => ({
      idsite: berlin,
      visitor: `${index}`.repeat(16),
      country: 'de',
      actions: [{ at, page: '/' }],
    })),
  );
  return { sites: { utc, plus2, berlin }, visits: { v1, v2, v3, v4, v5, v6, w1, w2, w3 }, berlinVisits };
}

export interface HandBuiltDataset {
  sites: { utc: number; plus2: number; berlin: number };
  visits: Record<'v1' | 'v2' | 'v3' | 'v4' | 'v5' | 'v6' | 'w1' | 'w2' | 'w3', number | undefined>;
  berlinVisits: number[];
}

/**
 * The hand-built dataset for the tests of one file, in a fresh database: built before them,
 * removed after. `dataset()` gives the ids of its visits once the tests run.
 */
export function useHandBuiltDataset(): { fixture: AnalyticsFixture; dataset: () => HandBuiltDataset } {
  let built: HandBuiltDataset | undefined;
  const fixture = AnalyticsFixture.forTests(async (created) => {
    built = await buildHandBuiltDataset(created);
  });
  return {
    fixture,
    dataset() {
      if (!built) throw new Error('the dataset is built before the tests run');
      return built;
    },
  };
}
