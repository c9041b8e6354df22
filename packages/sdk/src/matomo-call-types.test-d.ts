import { describe, expectTypeOf, test } from 'vitest';
import type { components } from './generated/openapi';
import type {
  ExactParams,
  MatomoMethod,
  MatomoParams,
  MatomoResponse,
  MatomoResult,
} from './matomo-call-types';
import type { MatomoClient } from './matomo-client';

type S = components['schemas'];
declare const matomo: MatomoClient;

describe('MatomoMethod', () => {
  test('lists the API methods and nothing else', () => {
    expectTypeOf<'VisitsSummary.get'>().toExtend<MatomoMethod>();
    expectTypeOf<'OAuth2.createClient'>().toExtend<MatomoMethod>();
    expectTypeOf<'oauth2/token'>().not.toExtend<MatomoMethod>();
    expectTypeOf<'VisitsSummary.get.query'>().not.toExtend<MatomoMethod>();
  });
});

describe('parameters', () => {
  test('are the POST form body without format', () => {
    expectTypeOf<MatomoParams<'VisitsSummary.get'>['period']>().toEqualTypeOf<S['Period']>();
    expectTypeOf<MatomoParams<'VisitsSummary.get'>>().not.toHaveProperty('format');
  });

  test('required ones are required, unknown ones and format are rejected', () => {
    // @ts-expect-error: period is missing
    void matomo.call('VisitsSummary.get', { idSite: 1, date: 'today' });
    // @ts-expect-error: no such parameter
    void matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today', perod: 'day' });
    // @ts-expect-error: the client always asks for JSON
    void matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today', format: 'json' });
    // @ts-expect-error: not a period
    void matomo.call('VisitsSummary.get', { idSite: 1, period: 'fortnight', date: 'today' });
    // @ts-expect-error: the parameters are required
    void matomo.call('VisitsSummary.get');
  });

  test('are optional when the method needs none, and lists accept arrays', () => {
    expectTypeOf(matomo.call('API.getMatomoVersion')).resolves.toEqualTypeOf<S['StringValue']>();
    void matomo.call('OAuth2.createClient', {
      name: 'export',
      grantTypes: ['client_credentials'],
      scope: 'matomo:read',
      type: 'confidential',
      passwordConfirmation: 'secret',
    });
  });
});

// Regression: an unknown name was intersected with `never`, which reduced the whole object to `never`:
// every parameter was "not assignable to type 'never'" and the misspelt one was not named.
describe('a misspelt parameter', () => {
  test('keeps the other parameters and maps the unknown one to a message naming it', () => {
    expectTypeOf<
      ExactParams<{ idSite: 1; idSit: 2 }, MatomoParams<'VisitsSummary.get'>, 'VisitsSummary.get'>
    >().toEqualTypeOf<{ idSite: 1; idSit: "'idSit' is not a parameter of VisitsSummary.get" }>();
  });
});

