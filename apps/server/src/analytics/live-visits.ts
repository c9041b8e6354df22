import type { components } from '@matomo-oauth2/sdk/openapi';
import { type Selectable, sql } from 'kysely';
import type { ActionType, LogVisitTable } from '../db/analytics.schema';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AnalyticsContext, ResultOf } from './context';
import { currencySymbol } from './currency-symbols';
import {
  deviceFields,
  languageFields,
  localTimeAndResolutionFields,
  locationFields,
  referrerFields,
  sinceFirstVisitFields,
} from './live-visit-fields';
import { type ConversionEntry, loadConversions } from './live-visit-goals';
import { readLiveWindow } from './live-window';
import { prettyDuration } from './metrics';
import { inPeriods } from './period-buckets';
import { resolveReportScope } from './report-scope';
import { loadReportSites, type ReportSite } from './report-sites';
import { readFlag, readNonNegativeInteger } from './request-params';
import { segmentOn } from './segments';
import { offsetAt } from './timezone';

type LogVisitRow = Selectable<LogVisitTable>;

type Visit = components['schemas']['Visit'];
type VisitAction = components['schemas']['VisitAction'];

/**
 * `Live.getLastVisitsDetails`: the most recent visits of the sites, newest first (by last action
 * time), across sites; oldest first with `filter_sort_order=asc` (`readLiveWindow`). `period` and
 * `date` (both, or neither) restrict them to those periods; `minTimestamp` to visits whose last
 * action is after that Unix time; `segment` to the visits it keeps.
 */
export async function getLastVisitsDetails(
  context: AnalyticsContext,
): Promise<ResultOf<'Live.getLastVisitsDetails'>> {
  const { params, db } = context;
  const window = readLiveWindow(params);
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
  const segment = segmentOn(db, params, sites);

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
    .orderBy('visit_last_action_time', window.order)
    .orderBy('idvisit', window.order)
    .limit(window.limit)
    .offset(window.offset)
    .execute();

  const siteById = new Map(sites.map((site) => [site.idsite, site]));
  const labels = await loadSiteLabels(context, sites);
  const actions = withoutActions ? undefined : await loadActions(context, visits, siteById, labels);
  const counts = await countActions(context, visits);
  const conversions = await countConversions(context, visits);
  return visits.map((visit) => {
    const site = siteById.get(visit.idsite);
    const label = labels.get(visit.idsite);
    if (!site || !label) throw new Error(`site ${visit.idsite} was not loaded`);
    return describeVisit(visit, site, label, {
      counts: counts.get(visit.idvisit) ?? NO_COUNTS,
      goalConversions: conversions.get(visit.idvisit) ?? 0,
      actionDetails: actions?.get(visit.idvisit) ?? [],
    });
  });
}

/** What Live shows of a site beside the report's view of it. */
export interface SiteLabel {
  name: string;
  currency: string;
}

/** Each site's name and currency. */
export async function loadSiteLabels(
  context: AnalyticsContext,
  sites: readonly ReportSite[],
): Promise<Map<number, SiteLabel>> {
  if (sites.length === 0) return new Map();
  const rows = await context.db
    .selectFrom('sites')
    .select(['idsite', 'name', 'currency'])
    .where(
      'idsite',
      'in',
      sites.map((site) => site.idsite),
    )
    .execute();
  return new Map(rows.map((row) => [row.idsite, { name: row.name, currency: row.currency }]));
}

/** A visit's counts of actions by kind: Matomo's `visit_total_events`, `_searches` and `_interactions`. */
export interface ActionCounts {
  events: number;
  searches: number;
  /** Page views and site searches (the actions with an entry/exit URL, `VisitTotalInteractions`). */
  interactions: number;
}

const NO_COUNTS: ActionCounts = { events: 0, searches: 0, interactions: 0 };

/** What a visit object carries beside its `log_visit` row. */
export interface VisitExtras {
  counts: ActionCounts;
  goalConversions: number;
  /** Empty with `doNotFetchActions=1`, as Matomo sends it. */
  actionDetails: VisitAction[];
}

