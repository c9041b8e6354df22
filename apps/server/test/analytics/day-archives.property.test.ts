import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DAY_MS, formatDay } from '../../src/analytics/calendar';
import { localDayOf, startOfLocalDay } from '../../src/analytics/timezone';
import { Params } from '../../src/http/params';
import type { MethodTable } from '../../src/matomo/method-registry';
import { analyticsApiMethods } from '../../src/matomo/methods/analytics.methods';
import * as siteRepository from '../../src/sites/site.repository';
import { createApiCaller } from '../../src/users/api-caller';
import {
  type ActionSpec,
  AnalyticsFixture,
  type ConversionSpec,
  type EventSpec,
  type VisitSpec,
} from './analytics-fixture';

// Reports served from day archives (archives/day-archive.ts) must be exactly the reports computed
// from the logs at query time: on random visits in sites of several timezones, around a random
// "now", for random requests through the API layer (generic filters and `format_metrics`
// included), each asked twice (the archives are made, then read): after the first visits; after
// more visits on days already archived (the writer's invalidation); after the clock moved on (days
// end and get archived); after a site moved to another timezone (its archives are other days).

const fixture = AnalyticsFixture.forTests();

/** UTC, a zone with DST, and one whose offset is not a whole number of hours. */
const ZONES = [
  ['UTC'],
  ['Europe/Berlin', 'America/New_York', 'America/Santiago'],
  ['Asia/Kolkata', 'Australia/Adelaide', 'Asia/Kathmandu'],
] as const;

/** Instants near DST changes, a year's end (still the old year west of UTC) and a UTC midnight. */
const NOWS = [
  '2026-03-30T10:17:00Z',
  '2026-11-02T04:30:00Z',
  '2026-01-01T02:00:00Z',
  '2026-04-06T00:00:00Z',
  '2026-10-26T23:59:59Z',
].map(Date.parse);

const PAGES = ['/', '/pricing', '/docs/a', '/docs/b', '/blog/2026/post', '/docs/'];
/** An event's value by its page: none for some. */
const EVENT_VALUES = [1.5, undefined, 0.1, 0.2, 0.7, undefined];
const REFERRERS = [
  { type: 'direct' },
  { type: 'search', name: 'Google', keyword: 'oauth' },
  { type: 'website', name: 'example.org', url: 'https://example.org/links' },
  { type: 'campaign', name: 'spring', keyword: 'mail' },
] as const;
const COUNTRIES = ['de', 'fr', 'us', 'in', 'xx'];
const DEVICES = ['Desktop', 'Smartphone', 'Tablet'] as const;
const BROWSERS = ['Firefox', 'Chrome'];

/** When a visit starts, in its site's local day. */
const startArb = fc.oneof(
  fc.constant({ kind: 'midnight' as const, seconds: 0 }),
  fc.record({ kind: fc.constant('before-midnight' as const), seconds: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('dst-day' as const), seconds: fc.integer({ min: 0, max: 5 * 3600 }) }),
  fc.record({ kind: fc.constant('any' as const), seconds: fc.integer({ min: 0, max: 86_399 }) }),
);

const stepArb = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2400 })),
  kind: fc.constantFrom('page', 'page', 'page', 'download', 'outlink', 'event', 'search'),
  page: fc.integer({ min: 0, max: PAGES.length - 1 }),
});

const visitArb = fc.record({
  site: fc.integer({ min: 0, max: 2 }),
  visitor: fc.integer({ min: 0, max: 4 }),
  /** Local days from "today"; today and yesterday more often, a few after now. */
  day: fc.oneof(
    fc.integer({ min: -60, max: 2 }),
    fc.integer({ min: -10, max: 1 }),
    fc.integer({ min: -10, max: 1 }),
    fc.constantFrom(0, -1),
  ),
  start: startArb,
  steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }),
  referrer: fc.integer({ min: 0, max: REFERRERS.length - 1 }),
  country: fc.integer({ min: 0, max: COUNTRIES.length - 1 }),
  device: fc.integer({ min: 0, max: DEVICES.length - 1 }),
  browser: fc.integer({ min: 0, max: BROWSERS.length - 1 }),
  visitCount: fc.integer({ min: 1, max: 3 }),
  /** A conversion at the first action plus this many seconds (often another day), of goal 1 or 2. */
  conversion: fc.option(
    fc.record({
      goal: fc.constantFrom(1, 2),
      shift: fc.oneof(fc.constant(0), fc.integer({ min: -2 * 86_400, max: 86_400 })),
      cents: fc.integer({ min: 0, max: 5000 }),
    }),
    { freq: 3 },
  ),
});
type VisitDraft = typeof visitArb extends fc.Arbitrary<infer T> ? T : never;

