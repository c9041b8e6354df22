import { MatomoApiError } from '../errors/matomo-api-error';
import type { AnalyticsContext, ResultOf } from './context';
import { toNumber } from './metrics';
import { loadReportSites } from './report-sites';
import { requireParam, shown } from './request-params';
import { segmentOn } from './segments';

export const MAX_LAST_MINUTES = 2880;

/**
 * `Live.getCounters`, for one site: visits whose last action, and actions, fall in the last
 * `lastMinutes` minutes (1 to 2880), and their distinct visitors; with a segment, of the visits it keeps. No goals: `visitsConverted` is 0.
 */
export async function getCounters(context: AnalyticsContext): Promise<ResultOf<'Live.getCounters'>> {
  const { db, sites, params } = context;
  const text = requireParam(params, 'lastMinutes');
  const minutes = Number(text);
  if (!/^[1-9]\d{0,3}$/.test(text) || minutes > MAX_LAST_MINUTES) {
    throw new MatomoApiError(
      `The parameter 'lastMinutes' must be a whole number from 1 to ${MAX_LAST_MINUTES}, got '${shown(text)}'.`,
    );
  }
  const [idSite] = sites.ids;
  if (sites.multiple || idSite === undefined || sites.ids.length !== 1) {
    throw new MatomoApiError('Live.getCounters reports on one site only: pass a single idSite.');
  }
  const segment = segmentOn(db, params, await loadReportSites(db, [idSite]));
  const since = context.now() - minutes * 60_000;
  const visits = await db
    .selectFrom('log_visit')
    .select((eb) => [eb.fn.countAll().as('visits'), eb.fn.count('visitor_id').distinct().as('visitors')])
    .where('idsite', '=', idSite)
    .where('visit_last_action_time', '>=', since)
    .where(segment.visits('log_visit'))
    .executeTakeFirst();
  const actions = await db
    .selectFrom('log_link_visit_action')
    .select((eb) => eb.fn.countAll().as('actions'))
    .where('idsite', '=', idSite)
    .where('server_time', '>=', since)
    .where(segment.visitIds('idvisit'))
    .executeTakeFirst();
  return [
    {
      visits: toNumber(visits?.visits),
      actions: toNumber(actions?.actions),
      visitors: toNumber(visits?.visitors),
      visitsConverted: 0,
    },
  ];
}
