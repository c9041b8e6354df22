import type { RawBuilder } from 'kysely';
import type { Db } from '../db/database';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import type { ReportScope } from './report-scope';
import type { SegmentFilter } from './segments';
import { cellKey } from './visit-metrics';

/** A city row's `lat` and `long`. */
export interface CityCoordinates {
  lat: number;
  long: number;
}

/** Matomo rounds a city's coordinates to this many decimals (`LocationProvider::GEOGRAPHIC_COORD_PRECISION`). */
const PRECISION = 1000;

/** PHP's `round`: halves away from zero. */
function phpRound(value: number): number {
  return (Math.sign(value) * Math.round(Math.abs(value) * PRECISION)) / PRECISION;
}

/**
 * The coordinates of each city label per site and period, as Matomo's archiver finds them
 * (plugins/UserCountry/RecordBuilders/Locations.php): the largest latitude and the largest
 * longitude of the city's visits (MySQL's MAX skips visits without), kept when both are set (a
 * DECIMAL reads as a string in PHP, so even `0.000000` passes `!empty`), rounded to three
 * decimals. Keyed by `cellKey` and label.
 */
export async function queryCityCoordinates(
  db: Db,
  scope: ReportScope,
  label: RawBuilder<string>,
  segment: SegmentFilter,
): Promise<Map<string, CityCoordinates>> {
  const found = new Map<string, CityCoordinates>();
  if (scope.sites.length === 0) return found;
  const rows = await db
    .selectFrom('log_visit')
    .select((eb) => [
      'idsite',
      periodIndex(scope.sites, 'idsite', 'visit_last_action_time').as('period'),
      label.as('label'),
      eb.fn.max('location_latitude').as('lat'),
      eb.fn.max('location_longitude').as('long'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'visit_last_action_time'))
    .where(segment.visits('log_visit'))
    .groupBy(['idsite', 'period', 'label'])
    .execute();
  for (const row of rows) {
    if (row.label === '' || row.lat === null || row.long === null) continue;
    const lat = toNumber(row.lat);
    const long = toNumber(row.long);
    const key = `${cellKey(toNumber(row.idsite), toNumber(row.period))}|${row.label}`;
    found.set(key, { lat: phpRound(lat), long: phpRound(long) });
  }
  return found;
}
