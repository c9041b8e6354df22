import type { Db } from '../../db/database';
import { dialectOf } from '../../db/dialect';
import { dialectSql } from '../../db/dialect-sql';
import type { Params } from '../../http/params';
import type { ReportScope } from '../report-scope';
import type { ReportSite } from '../report-sites';
import { readSegmentFilter, type SegmentFilter } from './segment-filter';

export { ALL_VISITS, readSegmentFilter, type SegmentFilter } from './segment-filter';

/** The request's `segment`, for the given sites, in the SQL of `db`. */
export function segmentOn(db: Db, params: Params, sites: readonly ReportSite[]): SegmentFilter {
  return readSegmentFilter(params, sites, dialectSql(dialectOf(db)));
}

/** The request's `segment`, for the sites of a report. */
export function scopeSegment(params: Params, scope: ReportScope): SegmentFilter {
  return readSegmentFilter(
    params,
    scope.sites.map(({ site }) => site),
    scope.dialect,
  );
}
