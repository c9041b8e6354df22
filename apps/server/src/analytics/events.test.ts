import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import { analyticsMethods } from './index';

/*
 * Site 1 of the hand-built dataset: v1 (Mon 2026-11-23) has Videos/Play/intro, Videos/Play (no
 * name) 12.5, Videos/Pause/intro 35 and Downloads/Click/pricing.pdf; v5 (Sun 2026-11-01) has
 * Videos/Play/intro 20. Site 2 has no events.
 */
const { fixture } = useHandBuiltDataset();

type EventsMethod =
  | 'Events.getCategory'
  | 'Events.getAction'
  | 'Events.getName'
  | 'Events.getActionFromCategoryId'
  | 'Events.getNameFromCategoryId'
  | 'Events.getCategoryFromActionId'
  | 'Events.getNameFromActionId'
  | 'Events.getActionFromNameId'
  | 'Events.getCategoryFromNameId';

function run(method: EventsMethod, query: string, ids = [1]) {
  return analyticsMethods[method].run(fixture.context(query, { ids }));
}

/**
 * The metrics of a row on a week or month, by hand: visits, events, events with a value, sum,
 * min, max, average. Each visit here is its visitor's only one that day (v1 is A's on Mon 23, v5
 * C's on Sun 1), so the summed daily unique visitors are the visits.
 */
function metrics(
  nb_visits: number,
  nb_events: number,
  nb_events_with_value: number,
  sum_event_value: number,
  min_event_value: number | null,
  max_event_value: number | null,
  avg_event_value: number,
) {
  return {
    nb_visits,
    nb_events,
    nb_events_with_value,
    sum_event_value,
    min_event_value,
    max_event_value,
    sum_daily_nb_uniq_visitors: nb_visits,
    avg_event_value,
  };
}

/** A row of a day: Matomo's day archive has `nb_uniq_visitors` (here the visits) instead. */
function onDay<T extends { sum_daily_nb_uniq_visitors: number }>(row: T) {
  const { sum_daily_nb_uniq_visitors, ...rest } = row;
  return { nb_uniq_visitors: sum_daily_nb_uniq_visitors, ...rest };
}

const noValue = (visits: number, events: number) => metrics(visits, events, 0, 0, null, null, 0);

/** A top row's subtable id: its exact value is pinned by the `idsubdatatable` tests. */
const id = { idsubdatatable: expect.any(Number) };

/** The `idlink_va` of site 1's event at an instant: the order the fixture wrote them in. */
async function eventIdAt(iso: string): Promise<number> {
  const { rows } = await sql<{ idlink_va: number }>`select idlink_va from log_link_visit_action
    where action_type = 'event' and idsite = 1 and server_time = ${Date.parse(iso)}`.execute(fixture.db);
  const [row] = rows;
  if (!row || rows.length !== 1) throw new Error(`no single event at ${iso}`);
  return row.idlink_va;
}

// The week of Mon 23: v1 only. 12.5 and 35 average to 23.75.
const weekCategories = [
  { label: 'Videos', ...metrics(1, 3, 2, 47.5, 12.5, 35, 23.75), segment: 'eventCategory==Videos', ...id },
  { label: 'Downloads', ...noValue(1, 1), segment: 'eventCategory==Downloads', ...id },
];

describe('Events.getCategory', () => {
  test('one row per category, most visits then most events first, with a segment', async () => {
    expect(await run('Events.getCategory', 'period=week&date=2026-11-25')).toEqual(weekCategories);
  });

  test('a visit counts once per row; the average is over the events with a value, to two decimals', async () => {
    // November: v1 and v5. Videos: 12.5 + 35 + 20 = 67.5 over 3 values.
    expect(await run('Events.getCategory', 'period=month&date=2026-11-25')).toEqual([
      { label: 'Videos', ...metrics(2, 4, 3, 67.5, 12.5, 35, 22.5), segment: 'eventCategory==Videos', ...id },
      { label: 'Downloads', ...noValue(1, 1), segment: 'eventCategory==Downloads', ...id },
    ]);
  });

  test('expanded=1 nests the actions of each category, without segments', async () => {
    expect(await run('Events.getCategory', 'period=week&date=2026-11-25&expanded=1')).toEqual([
      {
        ...weekCategories[0],
        subtable: [
          { label: 'Play', ...metrics(1, 2, 1, 12.5, 12.5, 12.5, 12.5) },
          { label: 'Pause', ...metrics(1, 1, 1, 35, 35, 35, 35) },
        ],
      },
      { ...weekCategories[1], subtable: [{ label: 'Click', ...noValue(1, 1) }] },
    ]);
  });

  test('secondaryDimension=eventName nests names; a name not set has its own row', async () => {
    const [videos] = (await run(
      'Events.getCategory',
      'period=week&date=2026-11-25&expanded=1&secondaryDimension=eventName',
    )) as { subtable: unknown }[];
    expect(videos?.subtable).toEqual([
      { label: 'intro', ...metrics(1, 2, 1, 35, 35, 35, 35) },
      { label: 'Event Name not defined', ...metrics(1, 1, 1, 12.5, 12.5, 12.5, 12.5) },
    ]);
  });

  test('several days give one table per day', async () => {
    expect(await run('Events.getCategory', 'period=day&date=2026-11-22,2026-11-24')).toEqual({
      '2026-11-22': [],
      '2026-11-23': weekCategories.map(onDay),
      '2026-11-24': [],
    });
  });

  test('several sites give one table per site', async () => {
    expect(await run('Events.getCategory', 'period=week&date=2026-11-25', [1, 2])).toEqual({
      '1': weekCategories,
      '2': [],
    });
  });

  test('event segments keep the visits with a matching event', async () => {
    // Only v1 has pricing.pdf and Pause: November then shows v1's events alone.
    expect(
      await run('Events.getCategory', 'period=month&date=2026-11-25&segment=eventName==pricing.pdf'),
    ).toEqual(weekCategories);
    expect(
      await run('Events.getCategory', 'period=month&date=2026-11-25&segment=eventAction==Pause'),
    ).toEqual(weekCategories);
    expect(
      await run('Events.getCategory', 'period=month&date=2026-11-25&segment=eventCategory==Nope'),
    ).toEqual([]);
    // != keeps the visits without such an event: v5 only.
    expect(
      await run('Events.getCategory', 'period=month&date=2026-11-25&segment=eventAction!=Pause'),
    ).toEqual([
      { label: 'Videos', ...metrics(1, 1, 1, 20, 20, 20, 20), segment: 'eventCategory==Videos', ...id },
    ]);
  });

  test("a secondary dimension the report does not take is Matomo's error", async () => {
    await expect(
      run('Events.getCategory', 'period=week&date=2026-11-25&secondaryDimension=eventCategory'),
    ).rejects.toThrow(
      new MatomoApiError(
        "Secondary dimension 'eventCategory' is not valid for the API getCategory. Use one of: eventAction, eventName",
      ),
    );
  });
});

