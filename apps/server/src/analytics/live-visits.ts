import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Selectable } from 'kysely';
import type { ActionType, LogVisitTable } from '../db/analytics.schema';
import { MatomoApiError } from '../errors/matomo-api-error';
import { formatDay } from './calendar';
import type { AnalyticsContext, ResultOf } from './context';
import { countryName } from './country-names';
import { prettyDuration } from './metrics';
import { inPeriods } from './period-buckets';
import { REFERRER_TYPES } from './referrer-types';
import { resolveReportScope } from './report-scope';
import { loadReportSites, type ReportSite } from './report-sites';
import { readFlag, readNonNegativeInteger, readRowWindow } from './request-params';
import { readSegmentFilter } from './segments';
import { localDayOf } from './timezone';

type LogVisitRow = Selectable<LogVisitTable>;

type Visit = components['schemas']['Visit'];
type VisitAction = components['schemas']['VisitAction'];

/** Even `filter_limit=-1` returns at most this many visits: each one carries its actions. */
export const MAX_LIVE_VISITS = 10_000;

/**
 * `Live.getLastVisitsDetails`: the most recent visits of the sites, newest first (by last action
 * time), across sites. `period` and `date` (both, or neither) restrict them to those periods;
 * `minTimestamp` to visits whose last action is after that Unix time; `segment` to the visits it keeps.
 */
export async function getLastVisitsDetails(
  context: AnalyticsContext,
): Promise<ResultOf<'Live.getLastVisitsDetails'>> {
  const { params, db } = context;
  const window = readRowWindow(params);
  const minTimestamp = readNonNegativeInteger(params, 'minTimestamp');
  const withoutActions = readFlag(params, 'doNotFetchActions');
  const period = params.get('period');
  const date = params.get('date');
  if ((period === undefined) !== (date === undefined)) {
    throw new MatomoApiError(`Please specify a value for '${period === undefined ? 'period' : 'date'}'.`);
  }
  if (context.sites.ids.length === 0) return [];
  const scope = period === undefined ? undefined : await resolveReportScope(context, period, date);
  const sites = scope ? scope.sites.map((s) => s.site) : await loadReportSites(db, context.sites.ids);
  const segment = readSegmentFilter(params, sites);
  const limit = Math.min(window.limit ?? MAX_LIVE_VISITS, MAX_LIVE_VISITS);

  const visits = await db
    .selectFrom('log_visit')
    .selectAll()
    .where('idsite', 'in', context.sites.ids)
    .where(segment.visits('log_visit'))
    .$if(scope !== undefined, (qb) =>
      qb.where(inPeriods(scope?.sites ?? [], 'idsite', 'visit_last_action_time')),
    )
    .$if(minTimestamp !== undefined, (qb) =>
      qb.where('visit_last_action_time', '>', (minTimestamp ?? 0) * 1000),
    )
    .orderBy('visit_last_action_time', 'desc')
    .orderBy('idvisit', 'desc')
    .limit(limit)
    .offset(window.offset)
    .execute();

  const siteById = new Map(sites.map((site) => [site.idsite, site]));
  const actions = withoutActions ? undefined : await loadActions(context, visits, siteById);
  const events = await countEvents(context, visits);
  return visits.map((visit) => {
    const site = siteById.get(visit.idsite);
    if (!site) throw new Error(`site ${visit.idsite} was not loaded`);
    const details = describeVisit(visit, site, events.get(visit.idvisit) ?? 0);
    if (actions) details.actionDetails = actions.get(visit.idvisit) ?? [];
    return details;
  });
}

/** A visit in Live's format; `events` is its number of events (Matomo's `visit_total_events`). */
export function describeVisit(visit: LogVisitRow, site: ReportSite, events: number): Visit {
  const first = Number(visit.visit_first_action_time);
  const last = Number(visit.visit_last_action_time);
  const details: Visit = {
    idSite: visit.idsite,
    idVisit: visit.idvisit,
    visitorId: visit.visitor_id,
    visitIp: visit.location_ip,
    serverDate: formatDay(localDayOf(first, site.timezone)),
    serverTimestamp: Math.floor(last / 1000),
    firstActionTimestamp: Math.floor(first / 1000),
    lastActionTimestamp: Math.floor(last / 1000),
    lastActionDateTime: new Date(last).toISOString().slice(0, 19).replace('T', ' '),
    visitDuration: visit.visit_total_time,
    visitDurationPretty: prettyDuration(visit.visit_total_time),
    actions: visit.visit_total_actions,
    visitCount: visit.visitor_count_visits,
    visitorType: visit.visitor_returning ? 'returning' : 'new',
    referrerType: visit.referrer_type,
    referrerTypeName: REFERRER_TYPES[visit.referrer_type].label,
    referrerName: visit.referrer_name ?? '',
    country: countryName(visit.location_country),
    countryCode: visit.location_country,
    latitude: decimalColumn(visit.location_latitude),
    longitude: decimalColumn(visit.location_longitude),
    deviceType: visit.device_type,
    browserName: visit.browser_name,
    operatingSystemName: visit.os_name,
    events,
  };
  if (visit.referrer_keyword !== null) details.referrerKeyword = visit.referrer_keyword;
  if (visit.referrer_url !== null) details.referrerUrl = visit.referrer_url;
  return details;
}

