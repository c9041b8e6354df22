import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AnalyticsContext, ResultOf } from './context';
import { quotient, toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import { phpUrlEncode } from './php-url-encode';
import { type ReportScope, resolveReportScope, shapeResult } from './report-scope';
import { readFlag, readRowWindow, windowRows } from './request-params';
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
  labels: Record<EventDimension, string>;
  value: number | null;
}

interface Totals {
  visits: Set<number>;
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
 * `Events.getCategory`, `getAction` and `getName`: events by one of their dimensions, with
 * `expanded=1` nesting the rows of the secondary dimension (`secondaryDimension`, by default
 * Matomo's: category → action, action → name, name → action). An event belongs to the period of
 * its own time. Values are summed, and averaged over the events that have one, to two decimals
 * (Matomo's AverageEventValue); min and max are null without values. Top rows carry a segment,
 * but for events without a name (Matomo's AddSegmentValue skips `EVENT_NAME_NOT_SET`).
 */
async function eventsReport(
  context: AnalyticsContext,
  method: EventsMethod,
): Promise<ResultOf<'Events.getCategory'>> {
  const report = REPORTS[method];
  const secondary = readSecondaryDimension(context, method);
  const expanded = readFlag(context.params, 'expanded');
  const window = readRowWindow(context.params);
  const scope = await resolveReportScope(context);
  const cells = await queryEvents(context.db, scope, scopeSegment(context.params, scope));
  return shapeResult(scope, ({ site }, period): EventRow[] => {
    const hits = cells.get(cellKey(site.idsite, period)) ?? [];
    const rows = [...group(hits, report.primary)].map(([label, labelHits]): EventRow => {
      const row = toRow(label, totalsOf(labelHits));
      if (label !== EVENT_NAME_NOT_SET || report.primary !== 'eventName')
        row.segment = `${report.primary}==${phpUrlEncode(label)}`;
      if (expanded)
        row.subtable = sortRows(
          [...group(labelHits, secondary)].map(([inner, hits]) => toRow(inner, totalsOf(hits))),
        );
      return row;
    });
    return windowRows(sortRows(rows), window);
  });
}

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
  const totals: Totals = { visits: new Set(), events: 0, withValue: 0, sum: 0, min: null, max: null };
  for (const hit of hits) {
    totals.visits.add(hit.idvisit);
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

function toRow(label: string, totals: Totals): EventRow {
  return {
    label,
    nb_visits: totals.visits.size,
    nb_events: totals.events,
    nb_events_with_value: totals.withValue,
    sum_event_value: round2(totals.sum) ?? 0,
    min_event_value: round2(totals.min),
    max_event_value: round2(totals.max),
    avg_event_value: quotient(totals.sum, totals.withValue, 2),
  };
}

/** Most visits first, then most events, then by label. */
function sortRows(rows: EventRow[]): EventRow[] {
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
