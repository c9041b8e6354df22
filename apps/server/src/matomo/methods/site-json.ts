import type { components } from '@matomo-oauth2/sdk/openapi';
import type { SiteRow } from '../../db/schema';
import { matomoDateTime } from '../../protocol/matomo-date';
import { currencyName, timezoneName } from '../../sites/site-labels';

export type SiteJson = components['schemas']['Site'];

/**
 * A site as `SitesManager.getSiteFromId` shows it: Matomo's fields in Matomo's order (the site
 * table's columns, then `timezone_name` and `currency_name`). Matomo shows `creator_login` to
 * super users only ("don't want to expose other user logins").
 */
export function siteJson(row: SiteRow, { showCreator = true } = {}): SiteJson {
  const site: SiteJson = {
    idsite: row.idsite,
    name: row.name,
    main_url: row.main_url,
    ts_created: matomoDateTime(row.ts_created),
    ecommerce: row.ecommerce === 1 ? 1 : 0,
    sitesearch: row.sitesearch === 1 ? 1 : 0,
    sitesearch_keyword_parameters: row.sitesearch_keyword_parameters,
    sitesearch_category_parameters: row.sitesearch_category_parameters,
    timezone: row.timezone,
    currency: row.currency,
    exclude_unknown_urls: row.exclude_unknown_urls === 1 ? 1 : 0,
    excluded_ips: row.excluded_ips,
    excluded_parameters: row.excluded_parameters,
    excluded_user_agents: row.excluded_user_agents,
    excluded_referrers: row.excluded_referrers,
    group: row.site_group,
    type: 'website',
    keep_url_fragment: row.keep_url_fragment,
    timezone_name: timezoneName(row.timezone),
    currency_name: currencyName(row.currency),
  };
  if (!showCreator) return site;
  // Matomo's order: creator_login comes before the two names it adds.
  const { timezone_name, currency_name, ...columns } = site;
  return { ...columns, creator_login: row.creator_login, timezone_name, currency_name };
}
