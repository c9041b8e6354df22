import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import { dailyActionUniques, visitorDay } from './action-uniques';
import type { AnalyticsContext, ResultOf } from './context';
import { quotient, toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import { phpUrlEncode } from './php-url-encode';
import { type ReportScope, resolveReportScope, shapeResult } from './report-scope';
import { readFlag, readRowWindow, requireParam, windowRows } from './request-params';
import { type SegmentFilter, scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

type EventRow = components['schemas']['EventRow'];

/** An event dimension, by its segment name. */
type EventDimension = 'eventCategory' | 'eventAction' | 'eventName';

type EventsMethod = 'getCategory' | 'getAction' | 'getName';

/** Each report's own dimension and its secondary dimensions, the default first (Matomo's Events API). */
const REPORTS: Record<EventsMethod, { primary: EventDimension; secondary: readonly EventDimension[] }> = {
  getCategory: { primary: 'eventCategory', secondary: ['eventAction', 'eventName'] },
  getAction: { primary: 'eventAction', secondary: ['eventName', 'eventCategory'] },
  getName: { primary: 'eventName', secondary: ['eventAction', 'eventCategory'] },
};

/** Matomo's label for events without a name (`General_NotDefined` of `Events_EventName`). */
export const EVENT_NAME_NOT_SET = 'Event Name not defined';

interface EventHit {
  idvisit: number;
  /** The visitor, and on a longer period the event's local day (`visitorDay`). */
  visitor: string;
  labels: Record<EventDimension, string>;
  value: number | null;
}

interface Totals {
  visits: Set<number>;
  visitors: Set<string>;
  events: number;
  withValue: number;
  sum: number;
  min: number | null;
  max: number | null;
}

export const getEventCategories = (context: AnalyticsContext): Promise<ResultOf<'Events.getCategory'>> =>
  eventsReport(context, 'getCategory');
export const getEventActions = (context: AnalyticsContext): Promise<ResultOf<'Events.getAction'>> =>
  eventsReport(context, 'getAction');
export const getEventNames = (context: AnalyticsContext): Promise<ResultOf<'Events.getName'>> =>
  eventsReport(context, 'getName');

/**
 * `Events.getCategory`, `getAction` and `getName`: events by one of their dimensions, each row
 * with the `idsubdatatable` of its subtable, the rows of the secondary dimension
 * (`secondaryDimension`, by default Matomo's: category → action, action → name, name → action),
 * nested with `expanded=1`. `flat=1` lists every subtable row as `parent - child`, with both
 * labels in Matomo's dimension columns (`Events_EventCategory`, …) and no segment. An event
 * belongs to the period of its own time. Values are summed, and averaged over the events that
 * have one, to two decimals (Matomo's AverageEventValue); min and max are null without values.
 * Top rows carry a segment, but for events without a name (Matomo's AddSegmentValue skips
 * `EVENT_NAME_NOT_SET`).
 */
async function eventsReport(
  context: AnalyticsContext,
  method: EventsMethod,
): Promise<ResultOf<'Events.getCategory'>> {
  const report = REPORTS[method];
  const secondary = readSecondaryDimension(context, method);
  const expanded = readFlag(context.params, 'expanded');
  const flat = readFlag(context.params, 'flat');
  const window = readRowWindow(context.params);
  const scope = await resolveReportScope(context);
  const [cells, ids] = await Promise.all([
    queryEvents(context.db, scope, scopeSegment(context.params, scope)),
    flat ? Promise.resolve(new Map<string, number>()) : subtableIds(context.db, report.primary),
  ]);
  const daily = dailyActionUniques(scope);
  return shapeResult(scope, ({ site }, period): EventRow[] => {
    const hits = cells.get(cellKey(site.idsite, period)) ?? [];
    const groups = [...group(hits, report.primary)];
    if (flat) return windowRows(flatRows(groups, { primary: report.primary, secondary, daily }), window);
    const rows = groups.map(([label, labelHits]): EventRow => {
      const row = toRow(label, totalsOf(labelHits), daily);
      if (label !== EVENT_NAME_NOT_SET || report.primary !== 'eventName')
        row.segment = `${report.primary}==${phpUrlEncode(label)}`;
      const id = ids.get(label);
      if (id !== undefined) row.idsubdatatable = id;
      if (expanded) row.subtable = subtableRows(labelHits, secondary, { withSegment: false, daily });
      return row;
    });
    return windowRows(sortRows(rows), window);
  });
}

/** Matomo's dimension column of a flattened row (`Events_EventCategory`, …). */
const FLAT_COLUMNS = {
  eventCategory: 'Events_EventCategory',
  eventAction: 'Events_EventAction',
  eventName: 'Events_EventName',
} as const satisfies Record<EventDimension, keyof EventRow>;

/** `flat=1`: Matomo's Flattener, each parent's subtable rows in order, labelled `parent - child`. */
function flatRows(
  groups: readonly [string, EventHit[]][],
  { primary, secondary, daily }: { primary: EventDimension; secondary: EventDimension; daily: boolean },
): EventRow[] {
  const parents = sortRows(groups.map(([label, hits]) => ({ ...toRow(label, totalsOf(hits), daily), hits })));
  return parents.flatMap(({ label: parent, hits }) =>
    subtableRows(hits, secondary, { withSegment: false, daily }).map((child) => ({
      ...child,
      label: `${parent} - ${child.label}`,
      [FLAT_COLUMNS[primary]]: parent,
      [FLAT_COLUMNS[secondary]]: child.label,
    })),
  );
}

/**
 * The rows of one dimension over some events; with a segment on its own dimension (subtable
 * reports); `daily` for a longer period than a day (see `toRow`).
 */
function subtableRows(
  hits: readonly EventHit[],
  dimension: EventDimension,
  { withSegment, daily }: { withSegment: boolean; daily: boolean },
): EventRow[] {
  return sortRows(
    [...group(hits, dimension)].map(([label, labelHits]) => {
      const row = toRow(label, totalsOf(labelHits), daily);
      if (withSegment && !(label === EVENT_NAME_NOT_SET && dimension === 'eventName'))
        row.segment = `${dimension}==${phpUrlEncode(label)}`;
      return row;
    }),
  );
}

type SubtableMethod =
  | 'getActionFromCategoryId'
  | 'getNameFromCategoryId'
  | 'getCategoryFromActionId'
  | 'getNameFromActionId'
  | 'getActionFromNameId'
  | 'getCategoryFromNameId';

/** Each subtable report: the parent report whose rows hand out the ids, and its own dimension. */
const SUBTABLES: Record<SubtableMethod, { parent: EventsMethod; dimension: EventDimension }> = {
  getActionFromCategoryId: { parent: 'getCategory', dimension: 'eventAction' },
  getNameFromCategoryId: { parent: 'getCategory', dimension: 'eventName' },
  getCategoryFromActionId: { parent: 'getAction', dimension: 'eventCategory' },
  getNameFromActionId: { parent: 'getAction', dimension: 'eventName' },
  getActionFromNameId: { parent: 'getName', dimension: 'eventAction' },
  getCategoryFromNameId: { parent: 'getName', dimension: 'eventCategory' },
};

export const getEventActionsFromCategoryId = (
  context: AnalyticsContext,
): Promise<ResultOf<'Events.getActionFromCategoryId'>> => eventsSubtable(context, 'getActionFromCategoryId');
export const getEventNamesFromCategoryId = (
  context: AnalyticsContext,
): Promise<ResultOf<'Events.getNameFromCategoryId'>> => eventsSubtable(context, 'getNameFromCategoryId');
export const getEventCategoriesFromActionId = (
  context: AnalyticsContext,
): Promise<ResultOf<'Events.getCategoryFromActionId'>> => eventsSubtable(context, 'getCategoryFromActionId');
export const getEventNamesFromActionId = (
  context: AnalyticsContext,
): Promise<ResultOf<'Events.getNameFromActionId'>> => eventsSubtable(context, 'getNameFromActionId');
export const getEventActionsFromNameId = (
  context: AnalyticsContext,
): Promise<ResultOf<'Events.getActionFromNameId'>> => eventsSubtable(context, 'getActionFromNameId');
export const getEventCategoriesFromNameId = (
  context: AnalyticsContext,
): Promise<ResultOf<'Events.getCategoryFromNameId'>> => eventsSubtable(context, 'getCategoryFromNameId');

/**
 * `Events.getActionFromCategoryId` and the five others: the subtable of one parent row, by the
 * `idsubdatatable` that row hands out, with a segment on the subtable's own dimension (Matomo's
 * AddSegmentBySegmentValue takes the subtable report's dimension). As Matomo's archive: an id
 * that names no row gives empty tables, `idSubtable` must be a number or `all` (which names no
 * row either).
 */
async function eventsSubtable(
  context: AnalyticsContext,
  method: SubtableMethod,
): Promise<ResultOf<'Events.getCategory'>> {
  const { parent, dimension } = SUBTABLES[method];
  const text = requireParam(context.params, 'idSubtable');
  if (text.toLowerCase() !== 'all' && !PHP_NUMERIC.test(text))
    throw new MatomoApiError(`idSubtable needs to be a number or 'all', '${text}' given.`);
  const primary = REPORTS[parent].primary;
  const ids = /^[1-9]\d*$/.test(text) ? await subtableIds(context.db, primary) : new Map<string, number>();
  const label = [...ids].find(([, id]) => String(id) === text)?.[0];
  const scope = await resolveReportScope(context);
  const cells =
    label === undefined
      ? new Map<string, EventHit[]>()
      : await queryEvents(context.db, scope, scopeSegment(context.params, scope));
  return shapeResult(scope, ({ site }, period): EventRow[] => {
    const hits = (cells.get(cellKey(site.idsite, period)) ?? []).filter(
      (hit) => hit.labels[primary] === label,
    );
    return subtableRows(hits, dimension, { withSegment: true, daily: dailyActionUniques(scope) });
  });
}

/** PHP's `is_numeric`: leading whitespace, a sign, digits with an optional fraction and exponent. */
const PHP_NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/**
 * Each value's subtable id: the id of its first event (`idlink_va`), over the whole log, so the
 * same for every site, period and segment (events are only added, so a value's first stays first).
 */
async function subtableIds(db: Db, dimension: EventDimension): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('log_link_visit_action as e')
    .leftJoin('log_action as v', 'v.idaction', ID_COLUMNS[dimension])
    .select((eb) => ['v.name', eb.fn.min('e.idlink_va').as('id')])
    .where('e.action_type', '=', 'event')
    .groupBy([ID_COLUMNS[dimension], 'v.name'])
    .execute();
  return new Map(rows.map((row) => [row.name ?? EVENT_NAME_NOT_SET, Number(row.id)]));
}

const ID_COLUMNS = {
  eventCategory: 'e.idaction_event_category',
  eventAction: 'e.idaction_event_action',
  eventName: 'e.idaction_name',
} as const;

function readSecondaryDimension(context: AnalyticsContext, method: EventsMethod): EventDimension {
  const { secondary } = REPORTS[method];
  const value = context.params.get('secondaryDimension');
  if (value === undefined || value === '' || value === '0') return secondary[0] as EventDimension;
  const found = secondary.find((dimension) => dimension === value);
  if (!found)
    throw new MatomoApiError(
      `Secondary dimension '${value}' is not valid for the API ${method}. Use one of: ${secondary.join(', ')}`,
    );
  return found;
}

function group(hits: readonly EventHit[], dimension: EventDimension): Map<string, EventHit[]> {
  const groups = new Map<string, EventHit[]>();
  for (const hit of hits) {
    const label = hit.labels[dimension];
    const list = groups.get(label);
    if (list) list.push(hit);
    else groups.set(label, [hit]);
  }
  return groups;
}

function totalsOf(hits: readonly EventHit[]): Totals {
  const totals: Totals = {
    visits: new Set(),
    visitors: new Set(),
    events: 0,
    withValue: 0,
    sum: 0,
    min: null,
    max: null,
  };
  for (const hit of hits) {
    totals.visits.add(hit.idvisit);
    totals.visitors.add(hit.visitor);
    totals.events++;
    if (hit.value === null) continue;
    totals.withValue++;
    totals.sum += hit.value;
    totals.min = totals.min === null ? hit.value : Math.min(totals.min, hit.value);
    totals.max = totals.max === null ? hit.value : Math.max(totals.max, hit.value);
  }
  return totals;
}

const round2 = (value: number | null): number | null => (value === null ? null : quotient(value, 1, 2));

/**
 * A row in Matomo's column order. A day's row starts with its unique visitors; a longer period
 * is summed from day archives, which renames them `sum_daily_nb_uniq_visitors` (distinct visitor
 * and local day pairs) and moves them after the summed columns, before the processed average.
 */
function toRow(label: string, totals: Totals, daily: boolean): EventRow {
  const uniques = totals.visitors.size;
  return {
    label,
    ...(daily ? {} : { nb_uniq_visitors: uniques }),
    nb_visits: totals.visits.size,
    nb_events: totals.events,
    nb_events_with_value: totals.withValue,
    sum_event_value: round2(totals.sum) ?? 0,
    min_event_value: round2(totals.min),
    max_event_value: round2(totals.max),
    ...(daily ? { sum_daily_nb_uniq_visitors: uniques } : {}),
    avg_event_value: quotient(totals.sum, totals.withValue, 2),
  };
}

/** Most visits first, then most events, then by label. */
function sortRows<T extends EventRow>(rows: T[]): T[] {
  return rows.sort(
    (a, b) =>
      b.nb_visits - a.nb_visits ||
      b.nb_events - a.nb_events ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
}

/** Every event of every site and period (by the event's own time), keyed by `cellKey`. */
async function queryEvents(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<Map<string, EventHit[]>> {
  const cells = new Map<string, EventHit[]>();
  if (scope.sites.length === 0) return cells;
  const rows = await db
    .selectFrom('log_link_visit_action as e')
    .innerJoin('log_action as c', 'c.idaction', 'e.idaction_event_category')
    .innerJoin('log_action as a', 'a.idaction', 'e.idaction_event_action')
    .leftJoin('log_action as n', 'n.idaction', 'e.idaction_name')
    .select([
      'e.idsite',
      'e.idvisit',
      'e.custom_float',
      'c.name as category',
      'a.name as action',
      'n.name as name',
    ])
    .select(periodIndex(scope.sites, 'e.idsite', 'e.server_time').as('period'))
    .select(visitorDay(scope, 'e.idsite', 'e.visitor_id', 'e.server_time').as('visitor'))
    .where('e.action_type', '=', 'event')
    .where(inPeriods(scope.sites, 'e.idsite', 'e.server_time'))
    .where(segment.visitIds('e.idvisit'))
    .orderBy('e.idlink_va')
    .execute();
  for (const row of rows) {
    const cell = cellKey(toNumber(row.idsite), toNumber(row.period));
    const hits = cells.get(cell) ?? [];
    cells.set(cell, hits);
    hits.push({
      idvisit: row.idvisit,
      visitor: String(row.visitor),
      labels: {
        eventCategory: row.category,
        eventAction: row.action,
        eventName: row.name ?? EVENT_NAME_NOT_SET,
      },
      value: row.custom_float === null ? null : Number(row.custom_float),
    });
  }
  return cells;
}
