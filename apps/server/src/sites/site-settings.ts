import { isIP } from 'node:net';
import type { SiteUpdate } from '../db/schema';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { Params } from '../http/params';

/** A list parameter: `name[]=a&name[]=b`, `name=a&name=b`, or one string split on `separator`. */
export function listParam(params: Params, name: string, separator: RegExp): string[] | undefined {
  const values = [...params.getAll(name), ...params.getAll(`${name}[]`)];
  if (values.length === 0) return undefined;
  return values
    .flatMap((value) => (values.length === 1 ? value.split(separator) : [value]))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function flag(params: Params, name: string): 0 | 1 | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === '1' || value === 'true') return 1;
  if (value === '0' || value === 'false') return 0;
  throw new MatomoApiError(`The parameter ${name} must be 1 or 0.`);
}

function validTimezone(zone: string): boolean {
  if (zone === 'UTC') return true;
  try {
    return (
      new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone.length > 0 &&
      zone.includes('/')
    );
  } catch {
    return false;
  }
}

function validIpRule(rule: string): boolean {
  const [address, bits, extra] = rule.split('/');
  if (extra !== undefined || address === undefined) return false;
  const version = isIP(address.replace(/\*/g, '0'));
  if (version === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * The settings of `SitesManager.addSite` / `updateSite` that were sent, validated as Matomo
 * does (with Matomo-style messages). Only what was sent is returned.
 */
export function readSiteSettings(params: Params): SiteUpdate {
  const changes: SiteUpdate = {};
  const name = params.get('siteName');
  if (name !== undefined || params.sent('siteName')) {
    if (name === undefined || name.trim().length === 0 || name.length > 90) {
      throw new MatomoApiError('The site name must be 1 to 90 characters.');
    }
    changes.name = name.trim();
  }
  const urls = listParam(params, 'urls', /[,\n]/);
  if (urls !== undefined) {
    for (const url of urls) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || url.length > 2048) {
        throw new MatomoApiError(`The url '${url.slice(0, 100)}' is not a valid URL.`);
      }
    }
    if (urls.length === 0) throw new MatomoApiError('You must specify at least one URL for the site.');
    changes.urls = JSON.stringify(urls);
    changes.main_url = urls[0] as string;
  }
  const ecommerce = flag(params, 'ecommerce');
  if (ecommerce !== undefined) changes.ecommerce = ecommerce;
  const siteSearch = flag(params, 'siteSearch');
  if (siteSearch !== undefined) changes.sitesearch = siteSearch;
  const timezone = params.get('timezone');
  if (timezone !== undefined) {
    if (!validTimezone(timezone))
      throw new MatomoApiError(`The timezone '${timezone.slice(0, 60)}' is not valid.`);
    changes.timezone = timezone;
  }
  const currency = params.get('currency');
  if (currency !== undefined) {
    if (!/^[A-Z]{3}$/.test(currency))
      throw new MatomoApiError(`The currency '${currency.slice(0, 10)}' is not valid.`);
    changes.currency = currency;
  }
  const excludedIps = listParam(params, 'excludedIps', /[,\n]/);
  if (excludedIps !== undefined) {
    const invalid = excludedIps.find((rule) => !validIpRule(rule));
    if (invalid !== undefined)
      throw new MatomoApiError(`The IP to exclude '${invalid.slice(0, 60)}' is not valid.`);
    changes.excluded_ips = excludedIps.join(',');
  }
  const group = params.get('group');
  if (group !== undefined) {
    if (group.length > 250) throw new MatomoApiError('The group must be at most 250 characters.');
    changes.site_group = group;
  }
  return changes;
}
