import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MatomoApiError } from '../errors/matomo-api-error';
import { dayNumber, formatDay, parseDay } from './calendar';
import { boundsOf, MAX_PERIODS, type PeriodSelection, selectPeriods } from './periods';
import { localDayOf, startOfLocalDay } from './timezone';

// Wednesday 25 November 2026.
const TODAY = dayNumber(2026, 11, 25);

function labels(period: string, date: string, today = TODAY): string[] {
  return selectPeriods(period, date, today).periods.map((p) => p.label);
}

function expectMatomoError(run: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(MatomoApiError);
  expect((thrown as MatomoApiError).status).toBe(200);
  expect((thrown as MatomoApiError).message).toMatch(message);
}

describe('one period', () => {
  test.each([
    ['day', '2026-11-25', '2026-11-25'],
    ['day', 'today', '2026-11-25'],
    ['day', 'yesterday', '2026-11-24'],
    ['week', '2026-11-25', '2026-11-23,2026-11-29'],
    ['week', '2026-11-23', '2026-11-23,2026-11-29'],
    ['week', '2026-11-29', '2026-11-23,2026-11-29'],
    ['week', '2027-01-01', '2026-12-28,2027-01-03'],
    ['month', '2026-11-25', '2026-11'],
    ['month', '2024-02-29', '2024-02'],
    ['year', '2026-11-25', '2026'],
    ['day', 'lastWeek', '2026-11-18'],
    ['week', 'lastWeek', '2026-11-16,2026-11-22'],
    ['month', 'lastMonth', '2026-10'],
    ['year', 'lastYear', '2025'],
  ])('period=%s&date=%s is %s', (period, date, label) => {
    const selection = selectPeriods(period, date, TODAY);
    expect(selection.multiple).toBe(false);
    expect(selection.periods.map((p) => p.label)).toEqual([label]);
  });

  test('lastMonth and lastYear clamp to the end of a shorter month', () => {
    expect(labels('day', 'lastMonth', dayNumber(2026, 3, 31))).toEqual(['2026-02-28']);
    expect(labels('day', 'lastYear', dayNumber(2028, 2, 29))).toEqual(['2027-02-28']);
  });

  test('a month and a year cover every day, leap days included', () => {
    const [february] = selectPeriods('month', '2024-02-10', TODAY).periods;
    expect(february && [formatDay(february.first), formatDay(february.last)]).toEqual([
      '2024-02-01',
      '2024-02-29',
    ]);
    const [year] = selectPeriods('year', '2024-06-01', TODAY).periods;
    expect(year && year.last - year.first + 1).toBe(366);
  });
});

