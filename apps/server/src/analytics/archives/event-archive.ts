import type { Db } from '../../db/database';
import { toNumber } from '../metrics';
import { inPeriods, periodIndex } from '../period-buckets';
import type { ReportScope } from '../report-scope';
import { ALL_VISITS, type SegmentFilter } from '../segments';
import { cellKey } from '../visit-metrics';
import { type DayArchivedReport, type ScopedRow, sumDayArchives, sumDaysFromLogs } from './day-archive';

/** An event dimension, by its segment name. */
export type EventDimension = 'eventCategory' | 'eventAction' | 'eventName';

/** Matomo's label for events without a name (`General_NotDefined` of `Events_EventName`). */
export const EVENT_NAME_NOT_SET = 'Event Name not defined';

/** The figures of one row of an Events report, in one site and period. */
export interface EventMetrics {
  /** Distinct visits; on a longer period the sum of its days' (a visit counts on each of its days). */
  nb_visits: number;
  /** Distinct visitors; on a longer period distinct (visitor, local day) pairs. */
  nb_uniq_visitors: number;
  nb_events: number;
  nb_events_with_value: number;
  sum_event_value: number;
  min_event_value: number | null;
  max_event_value: number | null;
}

/** Per cell (`cellKey`), each label's metrics. */
export type EventTotals = Map<string, Map<string, EventMetrics>>;
/** Per cell (`cellKey`), each primary label's secondary labels and their metrics. */
export type EventPairs = Map<string, Map<string, Map<string, EventMetrics>>>;

/** The order of dimensions in a pair's archive, so that (category, action) and (action, category) share one. */
const ORDER: readonly EventDimension[] = ['eventCategory', 'eventAction', 'eventName'];

interface EventHit {
  idvisit: number;
  visitor: string;
  labels: Record<EventDimension, string>;
  value: number | null;
}

/** A row of a day: the labels of its grouping and its metrics. */
interface GroupRow {
  labels: string[];
  metrics: EventMetrics;
}

/**
 * The Events reports' figures for one request: from day archives without a segment, else from
 * the logs, summed per day either way (Matomo archives events per day and sums the days into
 * longer periods), so that both give the same figures to the last bit: a period's sum of values
 * adds its days' sums in day order, and a day's adds its events in the order they were logged.
 * Within a day, distinct visits and visitors of a row are not the sum of its sub-rows', so each
 * dimension alone and each pair of dimensions has its own day archive (`events/eventCategory`,
 * `events/eventCategory/eventAction`, …).
 */
export function eventMetrics(db: Db, scope: ReportScope, segment: SegmentFilter) {
  // One read of the logs per span of days, whichever groupings a request needs from it.
  const loads = new Map<string, Promise<Map<string, EventHit[]>>>();
  const hitsOf = (days: ReportScope) => {
    const periods = days.selection.periods;
    const key = `${periods[0]?.first}:${periods[periods.length - 1]?.last}`;
    let load = loads.get(key);
    if (!load) {
      load = loadDayHits(db, days, segment);
      loads.set(key, load);
    }
    return load;
  };
  const grouped = (dimensions: readonly EventDimension[]): Promise<ScopedRow<GroupRow>[]> => {
    const report: DayArchivedReport<GroupRow> = {
      report: ['events', ...dimensions].join('/'),
      compute: async (days) => groupDays(days, await hitsOf(days), dimensions),
      keyOf: (row) => JSON.stringify(row.labels),
      add: (a, b) => ({ labels: a.labels, metrics: addMetrics(a.metrics, b.metrics) }),
    };
    return scope.archives && segment === ALL_VISITS
      ? sumDayArchives(db, scope, report, scope.now)
      : sumDaysFromLogs(scope, report);
  };
  return {
    /** Each label of `dimension`, per cell. */
    async totals(dimension: EventDimension): Promise<EventTotals> {
      const cells: EventTotals = new Map();
      for (const { idsite, period, row } of await grouped([dimension])) {
        const cell = cellKey(idsite, period);
        const labels = cells.get(cell) ?? new Map<string, EventMetrics>();
        cells.set(cell, labels);
        labels.set(row.labels[0] as string, row.metrics);
      }
      return cells;
    },
    /** Each label of `primary`, and within it each label of `secondary`, per cell. */
    async pairs(primary: EventDimension, secondary: EventDimension): Promise<EventPairs> {
      const inOrder = ORDER.indexOf(primary) < ORDER.indexOf(secondary);
      const cells: EventPairs = new Map();
      for (const { idsite, period, row } of await grouped(
        inOrder ? [primary, secondary] : [secondary, primary],
      )) {
        const [first, second] = row.labels as [string, string];
        const [parent, child] = inOrder ? [first, second] : [second, first];
        const cell = cellKey(idsite, period);
        const parents = cells.get(cell) ?? new Map<string, Map<string, EventMetrics>>();
        cells.set(cell, parents);
        const children = parents.get(parent) ?? new Map<string, EventMetrics>();
        parents.set(parent, children);
        children.set(child, row.metrics);
      }
      return cells;
    },
  };
}

