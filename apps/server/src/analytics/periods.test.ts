import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MatomoApiError } from '../errors/matomo-api-error';
import { dayNumber, formatDay, parseDay } from './calendar';
import {
  boundsOf,
  MAX_RANGE_PERIODS,
  type PeriodSelection,
  reportsUniqueVisitors,
  selectPeriods,
} from './periods';
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
    ['day', 'now', '2026-11-25'],
    ['day', 'tomorrow', '2026-11-26'],
    ['day', 'yesterdaySameTime', '2026-11-24'],
    ['day', 'lastweek', '2026-11-18'],
    ['day', 'last week', '2026-11-18'],
    ['day', 'LAST-MONTH', '2026-10-25'],
    ['day', '2026-1-5', '2026-01-05'],
    ['day', '2026-01-5', '2026-01-05'],
    ['day', ' 2026-11-25 ', '2026-11-25'],
    // strtotime rolls a day past the end of the month over; day 0 is the month's eve.
    ['day', '2026-02-30', '2026-03-02'],
    ['day', '2026-03-00', '2026-02-28'],
    ['week', '2026-11-31', '2026-11-30,2026-12-06'],
  ])('period=%s&date=%s is %s', (period, date, label) => {
    const selection = selectPeriods(period, date, TODAY);
    expect(selection.multiple).toBe(false);
    expect(selection.periods.map((p) => p.label)).toEqual([label]);
  });

  test("lastMonth and lastYear roll over a shorter month, as PHP's strtotime('-1 month')", () => {
    // Matomo's own test: 2020-05-05 gives 2020-04-05 and 2019-05-05.
    expect(labels('day', 'lastMonth', dayNumber(2020, 5, 5))).toEqual(['2020-04-05']);
    expect(labels('day', 'lastYear', dayNumber(2020, 5, 5))).toEqual(['2019-05-05']);
    expect(labels('day', 'lastWeek', dayNumber(2020, 5, 5))).toEqual(['2020-04-28']);
    expect(labels('day', 'lastMonth', dayNumber(2026, 3, 31))).toEqual(['2026-03-03']);
    expect(labels('day', 'lastYear', dayNumber(2028, 2, 29))).toEqual(['2027-03-01']);
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

  test('keywords may end or start a range', () => {
    expect(labels('day', '2026-11-24,now')).toEqual(['2026-11-24', '2026-11-25']);
    expect(labels('day', 'lastWeek,2026-11-19')).toEqual(['2026-11-18', '2026-11-19']);
    expect(labels('day', '2026-11-23,Yesterday')).toEqual(['2026-11-23', '2026-11-24']);
    expect(labels('week', 'lastMonth,today')).toHaveLength(6);
    expect(labels('day', '2026-11-1,2026-11-3')).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  });

  test('an end before the start leaves the period of the end (Matomo fills from the end back)', () => {
    expect(selectPeriods('day', '2026-11-24,2026-11-20', TODAY)).toMatchObject({
      multiple: true,
      periods: [{ label: '2026-11-20' }],
    });
    expect(labels('month', '2026-11-30,today')).toEqual(['2026-11']);
  });

  test('an end more than ten years ahead is moved back to 31 December ten years ahead', () => {
    expect(labels('year', '2035-01-01,2099-06-01')).toEqual(['2035', '2036']);
  });

  test.each([
    ['day', 1825],
    ['week', 520],
    ['month', 120],
    ['year', 10],
  ])('lastN and previousN of %s are capped at %i periods, silently', (period, cap) => {
    expect(labels(period, `last${cap}`)).toHaveLength(cap);
    expect(labels(period, `last${cap + 1}`)).toHaveLength(cap);
    expect(labels(period, 'previous99999')).toHaveLength(cap);
    expect(labels(period, 'last123456789012345678901234567890')).toHaveLength(cap);
  });

  test('last, last0 and previous0 are one period; leading zeros are read', () => {
    expect(labels('day', 'last')).toEqual(['2026-11-25']);
    expect(labels('day', 'last0')).toEqual(['2026-11-25']);
    expect(labels('day', 'previous0')).toEqual(['2026-11-24']);
    expect(labels('day', 'last02')).toEqual(['2026-11-24', '2026-11-25']);
    expect(selectPeriods('day', 'last', TODAY).multiple).toBe(true);
  });

  test(`a start,end date covers at most ${MAX_RANGE_PERIODS} periods`, () => {
    expect(labels('month', '2020-01-01,2026-01-01')).toHaveLength(73);
    expect(labels('day', '2020-01-01,2026-01-01')).toHaveLength(2193);
    expectMatomoError(() => selectPeriods('day', '1992-01-01,2026-01-01', TODAY), /more than 5000 periods/);
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
      ['2026-11-1,now', '2026-11-01,2026-11-25'],
      ['lastMonth,yesterday', '2026-10-25,2026-11-24'],
      ['last', '2026-11-25,2026-11-25'],
    ];
    for (const [date, label] of cases) {
      const selection: PeriodSelection = selectPeriods('range', date, TODAY);
      expect(selection.multiple, date).toBe(false);
      expect(
        selection.periods.map((p) => p.label),
        date,
      ).toEqual([label]);
    }
    // Matomo does not cap N for a range; the start stays after the first website here.
    expect(labels('range', 'last3000')).toEqual(['2018-09-09,2026-11-25']);
    expect(labels('range', 'last99999')).toEqual(['1991-08-06,2026-11-25']);
  });

  test('A,A is the day A: a day period, not keyed', () => {
    expect(selectPeriods('range', '2026-11-20,2026-11-20', TODAY)).toEqual({
      period: 'day',
      periods: [{ label: '2026-11-20', first: dayNumber(2026, 11, 20), last: dayNumber(2026, 11, 20) }],
      multiple: false,
    });
  });

  test('an end before the start is an invalid range', () => {
    expectMatomoError(
      () => selectPeriods('range', '2026-11-24,2026-11-20', TODAY),
      /^Specified date range is invalid\.$/,
    );
    expectMatomoError(
      () => selectPeriods('range', '2026-11-30,today', TODAY),
      /^Specified date range is invalid\.$/,
    );
  });

  test('needs a range, not a single date', () => {
    const message = (date: string) =>
      `The date '${date}' is not a correct date range. It should have the following format:  'lastN', 'previousN', 'YYYY-MM-DD,YYYY-MM-DD'.`;
    for (const date of ['2026-11-01', 'today', '2026-11-01,tomorrow', 'today,2026-11-01']) {
      expect(() => selectPeriods('range', date, TODAY), date).toThrow(message(date));
    }
  });
});

