import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import { dailyActionUniques } from './action-uniques';
import {
  EVENT_NAME_NOT_SET,
  type EventDimension,
  type EventMetrics,
  eventMetrics,
} from './archives/event-archive';
import type { AnalyticsContext, ResultOf } from './context';
import { quotient } from './metrics';
import { phpUrlEncode } from './php-url-encode';
import { resolveReportScope, shapeResult } from './report-scope';
import { readFlag, readRowWindow, requireParam, windowRows } from './request-params';
import { scopeSegment } from './segments';
import { cellKey } from './visit-metrics';

export { EVENT_NAME_NOT_SET } from './archives/event-archive';

type EventRow = components['schemas']['EventRow'];

type EventsMethod = 'getCategory' | 'getAction' | 'getName';

/** Each report's own dimension and its secondary dimensions, the default first (Matomo's Events API). */
const REPORTS: Record<EventsMethod, { primary: EventDimension; secondary: readonly EventDimension[] }> = {
  getCategory: { primary: 'eventCategory', secondary: ['eventAction', 'eventName'] },
  getAction: { primary: 'eventAction', secondary: ['eventName', 'eventCategory'] },
  getName: { primary: 'eventName', secondary: ['eventAction', 'eventCategory'] },
};

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
 * belongs to the period of its own time; a longer period sums its days (`eventMetrics`). Values
 * are summed, and averaged over the events that have one, to two decimals (Matomo's
 * AverageEventValue); min and max are null without values. Top rows carry a segment, but for
 * events without a name (Matomo's AddSegmentValue skips `EVENT_NAME_NOT_SET`).
 */
async function eventsReport(
  context: AnalyticsContext,
  method: EventsMethod,
): Promise<ResultOf<'Events.getCategory'>> {
  const { primary } = REPORTS[method];
  const secondary = readSecondaryDimension(context, method);
  const expanded = readFlag(context.params, 'expanded');
  const flat = readFlag(context.params, 'flat');
  const window = readRowWindow(context.params);
  const scope = await resolveReportScope(context);
  const metrics = eventMetrics(context.db, scope, scopeSegment(context.params, scope));
  const [totals, pairs, ids] = await Promise.all([
    metrics.totals(primary),
    flat || expanded ? metrics.pairs(primary, secondary) : Promise.resolve(undefined),
    flat ? Promise.resolve(new Map<string, number>()) : subtableIds(context.db, primary),
  ]);
  const daily = dailyActionUniques(scope);
  return shapeResult(scope, ({ site }, period): EventRow[] => {
    const cell = cellKey(site.idsite, period);
    const labels = [...(totals.get(cell) ?? [])];
    const children = (label: string) => pairs?.get(cell)?.get(label) ?? new Map<string, EventMetrics>();
    if (flat) return windowRows(flatRows(labels, children, { primary, secondary, daily }), window);
    const rows = labels.map(([label, labelMetrics]): EventRow => {
      const row = toRow(label, labelMetrics, daily);
      if (label !== EVENT_NAME_NOT_SET || primary !== 'eventName')
        row.segment = `${primary}==${phpUrlEncode(label)}`;
      const id = ids.get(label);
      if (id !== undefined) row.idsubdatatable = id;
      if (expanded) row.subtable = subtableRows(children(label), secondary, { withSegment: false, daily });
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
  labels: readonly [string, EventMetrics][],
  children: (label: string) => Map<string, EventMetrics>,
  { primary, secondary, daily }: { primary: EventDimension; secondary: EventDimension; daily: boolean },
): EventRow[] {
  const parents = sortRows(labels.map(([label, metrics]) => toRow(label, metrics, daily)));
  return parents.flatMap(({ label: parent }) =>
    subtableRows(children(parent), secondary, { withSegment: false, daily }).map((child) => ({
      ...child,
      label: `${parent} - ${child.label}`,
      [FLAT_COLUMNS[primary]]: parent,
      [FLAT_COLUMNS[secondary]]: child.label,
    })),
  );
}

/**
 * The rows of a subtable, labels of `dimension`; with a segment on its own dimension (subtable
 * reports); `daily` for a longer period than a day (see `toRow`).
 */
function subtableRows(
  labels: Map<string, EventMetrics>,
  dimension: EventDimension,
  { withSegment, daily }: { withSegment: boolean; daily: boolean },
): EventRow[] {
  return sortRows(
    [...labels].map(([label, metrics]) => {
      const row = toRow(label, metrics, daily);
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
      ? new Map<string, Map<string, Map<string, EventMetrics>>>()
      : await eventMetrics(context.db, scope, scopeSegment(context.params, scope)).pairs(primary, dimension);
  return shapeResult(scope, ({ site }, period): EventRow[] => {
    const labels = cells.get(cellKey(site.idsite, period))?.get(label as string) ?? new Map();
    return subtableRows(labels, dimension, { withSegment: true, daily: dailyActionUniques(scope) });
  });
}

/** PHP's `is_numeric`: leading whitespace, a sign, digits with an optional fraction and exponent. */
const PHP_NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/**
 * Each value's subtable id: the id of its first event (`idlink_va`), over the whole log, so the
 * same for every site, period and segment (events are only added, so a value's first stays first).
 * The first event per value is read from an index of events only (migration
 * `2026-12-12T09-00-event-first-hits`), not from every action.
 */
async function subtableIds(db: Db, dimension: EventDimension): Promise<Map<string, number>> {
  const column = ID_COLUMNS[dimension];
  const firsts = db
    .selectFrom('log_link_visit_action')
    .select((eb) => [eb.ref(column).as('idaction'), eb.fn.min('idlink_va').as('id')])
    .where('action_type', '=', 'event')
    .groupBy(column);
  const rows = await db
    .selectFrom(firsts.as('f'))
    .leftJoin('log_action as v', 'v.idaction', 'f.idaction')
    .select(['v.name', 'f.id'])
    .execute();
  const ids = new Map<string, number>();
  for (const row of rows) {
    const label = row.name ?? EVENT_NAME_NOT_SET;
    const id = Number(row.id);
    ids.set(label, Math.min(id, ids.get(label) ?? id));
  }
  return ids;
}

const ID_COLUMNS = {
  eventCategory: 'idaction_event_category',
  eventAction: 'idaction_event_action',
  eventName: 'idaction_name',
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

const round2 = (value: number | null): number | null => (value === null ? null : quotient(value, 1, 2));

/**
 * A row in Matomo's column order. A day's row starts with its unique visitors; a longer period
 * is summed from day archives, which renames them `sum_daily_nb_uniq_visitors` (distinct visitor
 * and local day pairs) and moves them after the summed columns, before the processed average.
 */
function toRow(label: string, metrics: EventMetrics, daily: boolean): EventRow {
  const uniques = metrics.nb_uniq_visitors;
  return {
    label,
    ...(daily ? {} : { nb_uniq_visitors: uniques }),
    nb_visits: metrics.nb_visits,
    nb_events: metrics.nb_events,
    nb_events_with_value: metrics.nb_events_with_value,
    sum_event_value: round2(metrics.sum_event_value) ?? 0,
    min_event_value: round2(metrics.min_event_value),
    max_event_value: round2(metrics.max_event_value),
    ...(daily ? { sum_daily_nb_uniq_visitors: uniques } : {}),
    avg_event_value: quotient(metrics.sum_event_value, metrics.nb_events_with_value, 2),
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
