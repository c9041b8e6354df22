import { describe, expectTypeOf, test } from 'vitest';
import type { components } from './generated/openapi';
import type { MatomoClient } from './matomo-client';
import { isPeriodMap, type PeriodMap, type SinglePeriod } from './results';

type S = components['schemas'];
declare const matomo: MatomoClient;
declare const date: string;

// Regression: a `date` computed at run time made the result the whole union, and `rows.map` stopped
// compiling with nothing to narrow it.
describe('isPeriodMap narrows a result of one site', () => {
  test('to the map keyed by period label, or to one period', async () => {
    const summary = await matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date });
    if (isPeriodMap(summary)) {
      expectTypeOf(summary).toEqualTypeOf<S['VisitsSummaryByPeriod']>();
    } else {
      expectTypeOf(summary).toExtend<S['VisitsSummaryOrEmpty'] | { [idSite: string]: unknown }>();
    }
    const pages = await matomo.call('Actions.getPageUrls', { idSite: 1, period: 'day', date });
    if (!isPeriodMap(pages) && Array.isArray(pages)) {
      expectTypeOf(pages.map((row) => row.label)).toEqualTypeOf<string[]>();
    }
  });

  test('PeriodMap and SinglePeriod pick the members of a union', () => {
    type R = S['VisitsSummaryResult'];
    expectTypeOf<PeriodMap<R>>().toEqualTypeOf<S['VisitsSummaryByPeriod']>();
    expectTypeOf<SinglePeriod<R>>().toEqualTypeOf<S['VisitsSummary'] | S['EmptyResult']>();
  });
});
