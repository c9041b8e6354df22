import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Selectable } from 'kysely';
import type { LogVisitTable } from '../db/analytics.schema';
import { DAY_MS } from './calendar';
import type { AnalyticsContext, ResultOf } from './context';
import { continentName, continentOf } from './continents';
import { countryName } from './country-names';
import { countActions, countConversions, describeVisit, loadActions, loadSiteLabels } from './live-visits';
import { countryFlag } from './location-names';
import { prettyDuration } from './metrics';
import { loadReportSites, type ReportSite } from './report-sites';
import { type SegmentFilter, segmentOn } from './segments';
import { offsetAt } from './timezone';

type LogVisitRow = Selectable<LogVisitTable>;
type Visit = components['schemas']['Visit'];
type VisitorProfile = components['schemas']['VisitorProfile'];
type ProfileVisitSummary = components['schemas']['VisitorProfileVisitSummary'];

/** Matomo's `VISITOR_PROFILE_MAX_VISITS_TO_SHOW`: the default of `limitVisits`. */
const VISITS_TO_SHOW = 10;
/** Matomo's `live_visitor_profile_max_visits_to_aggregate` (global.ini.php). */
const VISITS_TO_AGGREGATE = 100;

const LONG_DATE = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * `Live.getVisitorProfile`, for one site: a visitor's last (up to 100) visits, aggregated, and
 * the `limitVisits` most recent (10 by default) in Live's visit format. `visitorId` defaults to
 * the visitor of the site's most recent visit; `segment` keeps only the visits it matches.
 * Without visits the result is an empty array, as Matomo's.
 */
export async function getVisitorProfile(
  context: AnalyticsContext,
): Promise<ResultOf<'Live.getVisitorProfile'>> {
  const { params, db } = context;
  const [site] = await loadReportSites(db, context.sites.ids);
  if (!site || context.sites.ids.length !== 1) return [];
  const segment = segmentOn(db, params, [site]);
  const limitVisits = readLimitVisits(params.get('limitVisits'));
  const visitorId = params.get('visitorId') ?? (await mostRecentVisitorId(context, site, segment));
  if (visitorId === undefined) return [];

  const rows = await db
    .selectFrom('log_visit')
    .selectAll()
    .where('idsite', '=', site.idsite)
    .where('visitor_id', '=', visitorId.toLowerCase())
    .where(segment.visits('log_visit'))
    .orderBy('visit_last_action_time', 'desc')
    .orderBy('idvisit', 'desc')
    .limit(VISITS_TO_AGGREGATE + 1)
    .execute();
  const hasMoreVisits = rows.length > VISITS_TO_AGGREGATE;
  const visitRows = rows.slice(0, VISITS_TO_AGGREGATE);
  const [latest] = visitRows;
  const oldest = visitRows.at(-1);
  if (!latest || !oldest) return [];

  const labels = await loadSiteLabels(context, [site]);
  const label = labels.get(site.idsite);
  if (!label) return [];
  const actions = await loadActions(context, visitRows, new Map([[site.idsite, site]]), labels);
  const counts = await countActions(context, visitRows);
  const conversions = await countConversions(context, visitRows);
  const visits = visitRows.map(
    (row): Visit =>
      describeVisit(row, site, label, {
        counts: counts.get(row.idvisit) ?? { events: 0, searches: 0, interactions: 0 },
        goalConversions: conversions.get(row.idvisit) ?? 0,
        actionDetails: actions.get(row.idvisit) ?? [],
      }),
  );
  const first = hasMoreVisits ? await firstVisitOf(context, site, latest.visitor_id) : oldest;
  const now = context.now();
  const latestTime = Number(latest.visit_last_action_time);
  return {
    visitorId: latest.visitor_id,
    hasMoreVisits,
    totalVisits: visits.length,
    totalVisitDuration: sum(visits.map((visit) => visit.visitDuration)),
    ...actionTotals(visits),
    lastVisits: visits.slice(0, limitVisits),
    nextVisitorId: await adjacentVisitorId(context, site, segment, latest.visitor_id, latestTime, 'next'),
    previousVisitorId: await adjacentVisitorId(
      context,
      site,
      segment,
      latest.visitor_id,
      latestTime,
      'previous',
    ),
    totalVisitDurationPretty: prettyDuration(sum(visits.map((visit) => visit.visitDuration))),
    firstVisit: visitSummary(first, site, now),
    lastVisit: visitSummary(latest, site, now),
    visitsAggregated: visits.length,
    visitedPages: visitedPages(visits),
    devices: devices(visitRows),
    continents: continents(visitRows),
    countries: countries(visitRows),
  };
}

