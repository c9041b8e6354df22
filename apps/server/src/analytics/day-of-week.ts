import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import { MatomoApiError } from '../errors/matomo-api-error';
import { isoWeekday } from './calendar';
import type { AnalyticsContext, ResultOf } from './context';
import { boundsOf, type PeriodDays } from './periods';
import { type ReportScope, resolveReportScope, type SiteScope } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey, type VisitMetrics } from './visit-metrics';

type DayOfWeekRow = components['schemas']['DayOfWeekRow'];

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/**
 * `VisitTime.getByDayOfWeek`, for one site and one period (plugins/VisitTime/API.php): the
 * period's day archives added up per weekday, seven rows Monday to Sunday with `day_of_week`
 * 1 to 7. A weekday without visits is only `nb_visits: 0`; a period without any visit is `[]`.
 * As each day's archive counts its own unique visitors, a weekday's are the sum over its days.
 */
export async function getByDayOfWeek(
  context: AnalyticsContext,
): Promise<ResultOf<'VisitTime.getByDayOfWeek'>> {
  const scope = await resolveReportScope(context);
  if (scope.selection.multiple) {
    throw new MatomoApiError('VisitTime.getByDayOfWeek does not support multiple dates.');
  }
  if (scope.sites.length > 1) {
    throw new MatomoApiError('VisitTime.getByDayOfWeek does not support multiple sites.');
  }
  const [period] = scope.selection.periods;
  const days = period ? daysOf(period) : [];
  const perDay: ReportScope = {
    ...scope,
    selection: { period: 'day', periods: days, multiple: true },
    sites: scope.sites.map(({ site }) => ({ site, bounds: boundsOf(days, site.timezone) })),
  };
  const segment = scopeSegment(context.params, perDay);
  const cells = byCell(await queryVisitGroups(context.db, perDay, { by: sql<number>`0`, segment }));
  const rowsOf = ({ site }: SiteScope): DayOfWeekRow[] => {
    const byWeekday = new Map<number, VisitMetrics>();
    days.forEach((day, index) => {
      for (const group of cells.get(cellKey(site.idsite, index)) ?? []) {
        const weekday = isoWeekday(day.first);
        byWeekday.set(weekday, added(byWeekday.get(weekday), group.metrics));
      }
    });
    if (byWeekday.size === 0) return [];
    return DAY_NAMES.map((label, index): DayOfWeekRow => {
      const day_of_week = index + 1;
      const metrics = byWeekday.get(day_of_week);
      if (!metrics) return { label, nb_visits: 0, day_of_week };
      return {
        label,
        nb_visits: metrics.nb_visits,
        nb_uniq_visitors: metrics.nb_uniq_visitors,
        nb_actions: metrics.nb_actions,
        nb_users: metrics.nb_users,
        sum_visit_length: metrics.sum_visit_length,
        bounce_count: metrics.bounce_count,
        nb_visits_converted: metrics.nb_visits_converted,
        day_of_week,
      };
    });
  };
  if (!scope.bySite) return scope.sites[0] ? rowsOf(scope.sites[0]) : [];
  // `idSite=all` (or a list) naming one site: Matomo keys the one table by its id.
  return Object.fromEntries(scope.sites.map((site) => [String(site.site.idsite), rowsOf(site)]));
}

function daysOf(period: PeriodDays): PeriodDays[] {
  return Array.from({ length: period.last - period.first + 1 }, (_, offset) => {
    const day = period.first + offset;
    return { label: String(day), first: day, last: day };
  });
}

function added(a: VisitMetrics | undefined, b: VisitMetrics): VisitMetrics {
  if (!a) return b;
  return {
    nb_uniq_visitors: a.nb_uniq_visitors + b.nb_uniq_visitors,
    nb_users: a.nb_users + b.nb_users,
    nb_visits: a.nb_visits + b.nb_visits,
    nb_visits_converted: a.nb_visits_converted + b.nb_visits_converted,
    nb_actions: a.nb_actions + b.nb_actions,
    max_actions: Math.max(a.max_actions, b.max_actions),
    sum_visit_length: a.sum_visit_length + b.sum_visit_length,
    bounce_count: a.bounce_count + b.bounce_count,
  };
}