describe("bad input, with Matomo's messages", () => {
  const FORMAT =
    "Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): ";

  test.each([
    ['week', '2026-13-45'],
    ['day', '2026-02-32'],
    ['day', '2026-00-10'],
    ['day', '26-11-25'],
    ['day', 'lastX'],
    ['day', 'next monday'],
    ['day', '2026-11-25T10:00'],
  ])('period=%s&date=%s: strtotime fails, and Matomo quotes `false`', (period, date) => {
    expect(() => selectPeriods(period, date, TODAY)).toThrow(`${FORMAT}false`);
  });

  test.each([
    ['day', '2026-11-25,', `${FORMAT}'2026-11-25,'`],
    ['day', "2026-11-25,x'y", `${FORMAT}'2026-11-25,x\\'y'`],
    ['month', '2026-11-01,tomorrow', `${FORMAT}'2026-11-01,tomorrow'`],
  ])('period=%s&date=%s: a comma that is no range is quoted', (period, date, message) => {
    expect(() => selectPeriods(period, date, TODAY)).toThrow(message);
  });

  test('capitalised keywords fail as in Matomo', () => {
    expect(() => selectPeriods('day', 'Today', TODAY)).toThrow(
      'Date::factoryInTimezone() should not be used with Today.',
    );
  });

  test('dates before the first website, with the timestamp Matomo appends', () => {
    expect(() => selectPeriods('day', '1991-08-05', TODAY)).toThrow(
      "The date '1991-08-05' is a date before first website was online. Try date that's after Aug 6, 1991 (timestamp 681436800).: 681350400",
    );
    expect(() => selectPeriods('month', '1980-01-01,2026-01-01', TODAY)).toThrow(
      "The date '1980-01-01' is a date before first website was online. Try date that's after Aug 6, 1991 (timestamp 681436800).: 315532800",
    );
    // Years below 100 are years, not 19xx.
    expect(() => selectPeriods('day', '0099-01-01', TODAY)).toThrow(/The date '0099-01-01' is a date before/);
  });

  test('unknown or missing period, missing date', () => {
    expect(() => selectPeriods('quarter', 'today', TODAY)).toThrow(
      "The period 'quarter' is not supported. Try any of the following instead: day, week, month, year, range",
    );
    expectMatomoError(() => selectPeriods('DAY', 'today', TODAY), /is not supported/);
    expectMatomoError(() => selectPeriods(undefined, 'today', TODAY), /Please specify a value for 'period'/);
    expectMatomoError(() => selectPeriods('day', undefined, TODAY), /Please specify a value for 'date'/);
  });
});

test("unique visitors are reported for days, weeks and months only (Matomo's default config)", () => {
  expect(['day', 'week', 'month', 'year', 'range'].map((p) => reportsUniqueVisitors(p as never))).toEqual([
    true,
    true,
    true,
    false,
    false,
  ]);
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
        expect(periods.length).toBeLessThanOrEqual(MAX_RANGE_PERIODS);
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
  expect(() => selectPeriods('day', `${'x'.repeat(5000)},`, TODAY)).toThrow(
    /^Date format must be: .*: 'x{60}…'$/,
  );
});
