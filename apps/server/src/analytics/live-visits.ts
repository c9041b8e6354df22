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
  return visits.map((visit) => {
    const site = siteById.get(visit.idsite);
    if (!site) throw new Error(`site ${visit.idsite} was not loaded`);
    const details = describeVisit(visit, site);
    if (actions) details.actionDetails = actions.get(visit.idvisit) ?? [];
    return details;
  });
}

export function describeVisit(visit: LogVisitRow, site: ReportSite): Visit {
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
    deviceType: visit.device_type,
    browserName: visit.browser_name,
    operatingSystemName: visit.os_name,
  };
  if (visit.referrer_keyword !== null) details.referrerKeyword = visit.referrer_keyword;
  if (visit.referrer_url !== null) details.referrerUrl = visit.referrer_url;
  return details;
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
      .select([
        'a.idvisit',
        'a.idsite',
        'a.server_time',
        'a.action_type',
        'a.time_spent',
        'u.name',
        'u.title',
      ])
      .where('a.idvisit', 'in', ids.slice(start, start + 5000))
      // Events are not in the contract's actionDetails yet.
      .where('a.action_type', '!=', 'event')
      .$narrowType<{ action_type: Exclude<ActionType, 'event'> }>()
      .orderBy('a.idvisit')
      .orderBy('a.server_time')
      .orderBy('a.idlink_va')
      .execute();
    for (const row of rows) {
      const mainUrl = siteById.get(row.idsite)?.mainUrl ?? '';
      const action: VisitAction = {
        type: row.action_type,
        url: row.name,
        timestamp: Math.floor(Number(row.server_time) / 1000),
        timeSpent: row.time_spent,
      };
      if (row.action_type === 'action') {
        action.url = `${mainUrl}${row.name}`;
        if (row.title !== null) action.pageTitle = row.title;
      } else if (row.action_type === 'search') {
        action.url = `${mainUrl}/search?q=${encodeURIComponent(row.name)}`;
        action.siteSearchKeyword = row.name;
      }
      const list = byVisit.get(row.idvisit);
      if (list) list.push(action);
      else byVisit.set(row.idvisit, [action]);
    }
  }
  return byVisit;
}