/** Matomo: `limitVisits` that is not a number above 0 is the default. */
function readLimitVisits(text: string | undefined): number {
  if (text === undefined || !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text))
    return VISITS_TO_SHOW;
  const value = Number(text);
  return value > 0 ? Math.max(1, Math.trunc(value)) : VISITS_TO_SHOW;
}

/** The visitor of the site's most recent visit (by last action) that the segment keeps. */
async function mostRecentVisitorId(
  context: AnalyticsContext,
  site: ReportSite,
  segment: SegmentFilter,
): Promise<string | undefined> {
  const row = await context.db
    .selectFrom('log_visit')
    .select('visitor_id')
    .where('idsite', '=', site.idsite)
    .where(segment.visits('log_visit'))
    .orderBy('visit_last_action_time', 'desc')
    .orderBy('idvisit', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.visitor_id;
}

/** Matomo's `Live.getFirstVisitForVisitorId`, used when the visitor has more visits than are aggregated. */
async function firstVisitOf(
  context: AnalyticsContext,
  site: ReportSite,
  visitorId: string,
): Promise<LogVisitRow> {
  return context.db
    .selectFrom('log_visit')
    .selectAll()
    .where('idsite', '=', site.idsite)
    .where('visitor_id', '=', visitorId)
    .orderBy('visit_last_action_time', 'asc')
    .orderBy('idvisit', 'asc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

/**
 * Matomo's `queryAdjacentVisitorId`: among the other visitors whose latest visit within a day of
 * this visitor's latest one is at or before it (`next`, the one just before, as the visitor log
 * lists newest first) or at or after it (`previous`, the one just after); false when none.
 */
async function adjacentVisitorId(
  context: AnalyticsContext,
  site: ReportSite,
  segment: SegmentFilter,
  visitorId: string,
  latestTime: number,
  direction: 'next' | 'previous',
): Promise<string | false> {
  const time = Math.floor(latestTime / 1000) * 1000;
  const row = await context.db
    .selectFrom('log_visit')
    .select((eb) => ['visitor_id', eb.fn.max('visit_last_action_time').as('last')])
    .where('idsite', '=', site.idsite)
    .where('visitor_id', '<>', visitorId)
    .where('visit_last_action_time', '>=', time - DAY_MS)
    .where('visit_last_action_time', '<', time + DAY_MS + 1000)
    .where(segment.visits('log_visit'))
    .groupBy('visitor_id')
    .$if(direction === 'next', (qb) =>
      qb.having((eb) => eb.fn.max('visit_last_action_time'), '<', time + 1000).orderBy('last', 'desc'),
    )
    .$if(direction === 'previous', (qb) =>
      qb.having((eb) => eb.fn.max('visit_last_action_time'), '>=', time).orderBy('last', 'asc'),
    )
    .limit(1)
    .executeTakeFirst();
  return row?.visitor_id ?? false;
}

interface ActionTotals {
  totalActions: number;
  totalOutlinks: number;
  totalDownloads: number;
  totalSearches: number;
  totalPageViews: number;
  totalUniquePageViews: number;
  totalRevisitedPages: number;
  totalEvents: number;
  searches: { keyword: string; searches: number }[];
}

/** Matomo's Actions and Events `VisitorDetails` profiles: totals over every aggregated visit's actions. */
function actionTotals(visits: readonly Visit[]): ActionTotals {
  const pages = pageCounts(visits);
  const keywords = new Map<string, number>();
  let outlinks = 0;
  let downloads = 0;
  let pageViews = 0;
  let events = 0;
  for (const action of visits.flatMap((visit) => visit.actionDetails ?? [])) {
    if (action.type === 'event') events += 1;
    if (action.type === 'outlink') outlinks += 1;
    if (action.type === 'download') downloads += 1;
    if (action.type === 'action') pageViews += 1;
    if (action.siteSearchKeyword !== undefined) {
      keywords.set(action.siteSearchKeyword, (keywords.get(action.siteSearchKeyword) ?? 0) + 1);
    }
  }
  return {
    totalActions: sum(visits.map((visit) => visit.actions)),
    totalOutlinks: outlinks,
    totalDownloads: downloads,
    // Matomo counts each keyword once.
    totalSearches: keywords.size,
    totalPageViews: pageViews,
    totalUniquePageViews: pages.size,
    totalRevisitedPages: [...pages.values()].filter((count) => count >= 2).length,
    totalEvents: events,
    // arsort: most searched first; a stable sort keeps ties in the order first seen.
    searches: [...keywords]
      .map(([keyword, searches]) => ({ keyword, searches }))
      .sort((a, b) => b.searches - a.searches),
  };
}

function pageCounts(visits: readonly Visit[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const action of visits.flatMap((visit) => visit.actionDetails ?? [])) {
    if (action.type === 'action' && action.url !== '')
      counts.set(action.url, (counts.get(action.url) ?? 0) + 1);
  }
  return counts;
}

/** Pages viewed, most first, then by URL. */
function visitedPages(visits: readonly Visit[]): { url: string; count: number }[] {
  return [...pageCounts(visits)]
    .map(([url, count]) => ({ url, count }))
    .sort((a, b) => b.count - a.count || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** Matomo's `getVisitorProfileVisitSummary`. */
function visitSummary(visit: LogVisitRow, site: ReportSite, now: number): ProfileVisitSummary {
  const first = Number(visit.visit_first_action_time);
  const localFirst = first + offsetAt(first, site.timezone);
  // Matomo's `Date::factory('today', $timezone)`: today's UTC midnight, shifted by the offset.
  const midnight = Math.floor(now / DAY_MS) * DAY_MS;
  const today = midnight + offsetAt(midnight, site.timezone);
  return {
    date: Math.floor(first / 1000),
    prettyDate: LONG_DATE.format(localFirst),
    // PHP's (int) cast truncates toward 0; `|| 0` keeps a visit earlier today at 0, not -0.
    daysAgo: Math.trunc((Math.floor(today / 1000) - Math.floor(localFirst / 1000)) / 86_400) || 0,
    referrerType: visit.referrer_type,
    referrerUrl: visit.referrer_url ?? '',
    referralSummary: referralSummary(visit),
  };
}

/** Matomo's `getReferrerSummaryForVisit`. */
function referralSummary(visit: LogVisitRow): string {
  const name = visit.referrer_name ?? '';
  const keyword = visit.referrer_keyword ?? '';
  switch (visit.referrer_type) {
    case 'direct':
      return 'Direct Entry';
    case 'search':
      return keyword === '' ? name : `${name} (${keyword})`;
    case 'campaign':
      return keyword === '' ? `Campaign: ${name}` : `Campaign: ${name} - ${keyword}`;
    default:
      return name;
  }
}

/** Visits per device type: most first, compared as strings the way PHP's `strcmp` does, then by type. */
function devices(rows: readonly LogVisitRow[]): VisitorProfile['devices'] {
  const counts = countInOrder(rows.map((row) => row.device_type));
  return [...counts]
    .sort(([typeA, a], [typeB, b]) => compareStrings(String(b), String(a)) || compareStrings(typeA, typeB))
    .map(([type, count]) => ({
      type,
      count,
      icon: `plugins/Morpheus/icons/dist/devices/${type === 'Unknown' ? 'unknown' : type.toLowerCase().replaceAll(' ', '_')}.png`,
    }));
}

/** Visits per continent, fewest first (PHP's `asort`, ties in the order first seen). */
function continents(rows: readonly LogVisitRow[]): VisitorProfile['continents'] {
  const counts = countInOrder(rows.map((row) => continentOf(row.location_country)));
  return [...counts]
    .sort(([, a], [, b]) => a - b)
    .map(([continent, nb_visits]) => ({ continent, nb_visits, prettyName: continentName(continent) }));
}

/** Visits per country, fewest first (PHP's `asort`), each with its distinct cities. */
function countries(rows: readonly LogVisitRow[]): VisitorProfile['countries'] {
  const counts = countInOrder(rows.map((row) => row.location_country));
  return [...counts]
    .sort(([, a], [, b]) => a - b)
    .map(([country, nb_visits]) => {
      const cities = [
        ...new Set(
          rows.flatMap((row) =>
            row.location_country === country && row.location_city ? [row.location_city] : [],
          ),
        ),
      ];
      return {
        country,
        nb_visits,
        flag: countryFlag(country),
        prettyName: countryName(country),
        ...(cities.length === 0 ? {} : { cities }),
      };
    });
}

function countInOrder<K>(keys: readonly K[]): Map<K, number> {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