const PERIODS = ['day', 'week', 'month', 'year', 'range'] as const;
type Period = (typeof PERIODS)[number];
const MAX_N: Readonly<Record<Period, number>> = { day: 14, week: 10, month: 4, year: 2, range: 90 };

const dateArb = fc.oneof(
  fc.constantFrom({ kind: 'word' as const, word: 'today' }, { kind: 'word' as const, word: 'yesterday' }),
  fc.record({
    kind: fc.constant('day' as const),
    offset: fc.oneof(fc.integer({ min: -65, max: 3 }), fc.integer({ min: -10, max: 1 })),
  }),
  fc.record({
    kind: fc.constant('relative' as const),
    word: fc.constantFrom('last', 'previous'),
    n: fc.integer({ min: 1, max: 90 }),
  }),
  fc.record({
    kind: fc.constant('between' as const),
    from: fc.integer({ min: -70, max: 2 }),
    length: fc.integer({ min: 0, max: 75 }),
    end: fc.constantFrom('day', 'day', 'today', 'yesterday'),
  }),
);

/** Methods whose reports day archives serve, and a few that do not (the same code either way). */
const METHODS = [
  // Served from day archives.
  'VisitsSummary.get',
  'VisitsSummary.getVisits',
  'UserCountry.getCountry',
  'UserCountry.getContinent',
  'DevicesDetection.getType',
  'Referrers.getReferrerType',
  'MultiSites.getAll',
  'MultiSites.getOne',
  'Actions.getPageUrls',
  'Actions.getPageUrls',
  'Actions.getEntryPageUrls',
  'Actions.getExitPageUrls',
  // Reports of grouped visits, conversions and actions, archived or not.
  'Goals.get',
  'VisitFrequency.get',
  'Referrers.getAll',
  'Referrers.getWebsites',
  'DevicesDetection.getBrowsers',
  'UserCountry.getCity',
  'VisitTime.getVisitInformationPerServerTime',
  'VisitTime.getByDayOfWeek',
  'VisitorInterest.getNumberOfVisitsPerVisitDuration',
  'Actions.get',
  'Actions.getDownloads',
  'Actions.getOutlinks',
  'Actions.getPageTitles',
  'Actions.getPageTitles',
  'Actions.getSiteSearchKeywords',
  'Events.getCategory',
  'Events.getAction',
  'Events.getName',
  'Events.getActionFromCategoryId',
  'Events.getNameFromActionId',
  'Events.getCategoryFromNameId',
];

/** Each Events subtable method: the dimension of the parent row whose id it takes. */
const EVENT_SUBTABLES: Readonly<
  Record<string, 'idaction_event_category' | 'idaction_event_action' | 'idaction_name'>
> = {
  'Events.getActionFromCategoryId': 'idaction_event_category',
  'Events.getNameFromActionId': 'idaction_event_action',
  'Events.getCategoryFromNameId': 'idaction_name',
};
/** A label of each parent dimension, picked by `RequestDraft.parent`. */
const EVENT_PARENTS: Readonly<Record<string, readonly string[]>> = {
  idaction_event_category: ['video', 'form'],
  idaction_event_action: ['play', 'pause', 'submit'],
  idaction_name: PAGES,
};