describe('results are narrowed by idSite, period and date', () => {
  test('one site, one period: the record, or [] for a period without data', () => {
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today' }),
    ).resolves.toEqualTypeOf<S['VisitsSummary'] | S['EmptyResult']>();
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: '3', period: 'month', date: '2026-11-01' }),
    ).resolves.toEqualTypeOf<S['VisitsSummaryOrEmpty']>();
  });

  test('several periods (lastN, previousN, a date range): keyed by period label', () => {
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'last7' }),
    ).resolves.toEqualTypeOf<S['VisitsSummaryByPeriod']>();
    expectTypeOf<
      MatomoResult<'VisitsSummary.get', { idSite: 1; period: 'week'; date: '2026-01-01,2026-01-31' }>
    >().toEqualTypeOf<S['VisitsSummaryByPeriod']>();
    expectTypeOf<
      MatomoResult<'VisitsSummary.get', { idSite: 1; period: 'day'; date: 'previous3' }>
    >().toEqualTypeOf<S['VisitsSummaryByPeriod']>();
  });

  test('period=range is never several periods; lastWeek is one period', () => {
    expectTypeOf<
      MatomoResult<'VisitsSummary.get', { idSite: 1; period: 'range'; date: 'last7' }>
    >().toEqualTypeOf<S['VisitsSummaryOrEmpty']>();
    expectTypeOf<
      MatomoResult<'VisitsSummary.get', { idSite: 1; period: 'day'; date: 'lastWeek' }>
    >().toEqualTypeOf<S['VisitsSummaryOrEmpty']>();
  });

  test("several sites ('1,2', 'all'): keyed by site id, then by period when both", () => {
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: '1,2', period: 'day', date: 'today' }),
    ).resolves.toEqualTypeOf<{
      [idSite: string]: S['VisitsSummaryOrEmpty'];
    }>();
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: 'all', period: 'day', date: 'last7' }),
    ).resolves.toEqualTypeOf<{
      [idSite: string]: S['VisitsSummaryByPeriod'];
    }>();
  });

  test('scalars: {value} alone, plain numbers in maps', () => {
    expectTypeOf<
      MatomoResult<'VisitsSummary.getVisits', { idSite: 1; period: 'day'; date: 'today' }>
    >().toEqualTypeOf<S['IntegerValue']>();
    expectTypeOf<
      MatomoResult<'VisitsSummary.getVisits', { idSite: 1; period: 'day'; date: 'last3' }>
    >().toEqualTypeOf<S['IntegerByPeriod']>();
    expectTypeOf<
      MatomoResult<'VisitsSummary.getVisits', { idSite: '1,2'; period: 'day'; date: 'today' }>
    >().toEqualTypeOf<{
      [idSite: string]: number;
    }>();
  });

  test('reports are rows, or rows by period', () => {
    expectTypeOf(
      matomo.call('Actions.getPageUrls', { idSite: 1, period: 'day', date: 'today', expanded: 1 }),
    ).resolves.toEqualTypeOf<S['PageUrlRows']>();
    // expectTypeOf trips over the intersections inside these rows; the classic identity check instead
    type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
    type Countries = MatomoResult<'UserCountry.getCountry', { idSite: 1; period: 'day'; date: 'last2' }>;
    expectTypeOf<Same<Countries, S['CountryRowsByPeriod']>>().toEqualTypeOf<true>();
    type Sites = MatomoResult<'UserCountry.getCountry', { idSite: 'all'; period: 'day'; date: 'today' }>;
    expectTypeOf<Same<Sites, { [idSite: string]: S['CountryRows'] }>>().toEqualTypeOf<true>();
    // with or without idSubtable, the referrer report keeps both row shapes
    type Referrers = MatomoResult<'Referrers.getReferrerType', { idSite: 1; period: 'day'; date: 'last2' }>;
    expectTypeOf<
      Same<Referrers, S['ReferrerTypeRowsByPeriod'] | S['VisitMetricsRowsByPeriod']>
    >().toEqualTypeOf<true>();
  });

  test('when the literal types do not tell, the whole union without the Matomo error', () => {
    const params: MatomoParams<'VisitsSummary.get'> = { idSite: 1, period: 'day', date: 'today' };
    // `params.columns` may be there: the shapes of `columns` too
    type Whole = S['VisitsSummaryResult'] | S['VisitsSummaryColumnsResult'];
    expectTypeOf(matomo.call('VisitsSummary.get', params)).resolves.toEqualTypeOf<Whole>();
    expectTypeOf<MatomoResponse<'VisitsSummary.get'>>().toEqualTypeOf<Whole>();
    expectTypeOf<MatomoResponse<'Annotations.getAll'>>().toEqualTypeOf<S['AnnotationsBySite']>();
  });

  test('methods whose result does not depend on the period keep their type', () => {
    expectTypeOf(matomo.call('Live.getLastVisitsDetails', { idSite: 1 })).resolves.toEqualTypeOf<
      S['Visits']
    >();
    expectTypeOf(matomo.call('Annotations.getAll', { idSite: 1 })).resolves.toEqualTypeOf<
      S['AnnotationsBySite']
    >();
    expectTypeOf(matomo.call('SitesManager.getSitesWithAtLeastViewAccess')).resolves.toEqualTypeOf<
      S['Sites']
    >();
  });
});

