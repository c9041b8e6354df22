import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AnalyticsMethodName } from './context';
import { analyticsMethods } from './index';

const { fixture } = useHandBuiltDataset();

async function failure(
  method: AnalyticsMethodName,
  query: string,
  options?: ContextOptions,
): Promise<unknown> {
  try {
    await analyticsMethods[method].run(fixture.context(query, options));
  } catch (error) {
    return error;
  }
  return undefined;
}

async function expectMatomoError(
  method: AnalyticsMethodName,
  query: string,
  options?: ContextOptions,
): Promise<void> {
  const error = await failure(method, query, options);
  expect(error, `${method} ${query}`).toBeInstanceOf(MatomoApiError);
  expect((error as MatomoApiError).status, `${method} ${query}`).toBe(200);
}

/** Every method that reads `period` and `date`: all but the live data, the annotations and the goal list. */
const PERIOD_METHODS = (Object.keys(analyticsMethods) as AnalyticsMethodName[]).filter(
  (name) => !/^(Live|Annotations)\./.test(name) && name !== 'Goals.getGoals',
);

const BAD_PERIODS_AND_DATES = [
  'date=today',
  'period=day',
  'period=quarter&date=today',
  'period=week&date=2026-13-45',
  'period=day&date=2026-02-32',
  'period=day&date=lastX',
  'period=day&date=next%20monday',
  'period=day&date=2026-11-25,',
  'period=day&date=Today',
  'period=range&date=2026-11-24,2026-11-20',
  'period=range&date=2026-11-24',
  'period=range&date=today',
  'period=day&date=1970-01-01',
];

describe('every bad input is a MatomoApiError with status 200', () => {
  test.each(PERIOD_METHODS)('%s: period and date', async (method) => {
    for (const query of BAD_PERIODS_AND_DATES) await expectMatomoError(method, query);
  });

  test.each([
    'Actions.getPageUrls',
    'Referrers.getReferrerType',
    'UserCountry.getCountry',
    'DevicesDetection.getType',
  ] as const)('%s: filter_limit and filter_offset', async (method) => {
    for (const query of [
      'filter_limit=abc',
      'filter_limit=-2',
      'filter_limit=1.5',
      'filter_limit=1e3',
      'filter_limit=99999999999999999999',
      'filter_offset=-1',
      'filter_offset=x',
    ]) {
      await expectMatomoError(method, `period=day&date=today&${query}`);
    }
  });

  test('idSubtable, expanded and flat', async () => {
    for (const query of [
      'idSubtable=0',
      'idSubtable=-1',
      'idSubtable=abc',
      'idSubtable=1.5',
      'expanded=2',
      'flat=true',
    ]) {
      await expectMatomoError('Actions.getPageUrls', `period=day&date=today&${query}`);
    }
    // getReferrerType's idSubtable picks a type or falls through to the whole report, as Matomo's switch.
    await expectMatomoError('Referrers.getReferrerType', 'period=day&date=today&expanded=yes');
  });

  test('Live parameters', async () => {
    for (const query of [
      'minTimestamp=-1',
      'minTimestamp=soon',
      'doNotFetchActions=2',
      'filter_limit=-3',
      'period=week',
      'date=last3',
      'period=week&date=2026-02-32',
    ]) {
      await expectMatomoError('Live.getLastVisitsDetails', query);
    }
  });

  test('a site id that does not exist', async () => {
    const methods = [
      ...PERIOD_METHODS,
      'Live.getLastVisitsDetails',
      'Annotations.getAll',
      'Goals.getGoals',
    ] as const;
    for (const method of methods) {
      await expectMatomoError(method, 'period=day&date=today', { ids: [99] });
    }
    await expectMatomoError('Annotations.add', 'date=2026-11-24&note=x', { ids: [99] });
  });

  test('methods that need exactly one site', async () => {
    await expectMatomoError('Referrers.getReferrerType', 'period=day&date=today', { ids: [1, 2] });
    await expectMatomoError('Live.getCounters', 'lastMinutes=10', { ids: [1, 2] });
    await expectMatomoError('Annotations.add', 'date=2026-11-24&note=x', { ids: [1, 2] });
    await expectMatomoError('Annotations.delete', 'idNote=0', { ids: [1, 2] });
  });
});

describe('property: random period and date never crash a report', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      'day',
      'week',
      'month',
      'year',
      'range',
      'today',
      'last7',
      'previous3',
      '2026-11-24,today',
    ),
    fc
      .tuple(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  );

  test('VisitsSummary.get and Actions.getPageUrls return a result or throw MatomoApiError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<AnalyticsMethodName>('VisitsSummary.get', 'Actions.getPageUrls'),
        text,
        text,
        fc.constantFrom([1], [2], [1, 2, 3]),
        async (method, period, date, ids) => {
          const query = new URLSearchParams({ period, date }).toString();
          const error = await failure(method, query, { ids: [...ids] });
          if (error !== undefined) expect(error).toBeInstanceOf(MatomoApiError);
        },
      ),
      { numRuns: 150 },
    );
  });
});
