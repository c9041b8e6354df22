import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, test } from 'vitest';
import { expectShape, SHAPES } from '../../test/analytics/contract-keys';
import { useGoalsDataset } from '../../test/analytics/goals-dataset';
import { analyticsMethods } from './index';

type Visit = components['schemas']['Visit'];

// Expected values by hand from test/analytics/goals-dataset.ts and Matomo's Goals and Actions
// VisitorDetails: a `goal` entry per conversion, "Goal conversion", the subtitle with the revenue
// in the site's currency (EUR, the fixture's), sorted by time, then the page view's idlink_va
// (a conversion without a page first), then the type's name (`action` before `goal`).

const { fixture } = useGoalsDataset();

const seconds = (iso: string): number => Date.parse(iso) / 1000;

async function visitsOf(query: string): Promise<Visit[]> {
  return analyticsMethods['Live.getLastVisitsDetails'].run(fixture.context(query, { ids: [1] }));
}

const goal = (fields: Partial<components['schemas']['VisitAction']>) => ({
  type: 'goal',
  referrerType: 'direct',
  referrerName: '',
  referrerKeyword: '',
  icon: 'plugins/Morpheus/images/goal.png',
  iconSVG: 'plugins/Morpheus/images/goal.svg',
  title: 'Goal conversion',
  ...fields,
});

describe('Live.getLastVisitsDetails: goal conversions', () => {
  test('conversions are goal entries among the actions; the visit counts them and is converted', async () => {
    const visits = await visitsOf('period=day&date=2026-11-24');
    // s4: /pricing 15:00 (g1), download 15:00:30 (g3), download 15:00:40 (g3), /contact 15:01 (g2, 45).
    const s4 = visits.find((visit) => visit.lastActionDateTime === '2026-11-24 15:01:00');
    expect(s4).toMatchObject({
      goalConversions: 4,
      visitConverted: 1,
      visitConvertedIcon: 'plugins/Morpheus/images/goal.svg',
      visitorType: 'returning',
      visitorTypeIcon: 'plugins/Live/images/returningVisitor.png',
      visitEcommerceStatus: 'none',
      visitEcommerceStatusIcon: null,
      interactions: 2,
      searches: 0,
    });
    expect(s4?.actionDetails?.map((action) => action.type)).toEqual([
      'action',
      'goal',
      'goal',
      'download',
      'goal',
      'download',
      'action',
      'goal',
    ]);
    const goals = s4?.actionDetails?.filter((action) => action.type === 'goal');
    expect(goals).toEqual([
      // Pricing has no revenue: the subtitle is the name alone.
      goal({
        goalName: 'Pricing',
        goalId: 1,
        revenue: 0,
        url: 'https://shop.example/pricing',
        subtitle: 'Pricing',
        timestamp: seconds('2026-11-24T15:00:00Z'),
      }),
      // No converting page: the page viewed at the time.
      goal({
        goalName: 'Download',
        goalId: 3,
        revenue: 5,
        url: 'https://shop.example/pricing',
        subtitle: 'Download (€5 revenue)',
        timestamp: seconds('2026-11-24T15:00:30Z'),
      }),
      goal({
        goalName: 'Download',
        goalId: 3,
        revenue: 5,
        url: 'https://shop.example/pricing',
        subtitle: 'Download (€5 revenue)',
        timestamp: seconds('2026-11-24T15:00:40Z'),
      }),
      goal({
        goalName: 'Contact',
        goalId: 2,
        revenue: 45,
        url: 'https://shop.example/contact',
        subtitle: 'Contact (€45 revenue)',
        timestamp: seconds('2026-11-24T15:01:00Z'),
      }),
    ]);
    for (const visit of visits) {
      expectShape(visit, SHAPES.Visit);
      for (const action of visit.actionDetails ?? []) expectShape(action, SHAPES.VisitAction);
    }
  });

  test('a visit without conversions; doNotFetchActions still counts them', async () => {
    const visits = await visitsOf('period=day&date=2026-11-24&doNotFetchActions=1');
    const s3 = visits.find((visit) => visit.lastActionDateTime === '2026-11-24 14:01:00');
    expect(s3).toMatchObject({
      goalConversions: 0,
      visitConverted: 0,
      visitConvertedIcon: null,
      actionDetails: [],
    });
    const s4 = visits.find((visit) => visit.lastActionDateTime === '2026-11-24 15:01:00');
    expect(s4).toMatchObject({ goalConversions: 4, actionDetails: [] });
  });

  test('the visitConverted segment', async () => {
    const converted = await visitsOf('period=day&date=2026-11-24&segment=visitConverted==1');
    expect(converted.map((visit) => visit.visitConverted)).toEqual([1, 1]);
    const not = await visitsOf('period=day&date=2026-11-24&segment=visitConverted==0');
    expect(not.map((visit) => visit.lastActionDateTime)).toEqual(['2026-11-24 14:01:00']);
  });
});