describe('`columns` on VisitsSummary.get and VisitFrequency.get', () => {
  test('without it (or empty, or 0: every column) the result is the full record, as before', () => {
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today', columns: '' }),
    ).resolves.toEqualTypeOf<S['VisitsSummaryOrEmpty']>();
    expectTypeOf<
      MatomoResult<'VisitsSummary.get', { idSite: 1; period: 'day'; date: 'last30'; columns: '0' }>
    >().toEqualTypeOf<S['VisitsSummaryByPeriod']>();
    expectTypeOf(
      matomo.call('VisitFrequency.get', { idSite: 1, period: 'day', date: 'today' }),
    ).resolves.toEqualTypeOf<S['VisitFrequencyOrEmpty']>();
    expectTypeOf<
      MatomoResult<'VisitsSummary.get', { idSite: 1; period: 'day'; date: 'today' }>
    >().not.toExtend<{
      value: unknown;
    }>();
  });

  test('one column: its value alone, keyed by period label, by site id', () => {
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today', columns: 'nb_visits' }),
    ).resolves.toEqualTypeOf<{ value: number }>();
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'last30', columns: 'nb_visits' }),
    ).resolves.toEqualTypeOf<{ [date: string]: number | S['EmptyResult'] }>();
    expectTypeOf<
      MatomoResult<
        'VisitsSummary.get',
        { idSite: '1,2'; period: 'day'; date: 'today'; columns: 'bounce_rate' }
      >
    >().toEqualTypeOf<{ [idSite: string]: S['VisitsSummary']['bounce_rate'] }>();
    // unique visitors may be missing (years, ranges): then `[]`
    expectTypeOf<
      MatomoResult<
        'VisitsSummary.get',
        { idSite: 1; period: 'year'; date: 'today'; columns: 'nb_uniq_visitors' }
      >
    >().toEqualTypeOf<{ value: number } | S['EmptyResult']>();
    expectTypeOf<
      MatomoResult<
        'VisitFrequency.get',
        { idSite: 1; period: 'day'; date: 'today'; columns: 'nb_visits_new' }
      >
    >().toEqualTypeOf<{ value: number } | S['EmptyResult']>();
  });

  test('several columns (or a name the record lacks): the partial record, narrowed as usual', () => {
    expectTypeOf(
      matomo.call('VisitsSummary.get', {
        idSite: 1,
        period: 'day',
        date: 'today',
        columns: 'nb_visits,bounce_rate',
      }),
    ).resolves.toEqualTypeOf<S['VisitsSummaryColumns'] | S['RecordValueSingle'] | S['EmptyResult']>();
    expectTypeOf<
      MatomoResult<
        'VisitsSummary.get',
        { idSite: 1; period: 'day'; date: 'last7'; columns: 'nb_visits,nb_actions' }
      >
    >().toEqualTypeOf<S['VisitsSummaryColumnsByPeriod']>();
    expectTypeOf<
      MatomoResult<
        'VisitFrequency.get',
        { idSite: 'all'; period: 'day'; date: 'today'; columns: 'nb_visits' }
      >
    >().toEqualTypeOf<{ [idSite: string]: S['VisitFrequencyColumnsOrValue'] }>();
  });

  test('a columns string the types do not tell: both unions', () => {
    const columns: string = 'nb_visits';
    expectTypeOf(
      matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today', columns }),
    ).resolves.toEqualTypeOf<S['VisitsSummaryColumns'] | S['RecordValueSingle'] | S['EmptyResult']>();
    expectTypeOf<MatomoResult<'VisitsSummary.get', MatomoParams<'VisitsSummary.get'>>>().toEqualTypeOf<
      S['VisitsSummaryResult'] | S['VisitsSummaryColumnsResult']
    >();
  });
});
