import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { DAY_MS } from '../calendar';

/** Days in the longest period whose archive is kept whole (a month), less its first. */
const MAX_PERIOD_DAYS = 30;

/**
 * Deletes the archives of a site that writes between two instants may have changed: every local
 * day that either could fall on in any timezone (a UTC day, one day either side), and every week
 * or month that holds one of those days. Without instants, every archive of the site (its logs
 * were deleted, its timezone changed).
 */
export async function invalidateDayArchives(
  db: Kysely<Database>,
  idsite: number,
  between?: { from: number; to: number },
): Promise<void> {
  let query = db.deleteFrom('archive_days').where('idsite', '=', idsite);
  if (between) {
    const first = Math.floor(between.from / DAY_MS) - 1;
    const last = Math.floor(between.to / DAY_MS) + 1;
    // Whole-period archives are kept under the period's last day: a month that holds one of
    // these days ends at most 30 days after it.
    query = query
      .where('day', '>=', first)
      .where((eb) =>
        eb('day', '<=', last).or(
          eb.and([eb('report', 'like', 'uniques/%'), eb('day', '<=', last + MAX_PERIOD_DAYS)]),
        ),
      );
  }
  await query.execute();
}
