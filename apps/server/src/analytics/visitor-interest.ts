import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { type Keyed, resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey } from './visit-metrics';

type VisitorInterestRow = components['schemas']['VisitorInterestRow'];

/** A bucket of Matomo's VisitorInterest archiver: `max` undefined means "more than `min - 1`". */
interface Bucket {
  label: string;
  min: number;
  max?: number;
  segment: string;
}

/**
 * Matomo's `Archiver::$timeGap` in seconds, with its labels. The buckets overlap at 60, 120, …
 * (`between 31 and 60`, then `between 60 and 120`): Matomo counts such a visit in both.
 */
const DURATION_BUCKETS: readonly Bucket[] = [
  seconds(0, 10, '0–10s'),
  seconds(11, 30, '11–30s'),
  seconds(31, 60, '31–60s'),
  seconds(60, 120, '1-2 min'),
  seconds(120, 240, '2-4 min'),
  seconds(240, 420, '4-7 min'),
  seconds(420, 600, '7-10 min'),
  seconds(600, 900, '10-15 min'),
  seconds(900, 1800, '15-30 min'),
  { label: '30+ min', min: 1801, segment: 'visitDuration>=1801' },
];

/** Matomo's `Archiver::$pageGap` (over all actions of a visit, not page views only). */
const PAGE_BUCKETS: readonly Bucket[] = [
  ...[1, 2, 3, 4, 5].map(
    (count): Bucket => ({
      label: count === 1 ? '1 page' : `${count} pages`,
      min: count,
      max: count,
      segment: `actions==${count}`,
    }),
  ),
  pages(6, 7),
  pages(8, 10),
  pages(11, 14),
  pages(15, 20),
  { label: '21+ pages', min: 21, segment: 'actions>=21' },
];

function seconds(min: number, max: number, label: string): Bucket {
  return { label, min, max, segment: `visitDuration>=${min};visitDuration<=${max}` };
}

function pages(min: number, max: number): Bucket {
  return { label: `${min}-${max} pages`, min, max, segment: `actions>=${min};actions<=${max}` };
}

/** `VisitorInterest.getNumberOfVisitsPerVisitDuration`: visits per length bucket, every bucket listed. */
export function getNumberOfVisitsPerVisitDuration(
  context: AnalyticsContext,
): Promise<ResultOf<'VisitorInterest.getNumberOfVisitsPerVisitDuration'>> {
  return visitsPerBucket(context, 'visit_total_time', DURATION_BUCKETS);
}

/** `VisitorInterest.getNumberOfVisitsPerPage`: visits per number of actions, every bucket listed. */
export function getNumberOfVisitsPerPage(
  context: AnalyticsContext,
): Promise<ResultOf<'VisitorInterest.getNumberOfVisitsPerPage'>> {
  return visitsPerBucket(context, 'visit_total_actions', PAGE_BUCKETS);
}

/**
 * Visits per bucket of a `log_visit` column, in Matomo's bucket order. A period without visits
 * is `[]` (Matomo archives nothing for it); otherwise every bucket has a row, 0 included.
 */
async function visitsPerBucket(
  context: AnalyticsContext,
  column: 'visit_total_time' | 'visit_total_actions',
  buckets: readonly Bucket[],
): Promise<Keyed<VisitorInterestRow[]>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const cells = byCell(
    await queryVisitGroups(context.db, scope, { by: sql.ref(column), segment, uniques: false }),
  );
  return shapeResult(scope, ({ site }, period): VisitorInterestRow[] => {
    const groups = cells.get(cellKey(site.idsite, period)) ?? [];
    if (groups.length === 0) return [];
    return buckets.map(({ label, min, max, segment: rowSegment }) => {
      const inBucket = (value: number) => value >= min && (max === undefined || value <= max);
      const nb_visits = groups
        .filter((group) => inBucket(Number(group.key)))
        .reduce((sum, group) => sum + group.metrics.nb_visits, 0);
      return { label, nb_visits, segment: rowSegment };
    });
  });
}