const requestArb = fc.record({
  method: fc.constantFrom(...METHODS),
  period: fc.constantFrom(...PERIODS),
  date: dateArb,
  sites: fc.constantFrom('one', 'one', 'list', 'all'),
  site: fc.integer({ min: 0, max: 2 }),
  shape: fc.constantFrom(undefined, 'flat', 'expanded'),
  /** Events: the secondary dimension (some invalid for the method: both ways must fail alike). */
  secondary: fc.constantFrom(undefined, undefined, 'eventAction', 'eventName', 'eventCategory'),
  /** Events subtables: the parent row's label, by index (see `EVENT_PARENTS`). */
  parent: fc.integer({ min: 0, max: PAGES.length - 1 }),
  filterLimit: fc.constantFrom(undefined, '-1', '1', '3'),
  filterOffset: fc.constantFrom(undefined, undefined, '1'),
  sortColumn: fc.constantFrom(undefined, 'nb_visits', 'nb_hits', 'label', 'nb_uniq_visitors', 'bounce_rate'),
  sortOrder: fc.constantFrom(undefined, 'asc'),
  pattern: fc.constantFrom(undefined, undefined, 'docs', '^d', 'e'),
  formatMetrics: fc.constantFrom(undefined, '0', '1', 'all'),
  segment: fc.constantFrom(
    undefined,
    undefined,
    undefined,
    'referrerType==direct',
    'countryCode==de',
    'browserCode==FF',
    'deviceType==smartphone',
    'visitCount>1',
    'pageUrl=@docs',
  ),
});
type RequestDraft = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * Asked in every world besides its random requests: the unique visitors of whole weeks and months
 * (kept per ended period) across the days the visits fall on, for every site at once.
 */
const PERIOD_UNIQUES: readonly RequestDraft[] = (['week', 'month'] as const).map((period) => ({
  method: 'VisitsSummary.get',
  period,
  date: { kind: 'relative', word: 'last', n: MAX_N[period] },
  sites: 'all',
  site: 0,
  shape: undefined,
  secondary: undefined,
  parent: 0,
  filterLimit: undefined,
  filterOffset: undefined,
  sortColumn: undefined,
  sortOrder: undefined,
  pattern: undefined,
  formatMetrics: undefined,
  segment: undefined,
}));