/** Each visit's number of events, by visit id (visits without events are left out). */
export async function countEvents(
  context: AnalyticsContext,
  visits: readonly LogVisitRow[],
): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const ids = visits.map((visit) => visit.idvisit);
  for (let start = 0; start < ids.length; start += 5000) {
    const rows = await context.db
      .selectFrom('log_link_visit_action')
      .select((eb) => ['idvisit', eb.fn.countAll().as('events')])
      .where('idvisit', 'in', ids.slice(start, start + 5000))
      .where('action_type', '=', 'event')
      .groupBy('idvisit')
      .execute();
    for (const row of rows) counts.set(row.idvisit, Number(row.events));
  }
  return counts;
}

/** Each visit's actions, events included, in the order they happened. */
/** A coordinate as Matomo's DECIMAL(9,6) column reads in PHP (`52.520000`); null when unknown. */
function decimalColumn(value: number | null): string | null {
  return value === null ? null : value.toFixed(6);
}

export async function loadActions(
  context: AnalyticsContext,
  visits: readonly LogVisitRow[],
  siteById: ReadonlyMap<number, ReportSite>,
): Promise<Map<number, VisitAction[]>> {
  const byVisit = new Map<number, VisitAction[]>();
  const ids = visits.map((visit) => visit.idvisit);
  for (let start = 0; start < ids.length; start += 5000) {
    const rows = await context.db
      .selectFrom('log_link_visit_action as a')
      .innerJoin('log_action as u', 'u.idaction', 'a.idaction_url')
      .leftJoin('log_action as c', 'c.idaction', 'a.idaction_event_category')
      .leftJoin('log_action as e', 'e.idaction', 'a.idaction_event_action')
      .leftJoin('log_action as n', 'n.idaction', 'a.idaction_name')
      .select([
        'a.idvisit',
        'a.idsite',
        'a.server_time',
        'a.action_type',
        'a.time_spent',
        'a.custom_float',
        'u.name',
        'u.title',
        'c.name as category',
        'e.name as eventAction',
        'n.name as eventName',
      ])
      .where('a.idvisit', 'in', ids.slice(start, start + 5000))
      .orderBy('a.idvisit')
      .orderBy('a.server_time')
      .orderBy('a.idlink_va')
      .execute();
    for (const row of rows) {
      const mainUrl = siteById.get(row.idsite)?.mainUrl ?? '';
      const action = describeAction(row, mainUrl);
      const list = byVisit.get(row.idvisit);
      if (list) list.push(action);
      else byVisit.set(row.idvisit, [action]);
    }
  }
  return byVisit;
}

interface ActionRow {
  server_time: number;
  action_type: ActionType;
  time_spent: number;
  custom_float: number | null;
  name: string;
  title: string | null;
  category: string | null;
  eventAction: string | null;
  eventName: string | null;
}

function describeAction(row: ActionRow, mainUrl: string): VisitAction {
  const timestamp = Math.floor(Number(row.server_time) / 1000);
  switch (row.action_type) {
    case 'event':
      return describeEvent(row, `${mainUrl}${row.name}`, timestamp);
    case 'action':
      return {
        type: row.action_type,
        url: `${mainUrl}${row.name}`,
        ...(row.title === null ? {} : { pageTitle: row.title }),
        timestamp,
        timeSpent: row.time_spent,
      };
    case 'search':
      return {
        type: row.action_type,
        url: `${mainUrl}/search?q=${encodeURIComponent(row.name)}`,
        siteSearchKeyword: row.name,
        timestamp,
        timeSpent: row.time_spent,
      };
    default:
      return { type: row.action_type, url: row.name, timestamp, timeSpent: row.time_spent };
  }
}

/**
 * Matomo's Events `VisitorDetails`: the page's URL, the category and action, the name and the
 * value (to three decimals) when set, and the event's icon, title and subtitle. The subtitle is
 * Matomo's as it renders it: the category's closing quote is a `'`, and the name and value never
 * show (Matomo reads them before it sets them). An event has no `timeSpent` (page views only).
 */
function describeEvent(row: ActionRow, url: string, timestamp: number): VisitAction {
  const category = row.category ?? '';
  const action = row.eventAction ?? '';
  const event: VisitAction = {
    type: 'event',
    url,
    timestamp,
    eventCategory: category,
    eventAction: action,
    icon: 'plugins/Morpheus/images/event.png',
    iconSVG: 'plugins/Morpheus/images/event.svg',
    title: 'Event',
    subtitle: `Category: "${category}'${action === '' ? '' : `, Action: "${action}"`}`,
  };
  if (row.eventName !== null && row.eventName !== '') event.eventName = row.eventName;
  if (row.custom_float !== null) event.eventValue = phpRound3(Number(row.custom_float));
  return event;
}

/** PHP's `round($value, 3)`: halves away from zero. */
function phpRound3(value: number): number {
  return (Math.sign(value) * Math.round(Math.abs(value) * 1000)) / 1000 || 0;
}
