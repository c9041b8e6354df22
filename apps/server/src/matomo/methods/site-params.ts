import type { Params } from '../../http/params';
import type { SiteSettingsInput } from '../../sites/site-settings';
import { listParam } from '../list-param';

/**
 * A Matomo comma-separated list parameter. Sent empty, it is an empty list (Matomo clears the
 * setting); absent, undefined (left as it is).
 */
function sentList(params: Params, name: string, separator = /,/): string[] | undefined {
  const sent = params.sent(name) || params.sent(`${name}[]`);
  return sent ? (listParam(params, name, separator) ?? []) : undefined;
}

/** The settings `SitesManager.addSite` and `updateSite` were sent, under Matomo's parameter names. */
export function readSiteSettings(params: Params): SiteSettingsInput {
  return {
    // Sent but empty counts: an empty name is refused, not ignored.
    name: params.sent('siteName') ? (params.get('siteName') ?? '') : undefined,
    urls: sentList(params, 'urls', /[,\n]/),
    ecommerce: params.get('ecommerce'),
    siteSearch: params.get('siteSearch'),
    searchKeywordParameters: sentList(params, 'searchKeywordParameters'),
    searchCategoryParameters: sentList(params, 'searchCategoryParameters'),
    timezone: params.get('timezone'),
    currency: params.get('currency'),
    excludedIps: sentList(params, 'excludedIps', /[,\n]/),
    excludedQueryParameters: sentList(params, 'excludedQueryParameters'),
    excludedUserAgents: sentList(params, 'excludedUserAgents'),
    excludedReferrers: sentList(params, 'excludedReferrers'),
    keepURLFragments: params.get('keepURLFragments'),
    excludeUnknownUrls: params.get('excludeUnknownUrls'),
    // Sent empty, the group is cleared (Matomo sets it to '').
    group: params.sent('group') ? (params.get('group') ?? '') : undefined,
    type: params.get('type'),
    startDate: params.get('startDate'),
  };
}