describe('Events.getName', () => {
  test('events without a name are "Event Name not defined", without a segment', async () => {
    expect(await run('Events.getName', 'period=month&date=2026-11-25')).toEqual([
      { label: 'intro', ...metrics(2, 3, 2, 55, 20, 35, 27.5), segment: 'eventName==intro', ...id },
      { label: 'Event Name not defined', ...metrics(1, 1, 1, 12.5, 12.5, 12.5, 12.5), ...id },
      { label: 'pricing.pdf', ...noValue(1, 1), segment: 'eventName==pricing.pdf', ...id },
    ]);
  });
});

describe('Events.getAction', () => {
  test('secondaryDimension=eventCategory nests the categories of each action', async () => {
    expect(
      await run(
        'Events.getAction',
        'period=month&date=2026-11-25&expanded=1&secondaryDimension=eventCategory',
      ),
    ).toEqual([
      {
        label: 'Play',
        ...metrics(2, 3, 2, 32.5, 12.5, 20, 16.25),
        segment: 'eventAction==Play',
        ...id,
        subtable: [{ label: 'Videos', ...metrics(2, 3, 2, 32.5, 12.5, 20, 16.25) }],
      },
      {
        label: 'Click',
        ...noValue(1, 1),
        segment: 'eventAction==Click',
        ...id,
        subtable: [{ label: 'Downloads', ...noValue(1, 1) }],
      },
      {
        label: 'Pause',
        ...metrics(1, 1, 1, 35, 35, 35, 35),
        segment: 'eventAction==Pause',
        ...id,
        subtable: [{ label: 'Videos', ...metrics(1, 1, 1, 35, 35, 35, 35) }],
      },
    ]);
  });

  test('by default the subtables are names', async () => {
    const [play] = (await run('Events.getAction', 'period=week&date=2026-11-25&expanded=1')) as {
      subtable: unknown;
    }[];
    expect(play?.subtable).toEqual([
      { label: 'Event Name not defined', ...metrics(1, 1, 1, 12.5, 12.5, 12.5, 12.5) },
      { label: 'intro', ...noValue(1, 1) },
    ]);
  });
});

