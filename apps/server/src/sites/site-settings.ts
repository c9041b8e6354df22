import { isIP } from 'node:net';
import type { SiteUpdate } from '../db/schema';
import { ValidationError } from '../errors/domain-error';

/** A site's settings as sent; only what is present changes. */
export interface SiteSettingsInput {
  /** As sent: may be empty or blank, which is refused. */
  name?: string | undefined;
  urls?: readonly string[] | undefined;
  /** `1`/`true` or `0`/`false`, as a form or the API sends it. */
  ecommerce?: string | undefined;
  siteSearch?: string | undefined;
  timezone?: string | undefined;
  currency?: string | undefined;
  excludedIps?: readonly string[] | undefined;
  group?: string | undefined;
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

function flag(value: string, name: string): 0 | 1 {
  if (value === '1' || value === 'true') return 1;
  if (value === '0' || value === 'false') return 0;
  throw new ValidationError(`The parameter ${name} must be 1 or 0.`, name);
}

function validUrl(url: string): boolean {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  return parsed !== undefined && /^https?:$/.test(parsed.protocol) && url.length <= 2048;
}

/** A site's settings, checked: the columns to store, only what was sent. */
export type SiteSettings = SiteUpdate;

/** A new site's settings, checked: a name, and the day it was created. */
export type NewSiteSettings = SiteSettings & { name: string; ts_created: number };

/**
 * Checks the settings of a site as Matomo does (with Matomo-style messages, in Matomo's order)
 * and returns the changes to store: only what was sent.
 */
export function checkSiteSettings(input: SiteSettingsInput): SiteSettings {
  const changes: SiteUpdate = {};
  if (input.name !== undefined) {
    if (input.name.trim().length === 0 || input.name.length > 90) {
      throw new ValidationError('The site name must be 1 to 90 characters.', 'name');
    }
    changes.name = input.name.trim();
  }
  if (input.urls !== undefined) {
    const invalid = input.urls.find((url) => !validUrl(url));
    if (invalid !== undefined)
      throw new ValidationError(`The url '${invalid.slice(0, 100)}' is not a valid URL.`, 'urls');
    if (input.urls.length === 0)
      throw new ValidationError('You must specify at least one URL for the site.', 'urls');
    changes.urls = JSON.stringify(input.urls);
    changes.main_url = input.urls[0] as string;
  }
  if (input.ecommerce !== undefined) changes.ecommerce = flag(input.ecommerce, 'ecommerce');
  if (input.siteSearch !== undefined) changes.sitesearch = flag(input.siteSearch, 'siteSearch');
  if (input.timezone !== undefined) {
    if (!validTimezone(input.timezone))
      throw new ValidationError(`The timezone '${input.timezone.slice(0, 60)}' is not valid.`, 'timezone');
    changes.timezone = input.timezone;
  }
  if (input.currency !== undefined) {
    if (!/^[A-Z]{3}$/.test(input.currency))
      throw new ValidationError(`The currency '${input.currency.slice(0, 10)}' is not valid.`, 'currency');
    changes.currency = input.currency;
  }
  if (input.excludedIps !== undefined) {
    const invalid = input.excludedIps.find((rule) => !validIpRule(rule));
    if (invalid !== undefined)
      throw new ValidationError(`The IP to exclude '${invalid.slice(0, 60)}' is not valid.`, 'excludedIps');
    changes.excluded_ips = input.excludedIps.join(',');
  }
  if (input.group !== undefined) {
    if (input.group.length > 250)
      throw new ValidationError('The group must be at most 250 characters.', 'group');
    changes.site_group = input.group;
  }
  return changes;
}

/**
 * Checks a new site's settings: those of `checkSiteSettings`, a name (required), and the day it
 * was created (`startDate`, `YYYY-MM-DD` in UTC; `now` when not given).
 */
export function checkNewSiteSettings(
  input: SiteSettingsInput & { startDate?: string | undefined },
  now: number,
): NewSiteSettings {
  const settings = checkSiteSettings(input);
  if (settings.name === undefined)
    throw new ValidationError("Please specify a value for 'siteName'.", 'name');
  const { startDate } = input;
  const created = startDate === undefined ? now : Date.parse(`${startDate}T00:00:00Z`);
  if ((startDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(startDate)) || Number.isNaN(created)) {
    throw new ValidationError('The parameter startDate must be a date, YYYY-MM-DD.', 'startDate');
  }
  return { ...settings, name: settings.name, ts_created: created };
}