describe('several periods', () => {
  test('lastN days ends today; previousN ends yesterday', () => {
    expect(labels('day', 'last3')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
    expect(labels('day', 'previous2')).toEqual(['2026-11-23', '2026-11-24']);
    expect(selectPeriods('day', 'last1', TODAY).multiple).toBe(true);
  });

  test('lastN weeks, months and years end with the current one; previousN with the one before', () => {
    expect(labels('week', 'last2')).toEqual(['2026-11-16,2026-11-22', '2026-11-23,2026-11-29']);
    expect(labels('week', 'previous1')).toEqual(['2026-11-16,2026-11-22']);
    expect(labels('month', 'last3')).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(labels('month', 'previous2')).toEqual(['2026-09', '2026-10']);
    expect(labels('year', 'last2')).toEqual(['2025', '2026']);
    expect(labels('year', 'previous1')).toEqual(['2025']);
  });

  test('previousN months from the 31st goes back whole months', () => {
    expect(labels('month', 'previous1', dayNumber(2026, 3, 31))).toEqual(['2026-02']);
  });

  test('a range lists every period that touches it', () => {
    expect(labels('day', '2026-11-20,2026-11-22')).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(labels('week', '2026-11-20,2026-11-24')).toEqual([
      '2026-11-16,2026-11-22',
      '2026-11-23,2026-11-29',
    ]);
    expect(labels('month', '2026-01-31,2026-03-01')).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(labels('year', '2025-12-31,2026-01-01')).toEqual(['2025', '2026']);
    expect(labels('day', '2026-11-24,today')).toEqual(['2026-11-24', '2026-11-25']);
    expect(labels('day', '2026-11-23,yesterday')).toEqual(['2026-11-23', '2026-11-24']);
    expect(selectPeriods('day', '2026-11-25,2026-11-25', TODAY).multiple).toBe(true);
  });

  test(`at most ${MAX_PERIODS} periods`, () => {
    expect(labels('day', `last${MAX_PERIODS}`)).toHaveLength(MAX_PERIODS);
    expectMatomoError(() => selectPeriods('day', `last${MAX_PERIODS + 1}`, TODAY), /more than 1000 periods/);
    expectMatomoError(() => selectPeriods('day', '2020-01-01,2026-01-01', TODAY), /more than 1000 periods/);
    expect(labels('month', '2020-01-01,2026-01-01')).toHaveLength(73);
  });
});

describe('period=range', () => {
  test('is one period, never keyed, labelled start,end', () => {
    const cases: [string, string][] = [
      ['2026-11-01,2026-11-24', '2026-11-01,2026-11-24'],
      ['2026-11-01,today', '2026-11-01,2026-11-25'],
      ['2026-11-01,yesterday', '2026-11-01,2026-11-24'],
      ['last7', '2026-11-19,2026-11-25'],
      ['previous7', '2026-11-18,2026-11-24'],
    ];
    for (const [date, label] of cases) {
      const selection: PeriodSelection = selectPeriods('range', date, TODAY);
      expect(selection.multiple, date).toBe(false);
      expect(
        selection.periods.map((p) => p.label),
        date,
      ).toEqual([label]);
    }
    // A range period may be longer than the cap on the number of periods.
    expect(labels('range', 'last3000')).toEqual(['2018-09-09,2026-11-25']);
  });

  test('needs a range, not a single date', () => {
    expectMatomoError(() => selectPeriods('range', '2026-11-01', TODAY), /not a correct date range/);
    expectMatomoError(() => selectPeriods('range', 'today', TODAY), /not a correct date range/);
  });
});

describe('bad input', () => {
  test.each([
    ['week', '2026-13-45', /Date format must be/],
    ['day', '2026-02-30', /Date format must be/],
    ['day', '26-11-25', /Date format must be/],
    ['day', 'lastX', /Date format must be/],
    ['day', 'tomorrow', /Date format must be/],
    ['day', '2026-11-25,', /Date format must be/],
    ['day', 'last0', /from 1 to 9999/],
    ['day', 'previous0', /from 1 to 9999/],
    ['day', 'last01', /from 1 to 9999/],
    ['range', 'last99999', /from 1 to 9999/],
    ['day', 'last123456789012345678901234567890', /from 1 to 9999/],
    ['day', '2026-11-24,2026-11-20', /end date is before the start date/],
    ['range', '2026-11-24,2026-11-20', /end date is before the start date/],
    ['range', '2026-11-30,today', /end date is before the start date/],
    ['day', '1991-08-05', /before first website was online/],
    ['month', '1980-01-01,2026-01-01', /before first website was online/],
  ])('period=%s&date=%s', (period, date, message) => {
    expectMatomoError(() => selectPeriods(period, date, TODAY), message);
  });

  test('unknown or missing period, missing date', () => {
    expectMatomoError(
      () => selectPeriods('quarter', 'today', TODAY),
      /The period 'quarter' is not supported/,
    );
    expectMatomoError(() => selectPeriods('DAY', 'today', TODAY), /is not supported/);
    expectMatomoError(() => selectPeriods(undefined, 'today', TODAY), /Please specify a value for 'period'/);
    expectMatomoError(() => selectPeriods('day', undefined, TODAY), /Please specify a value for 'date'/);
  });
});

describe('period instants in a timezone', () => {
  test('a UTC+2 day starts at 22:00 UTC the evening before', () => {
    const [bounds] = boundsOf(selectPeriods('day', '2026-11-25', TODAY).periods, 'Africa/Johannesburg');
    expect(bounds).toEqual({
      start: Date.parse('2026-11-24T22:00:00Z'),
      end: Date.parse('2026-11-25T22:00:00Z'),
    });
    // The visit at 23:30 UTC on the 24th is on the 25th there.
    expect(formatDay(localDayOf(Date.parse('2026-11-24T23:30:00Z'), 'Africa/Johannesburg'))).toBe(
      '2026-11-25',
    );
  });

  test('Berlin days last 23 hours in spring and 25 in autumn', () => {
    const hours = (date: string): number => {
      const [bounds] = boundsOf(selectPeriods('day', date, TODAY).periods, 'Europe/Berlin');
      return bounds ? (bounds.end - bounds.start) / 3_600_000 : Number.NaN;
    };
    expect(hours('2026-03-29')).toBe(23);
    expect(hours('2026-10-25')).toBe(25);
    expect(hours('2026-10-26')).toBe(24);
    const [march] = boundsOf(selectPeriods('month', '2026-03-01', TODAY).periods, 'Europe/Berlin');
    expect(march).toEqual({
      start: Date.parse('2026-02-28T23:00:00Z'),
      end: Date.parse('2026-03-31T22:00:00Z'),
    });
  });

  test('where midnight is skipped, the day starts at the change', () => {
    // Brazil moved its clocks from 00:00 to 01:00 on 4 November 2018 (its last DST, so the rule is settled).
    const start = startOfLocalDay(dayNumber(2018, 11, 4), 'America/Sao_Paulo');
    expect(new Date(start).toISOString()).toBe('2018-11-04T03:00:00.000Z');
    expect(formatDay(localDayOf(start, 'America/Sao_Paulo'))).toBe('2018-11-04');
    expect(formatDay(localDayOf(start - 1, 'America/Sao_Paulo'))).toBe('2018-11-03');
    expect(startOfLocalDay(dayNumber(2018, 11, 5), 'America/Sao_Paulo') - start).toBe(23 * 3_600_000);
  });

  test('periods are consecutive: each one ends where the next starts', () => {
    const bounds = boundsOf(
      selectPeriods('day', '2026-01-01,2026-12-31', TODAY).periods,
      'America/Los_Angeles',
    );
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]?.start).toBe(bounds[i - 1]?.end);
  });
});