function addMetrics(a: EventMetrics, b: EventMetrics): EventMetrics {
  return {
    nb_visits: a.nb_visits + b.nb_visits,
    nb_uniq_visitors: a.nb_uniq_visitors + b.nb_uniq_visitors,
    nb_events: a.nb_events + b.nb_events,
    nb_events_with_value: a.nb_events_with_value + b.nb_events_with_value,
    sum_event_value: a.sum_event_value + b.sum_event_value,
    min_event_value: extreme(a.min_event_value, b.min_event_value, Math.min),
    max_event_value: extreme(a.max_event_value, b.max_event_value, Math.max),
  };
}

function extreme(a: number | null, b: number | null, pick: (a: number, b: number) => number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return pick(a, b);
}

/** Each day's rows of one grouping, from that day's events in the order they were logged. */
function groupDays(
  days: ReportScope,
  hits: Map<string, EventHit[]>,
  dimensions: readonly EventDimension[],
): ScopedRow<GroupRow>[] {
  const rows: ScopedRow<GroupRow>[] = [];
  for (const { site } of days.sites) {
    for (let period = 0; period < days.selection.periods.length; period++) {
      const groups = new Map<
        string,
        { labels: string[]; visits: Set<number>; visitors: Set<string> } & EventMetrics
      >();
      for (const hit of hits.get(cellKey(site.idsite, period)) ?? []) {
        const labels = dimensions.map((dimension) => hit.labels[dimension]);
        const key = JSON.stringify(labels);
        let group = groups.get(key);
        if (!group) {
          group = {
            labels,
            visits: new Set(),
            visitors: new Set(),
            nb_visits: 0,
            nb_uniq_visitors: 0,
            nb_events: 0,
            nb_events_with_value: 0,
            sum_event_value: 0,
            min_event_value: null,
            max_event_value: null,
          };
          groups.set(key, group);
        }
        group.visits.add(hit.idvisit);
        group.visitors.add(hit.visitor);
        group.nb_events++;
        if (hit.value === null) continue;
        group.nb_events_with_value++;
        group.sum_event_value += hit.value;
        group.min_event_value = extreme(group.min_event_value, hit.value, Math.min);
        group.max_event_value = extreme(group.max_event_value, hit.value, Math.max);
      }
      for (const { labels, visits, visitors, ...metrics } of groups.values()) {
        metrics.nb_visits = visits.size;
        metrics.nb_uniq_visitors = visitors.size;
        rows.push({ idsite: site.idsite, period, row: { labels, metrics } });
      }
    }
  }
  return rows;
}

/** Every event of every site and day of `days` (by the event's own time), keyed by `cellKey`, in log order. */
async function loadDayHits(
  db: Db,
  days: ReportScope,
  segment: SegmentFilter,
): Promise<Map<string, EventHit[]>> {
  const cells = new Map<string, EventHit[]>();
  if (days.sites.length === 0) return cells;
  const rows = await db
    .selectFrom('log_link_visit_action as e')
    .innerJoin('log_action as c', 'c.idaction', 'e.idaction_event_category')
    .innerJoin('log_action as a', 'a.idaction', 'e.idaction_event_action')
    .leftJoin('log_action as n', 'n.idaction', 'e.idaction_name')
    .select([
      'e.idsite',
      'e.idvisit',
      'e.visitor_id',
      'e.custom_float',
      'c.name as category',
      'a.name as action',
      'n.name as name',
    ])
    .select(periodIndex(days.sites, 'e.idsite', 'e.server_time').as('period'))
    .where('e.action_type', '=', 'event')
    .where(inPeriods(days.sites, 'e.idsite', 'e.server_time'))
    .where(segment.visitIds('e.idvisit'))
    .orderBy('e.idlink_va')
    .execute();
  for (const row of rows) {
    const cell = cellKey(toNumber(row.idsite), toNumber(row.period));
    const hits = cells.get(cell) ?? [];
    cells.set(cell, hits);
    hits.push({
      idvisit: row.idvisit,
      visitor: row.visitor_id,
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