describe('Events subtables', () => {
  test("idsubdatatable is the id of the value's first event, the same across periods and secondary dimensions", async () => {
    // v1's events, in the order written: 10:00:10 Videos/Play/intro, 10:00:20 Videos/Play (no
    // name), 10:00:40 Videos/Pause/intro, 10:00:50 Downloads/Click/pricing.pdf.
    const [videos, downloads] = [
      await eventIdAt('2026-11-23T10:00:10Z'),
      await eventIdAt('2026-11-23T10:00:50Z'),
    ];
    const ids = (rows: unknown) =>
      (rows as { label: string; idsubdatatable: number }[]).map((r) => [r.label, r.idsubdatatable]);
    expect(ids(await run('Events.getCategory', 'period=week&date=2026-11-25'))).toEqual([
      ['Videos', videos],
      ['Downloads', downloads],
    ]);
    expect(
      ids(await run('Events.getCategory', 'period=month&date=2026-11-25&secondaryDimension=eventName')),
    ).toEqual([
      ['Videos', videos],
      ['Downloads', downloads],
    ]);
    expect(ids(await run('Events.getName', 'period=week&date=2026-11-25'))).toEqual([
      ['intro', videos],
      ['Event Name not defined', await eventIdAt('2026-11-23T10:00:20Z')],
      ['pricing.pdf', downloads],
    ]);
  });

  test('each subtable method lists the rows of one parent row, with a segment on its own dimension', async () => {
    const videos = await eventIdAt('2026-11-23T10:00:10Z');
    const month = `period=month&date=2026-11-25&idSubtable=${videos}`;
    // November's Videos events: Play (v1 twice, v5 once: 12.5 and 20), Pause (v1: 35).
    expect(await run('Events.getActionFromCategoryId', month)).toEqual([
      { label: 'Play', ...metrics(2, 3, 2, 32.5, 12.5, 20, 16.25), segment: 'eventAction==Play' },
      { label: 'Pause', ...metrics(1, 1, 1, 35, 35, 35, 35), segment: 'eventAction==Pause' },
    ]);
    expect(await run('Events.getNameFromCategoryId', month)).toEqual([
      { label: 'intro', ...metrics(2, 3, 2, 55, 20, 35, 27.5), segment: 'eventName==intro' },
      { label: 'Event Name not defined', ...metrics(1, 1, 1, 12.5, 12.5, 12.5, 12.5) },
    ]);
    // The same id is Play's (getAction) and intro's (getName): their first event is the same.
    expect(await run('Events.getCategoryFromActionId', month)).toEqual([
      { label: 'Videos', ...metrics(2, 3, 2, 32.5, 12.5, 20, 16.25), segment: 'eventCategory==Videos' },
    ]);
    expect(await run('Events.getNameFromActionId', month)).toEqual([
      { label: 'intro', ...metrics(2, 2, 1, 20, 20, 20, 20), segment: 'eventName==intro' },
      { label: 'Event Name not defined', ...metrics(1, 1, 1, 12.5, 12.5, 12.5, 12.5) },
    ]);
    expect(await run('Events.getActionFromNameId', month)).toEqual([
      { label: 'Play', ...metrics(2, 2, 1, 20, 20, 20, 20), segment: 'eventAction==Play' },
      { label: 'Pause', ...metrics(1, 1, 1, 35, 35, 35, 35), segment: 'eventAction==Pause' },
    ]);
    expect(await run('Events.getCategoryFromNameId', month)).toEqual([
      { label: 'Videos', ...metrics(2, 3, 2, 55, 20, 35, 27.5), segment: 'eventCategory==Videos' },
    ]);
    // A period without the parent's events, and multi-period results.
    expect(
      await run(
        'Events.getActionFromCategoryId',
        `period=day&date=2026-11-22,2026-11-23&idSubtable=${videos}`,
      ),
    ).toEqual({
      '2026-11-22': [],
      '2026-11-23': [
        { label: 'Play', ...onDay(metrics(1, 2, 1, 12.5, 12.5, 12.5, 12.5)), segment: 'eventAction==Play' },
        { label: 'Pause', ...onDay(metrics(1, 1, 1, 35, 35, 35, 35)), segment: 'eventAction==Pause' },
      ],
    });
  });

  test("idSubtable as Matomo's archive reads it: required, a number or 'all'; an unknown one is an empty table", async () => {
    const week = 'period=week&date=2026-11-25';
    await expect(run('Events.getActionFromCategoryId', week)).rejects.toThrow(
      new MatomoApiError("Please specify a value for 'idSubtable'."),
    );
    await expect(run('Events.getActionFromCategoryId', `${week}&idSubtable=abc`)).rejects.toThrow(
      new MatomoApiError("idSubtable needs to be a number or 'all', 'abc' given."),
    );
    for (const unknown of ['999999', 'all', '0', '-1', '1.5'])
      expect(await run('Events.getActionFromCategoryId', `${week}&idSubtable=${unknown}`)).toEqual([]);
  });

  test('flat=1 lists each subtable row as `parent - child`, with the dimension columns and no segment', async () => {
    expect(await run('Events.getCategory', 'period=week&date=2026-11-25&flat=1')).toEqual([
      {
        label: 'Videos - Play',
        ...metrics(1, 2, 1, 12.5, 12.5, 12.5, 12.5),
        Events_EventCategory: 'Videos',
        Events_EventAction: 'Play',
      },
      {
        label: 'Videos - Pause',
        ...metrics(1, 1, 1, 35, 35, 35, 35),
        Events_EventCategory: 'Videos',
        Events_EventAction: 'Pause',
      },
      {
        label: 'Downloads - Click',
        ...noValue(1, 1),
        Events_EventCategory: 'Downloads',
        Events_EventAction: 'Click',
      },
    ]);
    const names = (await run(
      'Events.getName',
      'period=week&date=2026-11-25&flat=1&secondaryDimension=eventCategory',
    )) as {
      label: string;
      Events_EventName: string;
    }[];
    expect(names.map((row) => [row.label, row.Events_EventName])).toEqual([
      ['intro - Videos', 'intro'],
      ['Event Name not defined - Videos', 'Event Name not defined'],
      ['pricing.pdf - Downloads', 'pricing.pdf'],
    ]);
  });
});