const LONG_DATE = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `Y-m-d H:i:s` of an instant, UTC (PHP's `date` in Matomo, whose default timezone is UTC). */
function utcDateTime(instant: number): string {
  return new Date(instant).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A visit in Live's format: the fields of Matomo's `VisitorDetails` classes, in the order Matomo
 * builds them (Live, CoreHome, Actions, Referrers, UserLanguage, DevicesDetection, Events,
 * UserCountry, VisitTime, VisitorInterest, Resolution). Live's dates are UTC (`serverDate`,
 * `visitServerHour`, `lastActionDateTime`), its pretty ones in the site's timezone
 * (`Date::DATE_FORMAT_LONG`, and `TIME_FORMAT` on a 24-hour clock, the default of a user who
 * chose none).
 *
 * Matomo's fields that the visit log cannot give are left out: `fingerprint` (config_id),
 * `userId`, `daysSinceLastEcommerceOrder`, `secondsSinceLastEcommerceOrder` (no orders),
 * `deviceBrand`, `deviceModel`, `operatingSystem`, `operatingSystemVersion`, `browser`,
 * `browserVersion`, `browserFamily`, `browserFamilyDescription` (no versions, engine, brand or
 * model), `plugins`, `pluginsIcons`, `customVariables`, custom dimensions, and
 * `truncatedActionsCount` (never reached). The sites have no ecommerce: `visitEcommerceStatus` is
 * Matomo's `none`.
 */
export function describeVisit(
  visit: LogVisitRow,
  site: ReportSite,
  label: SiteLabel,
  extras: VisitExtras,
): Visit {
  const first = Number(visit.visit_first_action_time);
  const last = Number(visit.visit_last_action_time);
  const localLast = last + offsetAt(last, site.timezone);
  const localFirst = first + offsetAt(first, site.timezone);
  const converted = visit.visit_goal_converted === 1 ? 1 : 0;
  const returning = Boolean(visit.visitor_returning);
  return {
    idSite: visit.idsite,
    idVisit: visit.idvisit,
    visitIp: visit.location_ip,
    visitorId: visit.visitor_id,
    actionDetails: extras.actionDetails,
    goalConversions: extras.goalConversions,
    siteCurrency: label.currency,
    siteCurrencySymbol: currencySymbol(label.currency),
    serverDate: utcDateTime(last).slice(0, 10),
    visitServerHour: String(new Date(last).getUTCHours()),
    lastActionTimestamp: Math.floor(last / 1000),
    lastActionDateTime: utcDateTime(last),
    siteName: label.name,
    serverTimestamp: Math.floor(last / 1000),
    firstActionTimestamp: Math.floor(first / 1000),
    serverTimePretty: utcDateTime(localLast).slice(11),
    serverDatePretty: LONG_DATE.format(localLast),
    serverDatePrettyFirstAction: LONG_DATE.format(localFirst),
    serverTimePrettyFirstAction: utcDateTime(localFirst).slice(11),
    visitorType: returning ? 'returning' : 'new',
    visitorTypeIcon: returning ? 'plugins/Live/images/returningVisitor.png' : null,
    visitConverted: converted,
    visitConvertedIcon: converted === 1 ? 'plugins/Morpheus/images/goal.svg' : null,
    visitCount: visit.visitor_count_visits,
    visitEcommerceStatus: 'none',
    visitEcommerceStatusIcon: null,
    ...sinceFirstVisitFields(visit),
    visitDuration: visit.visit_total_time,
    visitDurationPretty: prettyDuration(visit.visit_total_time),
    searches: extras.counts.searches,
    actions: visit.visit_total_actions,
    interactions: extras.counts.interactions,
    ...referrerFields(visit),
    ...languageFields(visit),
    ...deviceFields(visit),
    events: extras.counts.events,
    ...locationFields(visit),
    ...localTimeAndResolutionFields(visit),
  };
}

/** Each visit's events, site searches and interactions, by visit id (visits without any are left out). */
export async function countActions(
  context: AnalyticsContext,
  visits: readonly LogVisitRow[],
): Promise<Map<number, ActionCounts>> {
  const counts = new Map<number, ActionCounts>();
  const ids = visits.map((visit) => visit.idvisit);
  for (let start = 0; start < ids.length; start += 5000) {
    const rows = await context.db
      .selectFrom('log_link_visit_action')
      .select((eb) => [
        'idvisit',
        eb.fn.sum<number>(sql`case when action_type = 'event' then 1 else 0 end`).as('events'),
        eb.fn.sum<number>(sql`case when action_type = 'search' then 1 else 0 end`).as('searches'),
        eb.fn
          .sum<number>(sql`case when action_type in ('action', 'search') then 1 else 0 end`)
          .as('interactions'),
      ])
      .where('idvisit', 'in', ids.slice(start, start + 5000))
      .groupBy('idvisit')
      .execute();
    for (const row of rows) {
      counts.set(row.idvisit, {
        events: Number(row.events),
        searches: Number(row.searches),
        interactions: Number(row.interactions),
      });
    }
  }
  return counts;
}

/** Each visit's goal conversions (Goals' `goalConversions`: ecommerce ones aside), by visit id. */
export async function countConversions(
  context: AnalyticsContext,
  visits: readonly LogVisitRow[],
): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const ids = visits.map((visit) => visit.idvisit);
  for (let start = 0; start < ids.length; start += 5000) {
    const rows = await context.db
      .selectFrom('log_conversion')
      .select((eb) => ['idvisit', eb.fn.countAll<number>().as('conversions')])
      .where('idvisit', 'in', ids.slice(start, start + 5000))
      .where('idgoal', '>', 0)
      .groupBy('idvisit')
      .execute();
    for (const row of rows) counts.set(row.idvisit, Number(row.conversions));
  }
  return counts;
}

