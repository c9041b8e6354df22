import type { Params } from '../../http/params';
import type { ReportScope } from '../report-scope';
import { readSegmentFilter, type SegmentFilter } from './segment-filter';

export { ALL_VISITS, readSegmentFilter, type SegmentFilter } from './segment-filter';

/** The request's `segment`, for the sites of a report. */
export function scopeSegment(params: Params, scope: ReportScope): SegmentFilter {
  return readSegmentFilter(
    params,
    scope.sites.map(({ site }) => site),
  );
}