describe('property: any date and period either parse into consecutive periods or fail as Matomo does', () => {
  const day = fc
    .record({
      y: fc.integer({ min: 1985, max: 2100 }),
      m: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
    })
    .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  const date = fc.oneof(
    day,
    fc.tuple(day, fc.oneof(day, fc.constantFrom('today', 'yesterday', 'now'))).map(([a, b]) => `${a},${b}`),
    fc
      .tuple(fc.constantFrom('last', 'previous', 'Last', 'next'), fc.oneof(fc.nat(2000), fc.string()))
      .map(([word, n]) => `${word}${n}`),
    fc.constantFrom('today', 'yesterday', 'lastWeek', 'lastMonth', 'lastYear', '', ',', 'last', '2026-1-1'),
    fc.string(),
  );
  const period = fc.oneof(fc.constantFrom('day', 'week', 'month', 'year', 'range'), fc.string());
  const today = fc.integer({ min: dayNumber(1992, 1, 1), max: dayNumber(2090, 12, 31) });
  const zone = fc.constantFrom(
    'UTC',
    'Europe/Berlin',
    'Pacific/Auckland',
    'America/Los_Angeles',
    'Asia/Kolkata',
  );

  test('parse or MatomoApiError', () => {
    fc.assert(
      fc.property(period, date, today, zone, (p, d, t, z) => {
        let selection: PeriodSelection;
        try {
          selection = selectPeriods(p, d, t);
        } catch (error) {
          expect(error).toBeInstanceOf(MatomoApiError);
          return;
        }
        const { periods } = selection;
        expect(periods.length).toBeGreaterThan(0);
        expect(periods.length).toBeLessThanOrEqual(MAX_PERIODS);
        expect(new Set(periods.map((x) => x.label)).size).toBe(periods.length);
        if (p === 'range') expect(selection.multiple).toBe(false);
        for (let i = 0; i < periods.length; i++) {
          const current = periods[i];
          if (!current) continue;
          expect(current.first).toBeLessThanOrEqual(current.last);
          if (i > 0) expect(current.first).toBe((periods[i - 1]?.last ?? 0) + 1);
        }
        const bounds = boundsOf(periods, z);
        for (const bound of bounds) expect(bound.start).toBeLessThan(bound.end);
      }),
      { numRuns: 3000 },
    );
  });

  test('every valid calendar day round-trips through parse and format', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber(1991, 8, 6), max: dayNumber(9999, 12, 31) }), (n) => {
        expect(parseDay(formatDay(n))).toBe(n);
      }),
    );
  });
});

test("error messages quote at most 60 characters of the caller's input", () => {
  expect(() => selectPeriods('day', 'x'.repeat(5000), TODAY)).toThrow(
    /^Date format must be: .*\(got 'x{60}…'\)\.$/,
  );
});
