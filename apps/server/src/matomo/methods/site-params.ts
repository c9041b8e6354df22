import type { Params } from '../../http/params';
import type { SiteSettingsInput } from '../../sites/site-settings';
import { listParam } from '../list-param';

/** The settings `SitesManager.addSite` and `updateSite` were sent, as Matomo names them. */
export function readSiteSettings(params: Params): SiteSettingsInput {
  return {
    // Sent but empty counts: an empty name is refused, not ignored.
    name: params.sent('siteName') ? (params.get('siteName') ?? '') : undefined,
    urls: listParam(params, 'urls', /[,\n]/),
    ecommerce: params.get('ecommerce'),
    siteSearch: params.get('siteSearch'),
    timezone: params.get('timezone'),
    currency: params.get('currency'),
    excludedIps: listParam(params, 'excludedIps', /[,\n]/),
    group: params.get('group'),
  };
}
