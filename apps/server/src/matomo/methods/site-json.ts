import type { components } from '@matomo-oauth2/sdk/openapi';
import type { SiteRow } from '../../db/schema';
import { matomoDateTime } from '../../protocol/matomo-date';

export type SiteJson = components['schemas']['Site'];

/** A site as `SitesManager.getSiteFromId` shows it. */
export function siteJson(row: SiteRow): SiteJson {
  return {
    idsite: row.idsite,
    name: row.name,
    main_url: row.main_url,
    ts_created: matomoDateTime(row.ts_created),
    ecommerce: row.ecommerce === 1 ? 1 : 0,
    sitesearch: row.sitesearch === 1 ? 1 : 0,
    timezone: row.timezone,
    currency: row.currency,
    excluded_ips: row.excluded_ips,
    group: row.site_group,
    type: 'website',
    creator_login: row.creator_login,
  };
}
