import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import { DAY_MS } from './calendar';
import type { AnalyticsContext, ResultOf } from './context';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { offsetAt, startOfLocalDay, wallClock } from './timezone';
import { queryVisitGroups, type VisitGroup } from './visit-groups';
import { byCell, cellKey } from './visit-metrics';

type ServerTimeRow = components['schemas']['ServerTimeRow'];

const HOUR_MS = 3_600_000;

/**
 * `VisitTime.getVisitInformationPerServerTime`: visits per hour of their first action, one row
 * per hour `00` to `23` (0 included) once the period has a visit, `[]` otherwise.
 *
 * Matomo (plugins/VisitTime/RecordBuilders/ServerTime.php) groups by the UTC hour, then moves
 * each hour into the site's timezone with the offset of the period's first day; each row's
 * segment names the UTC hour again, with the offset of the period's last day
 * (`AddSegmentByLabelInUTC`).
 */
export async function getVisitInformationPerServerTime(
  context: AnalyticsContext,
): Promise<ResultOf<'VisitTime.getVisitInformationPerServerTime'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const utcHour = sql<number>`(visit_first_action_time / ${sql.lit(HOUR_MS)}) % 24`;
  const cells = byCell(await queryVisitGroups(context.db, scope, { by: utcHour, segment }));
  return shapeResult(scope, ({ site, bounds }, period): ServerTimeRow[] => {
    const groups = cells.get(cellKey(site.idsite, period)) ?? [];
    const days = scope.selection.periods[period];
    const start = bounds[period]?.start;
    if (groups.length === 0 || !days || start === undefined) return [];
    // Matomo's date of the period start: the UTC day holding the site's local midnight.
    const startDay = Math.floor(start / DAY_MS) * DAY_MS;
    const byLocalHour = new Map<number, VisitGroup['metrics']>();
    for (const group of groups) {
      const instant = startDay + Number(group.key) * HOUR_MS;
      const hour = localHour(instant + offsetAt(instant, site.timezone));
      byLocalHour.set(hour, summed(byLocalHour.get(hour), group.metrics));
    }
    const lastMidnight = startOfLocalDay(days.last, site.timezone);
    return Array.from({ length: 24 }, (_, hour): ServerTimeRow => {
      const metrics = byLocalHour.get(hour);
      return {
        label: String(hour).padStart(2, '0'),
        nb_uniq_visitors: metrics?.nb_uniq_visitors ?? 0,
        nb_visits: metrics?.nb_visits ?? 0,
        nb_actions: metrics?.nb_actions ?? 0,
        max_actions: metrics?.max_actions ?? 0,
        sum_visit_length: metrics?.sum_visit_length ?? 0,
        bounce_count: metrics?.bounce_count ?? 0,
        nb_visits_converted: metrics?.nb_visits_converted ?? 0,
        segment: `visitStartServerHour==${utcHourOf(lastMidnight, hour, site.timezone)}`,
      };
    });
  });
}

function localHour(wallClock: number): number {
  return Math.floor((((wallClock % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/**
 * The UTC hour of `hour` o'clock on the local day that starts at `midnight`, as PHP reads a local
 * time: an hour that occurs twice is its first occurrence, one skipped by DST moves forward.
 */
function utcHourOf(midnight: number, hour: number, timezone: string): number {
  const before = offsetAt(midnight, timezone);
  const wall = midnight + before + hour * HOUR_MS;
  const offsets = new Set([offsetAt(wall - DAY_MS, timezone), before, offsetAt(wall + DAY_MS, timezone)]);
  const exact = [...offsets]
    .map((offset) => wall - offset)
    .filter((utc) => wallClock(utc, timezone) === wall);
  return localHour(exact.length > 0 ? Math.min(...exact) : wall - before);
}

/** Matomo's `sumRowWithLabel`: two UTC hours landing on one local hour add up. */
function summed(a: VisitGroup['metrics'] | undefined, b: VisitGroup['metrics']): VisitGroup['metrics'] {
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