/**
 * Each visit's actions, events included, with its goal conversions among them, sorted as
 * Matomo's `sortActionDetails`: by time (to the second), then the page view's `idlink_va` (a
 * conversion shares its page's; a manual one has none and comes first), then the type's name
 * (so a conversion follows the page view, download, event or outlink of its second, and
 * precedes a site search); ties keep actions before conversions.
 */
export async function loadActions(
  context: AnalyticsContext,
  visits: readonly LogVisitRow[],
  siteById: ReadonlyMap<number, ReportSite>,
  labels: ReadonlyMap<number, SiteLabel>,
): Promise<Map<number, VisitAction[]>> {
  const mainUrls = new Map([...siteById].map(([id, site]) => [id, site.mainUrl]));
  const currencies = new Map([...labels].map(([id, label]) => [id, label.currency]));
  const conversions = await loadConversions(context, visits, mainUrls, currencies);
  const byVisit = new Map<number, ConversionEntry[]>();
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
        'a.idlink_va',
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
      const entry = {
        action: describeAction(row, mainUrls.get(row.idsite) ?? ''),
        time: Number(row.server_time),
        idlinkVa: row.idlink_va,
      };
      const list = byVisit.get(row.idvisit);
      if (list) list.push(entry);
      else byVisit.set(row.idvisit, [entry]);
    }
  }
  const sorted = new Map<number, VisitAction[]>();
  for (const id of ids) {
    const entries = [...(byVisit.get(id) ?? []), ...(conversions.get(id) ?? [])];
    if (entries.length > 0)
      sorted.set(
        id,
        entries.sort(matomoActionOrder).map((entry) => entry.action),
      );
  }
  return sorted;
}

/** `VisitorLog::sortByActionsOnPageColumn` over time, `idlink_va` and type; a missing value first. */
function matomoActionOrder(a: ConversionEntry, b: ConversionEntry): number {
  const bySecond = Math.floor(a.time / 1000) - Math.floor(b.time / 1000);
  if (bySecond !== 0) return bySecond;
  if (a.idlinkVa !== b.idlinkVa) {
    if (a.idlinkVa === undefined) return -1;
    if (b.idlinkVa === undefined) return 1;
    return a.idlinkVa - b.idlinkVa;
  }
  return a.action.type < b.action.type ? -1 : a.action.type > b.action.type ? 1 : 0;
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
