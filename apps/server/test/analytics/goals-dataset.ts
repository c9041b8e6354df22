import { AnalyticsFixture } from './analytics-fixture';

/**
 * Goals and conversions at known instants, for the Goals, VisitsSummary, VisitFrequency and
 * MultiSites tests. "Now" is the fixture's Wednesday 2026-11-25 12:00 UTC. Visitors are new
 * unless marked (ret).
 *
 * Site 1, UTC, ecommerce (https://shop.example); goals: 1 "Pricing" (url contains /pricing),
 * 2 "Contact" (url contains /contact, revenue 30), 3 "Download" (file contains /files/,
 * revenue 5, several per visit), 4 "Manual" (manually), 5 "Old" (deleted).
 *   s1  A        Mon 23 10:00 /  10:01 /pricing  10:02 /contact       g1 10:01, g2 10:02 (30)
 *   s2  B  fr    Tue 24 09:00 /pricing                                g1 09:00
 *   s3  A  ret   Tue 24 14:00 /  14:01 /docs                          none
 *   s4  C  ret   Tue 24 15:00 /pricing  15:00:30 download  15:00:40 download  15:01 /contact
 *                                                                     g1, g3 ×2 (5 each), g2 (45)
 *   s5  D        Wed 25 08:00 /                                       none
 *   s6  E        Tue 24 23:59 /pricing  Wed 25 00:00:30 /about        g1 Tue 23:59 (the visit
 *                counts on Wednesday, its last action; the conversion on Tuesday, its own time)
 *
 * Site 2, UTC (https://blog.example); goal 1 "Newsletter" (url regex `newsletter`, revenue 2.5).
 *   t1  F        Tue 24 12:00 /newsletter                             g1 (2.5)
 *
 * Site 3, UTC (https://empty.example): no visits, no goals.
 */
export async function buildGoalsDataset(fixture: AnalyticsFixture): Promise<void> {
  const shop = await fixture.addSite('UTC', 'https://shop.example');
  const blog = await fixture.addSite('UTC', 'https://blog.example');
  await fixture.addSite('UTC', 'https://empty.example');
  await fixture.db.updateTable('sites').set({ ecommerce: 1 }).where('idsite', '=', shop).execute();

  await fixture.addGoal(shop, { name: 'Pricing', pattern: '/pricing' });
  await fixture.addGoal(shop, { name: 'Contact', pattern: '/contact', revenue: 30, description: 'A lead' });
  await fixture.addGoal(shop, {
    name: 'Download',
    matchAttribute: 'file',
    pattern: '/files/',
    revenue: 5,
    allowMultiple: true,
  });
  await fixture.addGoal(shop, { name: 'Manual', matchAttribute: 'manually' });
  const old = await fixture.addGoal(shop, { name: 'Old', pattern: '/old' });
  await fixture.db
    .updateTable('goals')
    .set({ deleted: 1 })
    .where('idsite', '=', shop)
    .where('idgoal', '=', old)
    .execute();
  await fixture.addGoal(blog, {
    name: 'Newsletter',
    pattern: 'newsletter',
    patternType: 'regex',
    revenue: 2.5,
    caseSensitive: true,
  });

  const A = 'aaaaaaaaaaaaaaaa';
  const B = 'bbbbbbbbbbbbbbbb';
  const C = 'cccccccccccccccc';
  const D = 'dddddddddddddddd';
  const E = 'eeeeeeeeeeeeeeee';
  const F = 'ffffffffffffffff';
  await fixture.record(
    {
      idsite: shop,
      visitor: A,
      actions: [
        { at: '2026-11-23T10:00:00Z', page: '/' },
        { at: '2026-11-23T10:01:00Z', page: '/pricing' },
        { at: '2026-11-23T10:02:00Z', page: '/contact' },
      ],
      conversions: [
        { goal: 1, at: '2026-11-23T10:01:00Z', page: '/pricing' },
        { goal: 2, at: '2026-11-23T10:02:00Z', page: '/contact' },
      ],
    },
    {
      idsite: shop,
      visitor: B,
      country: 'fr',
      actions: [{ at: '2026-11-24T09:00:00Z', page: '/pricing' }],
      conversions: [{ goal: 1, at: '2026-11-24T09:00:00Z', page: '/pricing' }],
    },
    {
      idsite: shop,
      visitor: A,
      visitCount: 2,
      actions: [
        { at: '2026-11-24T14:00:00Z', page: '/' },
        { at: '2026-11-24T14:01:00Z', page: '/docs' },
      ],
    },
    {
      idsite: shop,
      visitor: C,
      visitCount: 3,
      actions: [
        { at: '2026-11-24T15:00:00Z', page: '/pricing' },
        { at: '2026-11-24T15:00:30Z', download: 'https://shop.example/files/a.pdf' },
        { at: '2026-11-24T15:00:40Z', download: 'https://shop.example/files/b.pdf' },
        { at: '2026-11-24T15:01:00Z', page: '/contact' },
      ],
      conversions: [
        { goal: 1, at: '2026-11-24T15:00:00Z', page: '/pricing' },
        { goal: 3, at: '2026-11-24T15:00:30Z' },
        { goal: 3, at: '2026-11-24T15:00:40Z' },
        { goal: 2, at: '2026-11-24T15:01:00Z', page: '/contact', revenue: 45 },
      ],
    },
    {
      idsite: shop,
      visitor: D,
      actions: [{ at: '2026-11-25T08:00:00Z', page: '/' }],
    },
    {
      idsite: shop,
      visitor: E,
      actions: [
        { at: '2026-11-24T23:59:00Z', page: '/pricing' },
        { at: '2026-11-25T00:00:30Z', page: '/about' },
      ],
      conversions: [{ goal: 1, at: '2026-11-24T23:59:00Z', page: '/pricing' }],
    },
    {
      idsite: blog,
      visitor: F,
      actions: [{ at: '2026-11-24T12:00:00Z', page: '/newsletter' }],
      conversions: [{ goal: 1, at: '2026-11-24T12:00:00Z', page: '/newsletter' }],
    },
  );
}

/** A fixture with the goals dataset, for the tests of one file. */
export function useGoalsDataset(): { fixture: AnalyticsFixture } {
  return { fixture: AnalyticsFixture.forTests(buildGoalsDataset) };
}
