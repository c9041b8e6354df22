import { describe, expectTypeOf, test } from 'vitest';
import type { components } from './generated/openapi';
import type { MatomoResponse } from './matomo-call-types';
import type { MatomoClient } from './matomo-client';
import { isPeriodMap, type PeriodMap, type SinglePeriod } from './results';

type S = components['schemas'];
declare const matomo: MatomoClient;
declare const date: string;
declare const period: 'day' | 'week' | 'month';
declare const idSite: string;

// Regression (issue 12): a `date` computed at run time made the result the whole union, keyed by site
// id included, so the false branch of `isPeriodMap` kept the by-site map and `rows.map` did not compile.
describe('isPeriodMap narrows a result of one site', () => {
  test('table report: rows, or rows keyed by period label', async () => {
    const pages = await matomo.call('Actions.getPageUrls', { idSite: 1, period, date });
    if (isPeriodMap(pages)) {
      expectTypeOf(pages).toEqualTypeOf<S['PageUrlRowsByPeriod']>();
      expectTypeOf(Object.values(pages).map((rows) => rows.length)).toEqualTypeOf<number[]>();
    } else {
      expectTypeOf(pages).toEqualTypeOf<S['PageUrlRows']>();
      expectTypeOf(pages.map((row) => row.label)).toEqualTypeOf<string[]>();
    }
  });

  test('table report, with a literal site id as a string', async () => {
    const countries = await matomo.call('UserCountry.getCountry', { idSite: '3', period, date });
    if (isPeriodMap(countries)) {
      expectTypeOf(countries).toEqualTypeOf<S['CountryRowsByPeriod']>();
    } else {
      expectTypeOf(countries).toEqualTypeOf<S['CountryRows']>();
      expectTypeOf(countries.map((row) => row.label)).toEqualTypeOf<string[]>();
    }
  });

  test('summary: the record or [], or them keyed by period label', async () => {
    const summary = await matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date });
    if (isPeriodMap(summary)) {
      expectTypeOf(summary).toEqualTypeOf<S['VisitsSummaryByPeriod']>();
    } else {
      expectTypeOf(summary).toEqualTypeOf<S['VisitsSummaryOrEmpty']>();
    }
  });

  test('PeriodMap and SinglePeriod pick the members of a union', () => {
    type R = S['VisitsSummaryResult'];
    expectTypeOf<PeriodMap<R>>().toEqualTypeOf<S['VisitsSummaryByPeriod']>();
    expectTypeOf<SinglePeriod<R>>().toEqualTypeOf<S['VisitsSummary'] | S['EmptyResult']>();
  });
});

// One period of several sites has the shape of a period map, and a site id such as 2026 reads as a
// year: with an `idSite` computed at run time, neither branch may drop a member.
describe('isPeriodMap does not narrow a result that may be keyed by site id', () => {
  test('either branch keeps the whole union', async () => {
    const pages = await matomo.call('Actions.getPageUrls', { idSite, period: 'day', date });
    expectTypeOf(pages).toEqualTypeOf<MatomoResponse<'Actions.getPageUrls'>>();
    if (isPeriodMap(pages)) {
      expectTypeOf(pages).toEqualTypeOf<MatomoResponse<'Actions.getPageUrls'>>();
    } else {
      expectTypeOf(pages).toEqualTypeOf<MatomoResponse<'Actions.getPageUrls'>>();
    }
  });
});
