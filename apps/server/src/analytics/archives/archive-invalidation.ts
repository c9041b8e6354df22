import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { DAY_MS } from '../calendar';

/**
 * Deletes the day archives of a site that writes between two instants may have changed: every
 * local day that either could fall on in any timezone (a UTC day, one day either side). Without
 * instants, every archive of the site (its logs were deleted, its timezone changed).
 */
export async function invalidateDayArchives(
  db: Kysely<Database>,
  idsite: number,
  between?: { from: number; to: number },
): Promise<void> {
  let query = db.deleteFrom('archive_days').where('idsite', '=', idsite);
  if (between) {
    query = query
      .where('day', '>=', Math.floor(between.from / DAY_MS) - 1)
      .where('day', '<=', Math.floor(between.to / DAY_MS) + 1);
  }
  await query.execute();
}
