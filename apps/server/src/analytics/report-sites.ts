import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';

/** What the analytics engine needs to know about a site. */
export interface ReportSite {
  idsite: number;
  /** IANA name or `UTC`. */
  timezone: string;
  /** Without a trailing slash, ready to prefix a path. */
  mainUrl: string;
}

/** The sites, in ascending id order. An id that does not exist is Matomo's "unexpected website" error. */
export async function loadReportSites(db: Db, ids: readonly number[]): Promise<ReportSite[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('sites')
    .select(['idsite', 'timezone', 'main_url'])
    .where('idsite', 'in', [...ids])
    .orderBy('idsite')
    .execute();
  const found = new Set(rows.map((row) => row.idsite));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) {
    throw new MatomoApiError(
      `An unexpected website was found in the request: website id was set to '${missing}' .`,
    );
  }
  return rows.map((row) => ({
    idsite: row.idsite,
    timezone: row.timezone,
    mainUrl: row.main_url.replace(/\/+$/, ''),
  }));
}