const worldArb = fc.record({
  now: fc.oneof(
    fc.constantFrom(...NOWS),
    fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
  ),
  sites: fc.integer({ min: 2, max: 3 }),
  zones: fc.tuple(fc.constantFrom(...ZONES[0]), fc.constantFrom(...ZONES[1]), fc.constantFrom(...ZONES[2])),
  visits: fc.array(visitArb, { minLength: 4, maxLength: 24 }),
  /** Written after the first comparisons, on days the first requests may have archived. */
  later: fc.array(visitArb, { minLength: 1, maxLength: 5 }),
  requests: fc.array(requestArb, { minLength: 3, maxLength: 6 }),
  /** Then the clock moves on this many minutes: days end, and their archives are made… */
  advance: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  /** …and a site moves to another timezone: its archives are other days now. */
  retimed: fc.record({ site: fc.integer({ min: 0, max: 2 }), timezone: fc.constantFrom(...ZONES.flat()) }),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

interface Site {
  idsite: number;
  timezone: string;
}

async function addSites(world: World): Promise<Site[]> {
  const sites: Site[] = [];
  for (const timezone of world.zones.slice(0, world.sites)) {
    const idsite = await fixture.addSite(timezone, `https://site-${sites.length}.example`);
    await fixture.addGoal(idsite, { name: 'Pricing', pattern: '/pricing', revenue: 10, allowMultiple: true });
    await fixture.addGoal(idsite, { name: 'Manual', matchAttribute: 'manually', allowMultiple: true });
    sites.push({ idsite, timezone });
  }
  return sites;
}

/** The local days around `now` whose length is not 24 hours in `timezone`. */
function dstDays(timezone: string, now: number): number[] {
  const today = localDayOf(now, timezone);
  const days: number[] = [];
  for (let day = today - 62; day <= today + 2; day++) {
    if (startOfLocalDay(day + 1, timezone) - startOfLocalDay(day, timezone) !== DAY_MS) days.push(day);
  }
  return days;
}

function iso(instant: number): string {
  return new Date(instant).toISOString();
}

function visitSpec(draft: VisitDraft, sites: readonly Site[], now: number): VisitSpec {
  const site = sites[draft.site % sites.length] as Site;
  let day = localDayOf(now, site.timezone) + draft.day;
  let start: number;
  const { kind, seconds } = draft.start;
  const changes = kind === 'dst-day' ? dstDays(site.timezone, now) : [];
  if (kind === 'before-midnight') start = startOfLocalDay(day + 1, site.timezone) - seconds * 1000;
  else {
    if (changes.length > 0) day = changes[Math.abs(draft.day) % changes.length] as number;
    start = startOfLocalDay(day, site.timezone) + seconds * 1000;
  }
  const actions: ActionSpec[] = [];
  const events: EventSpec[] = [];
  let at = start;
  for (const step of draft.steps) {
    at += step.gap * 1000;
    const page = PAGES[step.page] as string;
    if (step.kind === 'download')
      actions.push({ at: iso(at), download: `https://cdn.example${page}file.pdf` });
    else if (step.kind === 'outlink')
      actions.push({ at: iso(at), outlink: `https://elsewhere.example${page}` });
    else if (step.kind === 'search')
      actions.push({ at: iso(at), search: page.replaceAll('/', ' ').trim() || 'home' });
    else if (step.kind === 'event' && actions.some((action) => 'page' in action)) {
      // Two categories, three actions, names by page (one without), values whose sums depend on their order.
      const value = EVENT_VALUES[step.page];
      events.push({
        at: iso(at),
        category: step.page % 2 === 0 ? 'video' : 'form',
        action: ['play', 'pause', 'submit'][step.page % 3] as string,
        ...(step.page === PAGES.length - 1 ? {} : { name: page }),
        ...(value === undefined ? {} : { value }),
      });
    } else actions.push({ at: iso(at), page });
  }
  // Every visit views a page first: entry pages, and events that happen on a page.
  if (!('page' in (actions[0] as ActionSpec))) actions.unshift({ at: iso(start), page: '/' });
  const conversions: ConversionSpec[] = [];
  if (draft.conversion) {
    const { goal, shift, cents } = draft.conversion;
    const viewed = actions.find((action): action is ActionSpec & { page: string } => 'page' in action);
    conversions.push({
      goal,
      at: iso(start + shift * 1000),
      revenue: cents / 100,
      ...(goal === 1 && viewed ? { page: viewed.page } : {}),
    });
  }
  const referrer = REFERRERS[draft.referrer] as (typeof REFERRERS)[number];
  return {
    idsite: site.idsite,
    visitor: `${String(site.idsite).padStart(8, '0')}${String(draft.visitor).padStart(8, '0')}`,
    actions,
    events,
    referrer,
    country: COUNTRIES[draft.country] as string,
    device: DEVICES[draft.device] as (typeof DEVICES)[number],
    browser: BROWSERS[draft.browser] as string,
    visitCount: draft.visitCount,
    conversions,
  };
}

function dateParam(request: RequestDraft, now: number): string {
  const { date, period } = request;
  const today = localDayOf(now, 'UTC');
  // A range needs two ends: a week up to the day named.
  const end = (day: string) =>
    period === 'range' ? `${formatDay(today + (date.kind === 'day' ? date.offset : 0) - 6)},${day}` : day;
  switch (date.kind) {
    case 'word':
      return end(date.word);
    case 'day':
      return end(formatDay(today + date.offset));
    case 'relative':
      return `${date.word}${1 + ((date.n - 1) % MAX_N[period])}`;
    case 'between': {
      const last = date.end === 'day' ? formatDay(today + date.from + date.length) : date.end;
      return `${formatDay(today + date.from)},${last}`;
    }
  }
}

/** The `idSubtable` of an Events subtable request: the first event of the parent label, or an id naming no row. */
async function eventSubtableId(request: RequestDraft): Promise<string | undefined> {
  const column = EVENT_SUBTABLES[request.method];
  if (!column) return undefined;
  const labels = EVENT_PARENTS[column] as readonly string[];
  const label = labels[request.parent % labels.length] as string;
  const first = await fixture.db
    .selectFrom('log_link_visit_action as e')
    .innerJoin('log_action as v', 'v.idaction', `e.${column}`)
    .select((eb) => eb.fn.min('e.idlink_va').as('id'))
    .where('e.action_type', '=', 'event')
    .where('v.name', '=', label)
    .executeTakeFirst();
  return first?.id == null ? '999999999' : String(first.id);
}

function queryOf(request: RequestDraft, sites: readonly Site[], now: number, idSubtable?: string): string {
  const site = sites[request.site % sites.length] as Site;
  // These refuse several sites.
  const oneSite =
    request.method === 'MultiSites.getOne' ||
    request.method === 'VisitTime.getByDayOfWeek' ||
    request.method.startsWith('Referrers.');
  const idSite =
    oneSite || request.sites === 'one'
      ? String(site.idsite)
      : request.sites === 'all'
        ? 'all'
        : sites.map(({ idsite }) => idsite).join(',');
  const params: [string, string | undefined][] = [
    ['idSite', idSite],
    ['period', request.period],
    ['date', dateParam(request, now)],
    ['segment', request.segment],
    ['format_metrics', request.formatMetrics],
    ['filter_limit', request.filterLimit],
    ['filter_offset', request.filterOffset],
    ['filter_sort_column', request.sortColumn],
    ['filter_sort_order', request.sortOrder],
    ['filter_pattern', request.pattern],
  ];
  if ((request.method.startsWith('Actions.') || request.method.startsWith('Events.')) && request.shape)
    params.push([request.shape, '1']);
  if (/^Events\.get(Category|Action|Name)$/.test(request.method))
    params.push(['secondaryDimension', request.secondary]);
  params.push(['idSubtable', idSubtable]);
  return new URLSearchParams(
    params.filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
}

/** The JSON a method answers, or its error's message: both ways must fail alike too. */
async function answer(
  methods: MethodTable,
  name: string,
  query: string,
  sites: readonly Site[],
): Promise<string> {
  const caller = createApiCaller({
    user: { login: 'viewer', superuser: 0 },
    clientId: 'property-test',
    scope: 'matomo:read',
    siteAccess: sites.map(({ idsite }) => ({ idsite, access: 'view' as const })),
  });
  const method = methods[name];
  if (!method) throw new Error(`no method ${name}`);
  try {
    return JSON.stringify(
      await method.run({ caller, params: Params.parse(query), postBody: undefined, ip: '127.0.0.1' }),
    );
  } catch (error) {
    return JSON.stringify({
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}

/** Asks both ways and fails with the request and the first difference. */
async function expectSameAnswers(
  requests: readonly RequestDraft[],
  sites: readonly Site[],
  now: number,
  when: string,
  methods: { fromLogs: MethodTable; fromArchives: MethodTable },
): Promise<void> {
  for (const request of requests) {
    const query = queryOf(request, sites, now, await eventSubtableId(request));
    const reference = await answer(methods.fromLogs, request.method, query, sites);
    for (const pass of ['first', 'second']) {
      const archived = await answer(methods.fromArchives, request.method, query, sites);
      if (archived === reference) continue;
      let at = 0;
      while (archived[at] === reference[at]) at++;
      const around = (text: string) => text.slice(Math.max(0, at - 300), at + 200);
      throw new Error(
        `${request.method}?${query} (now ${iso(now)}, ${when}, ${pass} archived answer) differs at ${at}:\n` +
          `  from logs:     …${around(reference)}\n  from archives: …${around(archived)}`,
      );
    }
  }
}

describe('day archives', () => {
  test('every report from day archives equals the report computed from the logs, as visits come, days end and timezones change', async () => {
    const archivedSites: number[] = [];
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const sites = await addSites(world);
        archivedSites.push(...sites.map(({ idsite }) => idsite));
        let now = world.now;
        const clock = () => now;
        const methods = {
          fromLogs: analyticsApiMethods({ db: fixture.db, clock, archives: false }),
          fromArchives: analyticsApiMethods({ db: fixture.db, clock }),
        };
        const requests = [...world.requests, ...PERIOD_UNIQUES];
        const compare = (when: string) => expectSameAnswers(requests, sites, now, when, methods);
        await fixture.record(...world.visits.map((draft) => visitSpec(draft, sites, now)));
        await compare('first visits');
        // Every other later visit is a visitor new to the site: a week's or month's unique visitors change.
        await fixture.record(
          ...world.later.map((draft, index) =>
            visitSpec(index % 2 === 0 ? draft : { ...draft, visitor: draft.visitor + 5 }, sites, now),
          ),
        );
        await compare('after more visits on archived days');
        now += world.advance * 60_000;
        await compare(`after the clock moved on ${world.advance} minutes`);
        const site = sites[world.retimed.site % sites.length] as Site;
        await siteRepository.update(fixture.db, site.idsite, { timezone: world.retimed.timezone });
        site.timezone = world.retimed.timezone;
        await compare(`after site ${site.idsite} moved to ${site.timezone}`);
      }),
      { numRuns: 40 },
    );
    // Not vacuous: the archived answers above did store and read archives.
    const stored = await fixture.db
      .selectFrom('archive_days')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('idsite', 'in', archivedSites)
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBeGreaterThan(0);
  }, 120_000);
});
