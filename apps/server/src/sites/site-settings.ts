import { isIP } from 'node:net';
import type { KeepUrlFragment, SiteUpdate } from '../db/schema';
import { ValidationError } from '../errors/domain-error';
import { siteCurrencies } from './site-labels';

/** A site's settings as sent (Matomo's parameter names); only what is present changes. */
export interface SiteSettingsInput {
  /** As sent: may be empty or blank, which is refused. */
  name?: string | undefined;
  urls?: readonly string[] | undefined;
  /** `1` or `0`, as Matomo takes them. */
  ecommerce?: string | undefined;
  siteSearch?: string | undefined;
  searchKeywordParameters?: readonly string[] | undefined;
  searchCategoryParameters?: readonly string[] | undefined;
  timezone?: string | undefined;
  currency?: string | undefined;
  excludedIps?: readonly string[] | undefined;
  excludedQueryParameters?: readonly string[] | undefined;
  excludedUserAgents?: readonly string[] | undefined;
  excludedReferrers?: readonly string[] | undefined;
  /** `0` (the global default), `1` (keep) or `2` (remove). */
  keepURLFragments?: string | undefined;
  excludeUnknownUrls?: string | undefined;
  group?: string | undefined;
  /** `website` (the only type served here); empty means `website`, as in Matomo. */
  type?: string | undefined;
  /** The day reports start: `YYYY-MM-DD`, `today` or `yesterday` (UTC). */
  startDate?: string | undefined;
}

export interface SiteSettingsOptions {
  /** Milliseconds since the epoch: what `today` in `startDate` means (without it, only days are read). */
  now?: number;
  /** Matomo lets only a super user set a site's group; anyone else's `group` is ignored. */
  canSetGroup?: boolean;
}

// Matomo's measurable settings are validated by its WebsiteMeasurable plugin; an unaccepted value
// is reported with the field's title (plugins/CoreAdminHome/lang/en.json).
function notAllowed(title: string, field: string): ValidationError {
  return new ValidationError(
    `The value for the "${title}" field in the "WebsiteMeasurable" plugin is not allowed`,
    field,
  );
}

function oneOf<T extends number>(
  value: string,
  accepted: Record<string, T>,
  title: string,
  field: string,
): T {
  const found = Object.hasOwn(accepted, value) ? accepted[value] : undefined;
  if (found === undefined) throw notAllowed(title, field);
  return found;
}

const flags: Record<string, 0 | 1> = { '0': 0, '1': 1 };
const fragmentChoices: Record<string, KeepUrlFragment> = { '0': 0, '1': 1, '2': 2 };

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

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A site URL as Matomo cleans it (Urls::cleanParameterUrls): decoded, without a trailing
 * slash, with `http://` when it names no scheme.
 */
function cleanUrl(url: string): string {
  let clean = decoded(url);
  if (clean.length > 5 && clean.endsWith('/')) clean = clean.slice(0, -1);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(clean) && !clean.includes('://')) {
    clean = clean.startsWith('//') ? `http:${clean}` : `http://${clean}`;
  }
  return clean.trim();
}

/**
 * Matomo's UrlHelper::isLookLikeUrl, narrowed: http or https only, and without blanks or control
 * characters (Matomo takes any scheme, `android-app://` for apps; this server serves websites, and
 * shows their URLs as links).
 */
function looksLikeUrl(url: string): boolean {
  return /^https?:\/\/[^\s\p{Cc}]+$/iu.test(url) && url.length <= 2048 && URL.canParse(url);
}

/** A Matomo comma-separated list: trimmed, without empty or repeated entries. */
function commaList(values: readonly string[]): string {
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))].join(',');
}

const day = 86_400_000;

/** Matomo's Date::factory message for a date it cannot read. */
function badStartDate(text: string): ValidationError {
  return new ValidationError(
    `Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): '${text.slice(0, 40)}'`,
    'startDate',
  );
}

function startOfDay(text: string, now: number | undefined): number {
  if (now !== undefined && ['today', 'now', 'yesterday'].includes(text)) {
    const today = Math.floor(now / day) * day;
    return text === 'yesterday' ? today - day : today;
  }
  const parts = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (parts === null) throw badStartDate(text);
  const [year, month, date] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const ms = Date.UTC(year, month - 1, date);
  const back = new Date(ms);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) throw badStartDate(text);
  return ms;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new ValidationError("The website name can't be empty.", 'name');
  if (trimmed.length > 90) throw new ValidationError('The site name must be 1 to 90 characters.', 'name');
  return trimmed;
}

function checkTimezone(zone: string): string {
  const trimmed = zone.trim();
  if (!validTimezone(trimmed)) {
    throw new ValidationError(
      `The timezone "${trimmed.slice(0, 60)}" is not valid. Please enter a valid timezone.`,
      'timezone',
    );
  }
  return trimmed;
}

function checkCurrency(currency: string): string {
  const trimmed = currency.trim();
  if (!siteCurrencies.has(trimmed)) {
    throw new ValidationError(
      `The currency "${trimmed.slice(0, 10)}" is not valid. Please enter a valid currency symbol (eg. USD, EUR, etc.)`,
      'currency',
    );
  }
  return trimmed;
}

function checkType(type: string): string {
  const trimmed = type.trim();
  if (trimmed === '' || trimmed === 'website') return 'website';
  throw new ValidationError(
    `The website type "${trimmed.slice(0, 40)}" is not supported: only "website" is.`,
    'type',
  );
}

function checkUrls(urls: readonly string[]): { urls: string; main_url: string } {
  const cleaned = [...new Set(urls.map(cleanUrl))];
  const invalid = cleaned.find((url) => !looksLikeUrl(url));
  if (invalid !== undefined)
    throw new ValidationError(`The url '${invalid.slice(0, 100)}' is not a valid URL.`, 'urls');
  if (cleaned.length === 0)
    throw new ValidationError('You must specify at least one URL for the website.', 'urls');
  return { urls: JSON.stringify(cleaned), main_url: cleaned[0] as string };
}

function checkExcludedIps(rules: readonly string[]): string {
  const list = commaList(rules);
  const invalid = list === '' ? undefined : list.split(',').find((rule) => !validIpRule(rule));
  if (invalid !== undefined) {
    throw new ValidationError(
      `The IP to exclude "${invalid.slice(0, 60)}" does not have a valid IP format (eg. 1.2.3.4, 1.2.3.*, or 1.2.3.4/5).`,
      'excludedIps',
    );
  }
  return list;
}

/** Referrers to exclude: a host or URL, with or without scheme, `.example.org` for subdomains. */
function checkExcludedReferrers(referrers: readonly string[]): string {
  const list = commaList(referrers);
  for (const referrer of list === '' ? [] : list.split(',')) {
    const prefixed = `https://${referrer.replace(/^https?:\/\//, '').replace(/^\.+/, '')}`;
    if (!looksLikeUrl(prefixed)) {
      throw new ValidationError(
        `The url '${referrer.slice(0, 100)}' is not a valid URL.`,
        'excludedReferrers',
      );
    }
  }
  return list;
}

/** The WebsiteMeasurable settings, validated in the order Matomo validates them. */
function checkMeasurableSettings(input: SiteSettingsInput, changes: SiteUpdate): void {
  if (input.urls !== undefined) Object.assign(changes, checkUrls(input.urls));
  if (input.ecommerce !== undefined)
    changes.ecommerce = oneOf(input.ecommerce, flags, 'Ecommerce', 'ecommerce');
  if (input.siteSearch !== undefined)
    changes.sitesearch = oneOf(input.siteSearch, flags, 'Site Search', 'siteSearch');
  if (input.searchKeywordParameters !== undefined)
    changes.sitesearch_keyword_parameters = commaList(input.searchKeywordParameters);
  if (input.searchCategoryParameters !== undefined)
    changes.sitesearch_category_parameters = commaList(input.searchCategoryParameters);
  if (input.keepURLFragments !== undefined) {
    changes.keep_url_fragment = oneOf(
      input.keepURLFragments,
      fragmentChoices,
      'Keep Page URL fragments when tracking Page URLs',
      'keepURLFragments',
    );
  }
  if (input.excludeUnknownUrls !== undefined) {
    changes.exclude_unknown_urls = oneOf(
      input.excludeUnknownUrls,
      flags,
      'Only track visits and actions when the action URL starts with one of the above URLs.',
      'excludeUnknownUrls',
    );
  }
  if (input.excludedIps !== undefined) changes.excluded_ips = checkExcludedIps(input.excludedIps);
  if (input.excludedQueryParameters !== undefined)
    changes.excluded_parameters = commaList(input.excludedQueryParameters);
  if (input.excludedUserAgents !== undefined)
    changes.excluded_user_agents = commaList(input.excludedUserAgents);
  if (input.excludedReferrers !== undefined)
    changes.excluded_referrers = checkExcludedReferrers(input.excludedReferrers);
}

function checkGroup(group: string): string {
  const trimmed = group.trim();
  if (trimmed.length > 250) throw new ValidationError('The group must be at most 250 characters.', 'group');
  return trimmed;
}

/** A site's settings, checked: the columns to store, only what was sent. */
export type SiteSettings = SiteUpdate;

/** A new site's settings, checked: a name, and the day it was created. */
export type NewSiteSettings = SiteSettings & { name: string; ts_created: number };

/**
 * Checks the changes `SitesManager.updateSite` was sent, as Matomo does and in its order (the
 * name, the currency, the time zone, the group, the start date, the type, then the website
 * settings), and returns the columns to store: only what was sent.
 */
export function checkSiteSettings(input: SiteSettingsInput, options: SiteSettingsOptions = {}): SiteSettings {
  const changes: SiteUpdate = {};
  if (input.name !== undefined) changes.name = checkName(input.name);
  if (input.currency !== undefined) changes.currency = checkCurrency(input.currency);
  if (input.timezone !== undefined) changes.timezone = checkTimezone(input.timezone);
  if (input.group !== undefined && (options.canSetGroup ?? true))
    changes.site_group = checkGroup(input.group);
  if (input.startDate !== undefined) changes.ts_created = startOfDay(input.startDate, options.now);
  if (input.type !== undefined) changes.type = checkType(input.type);
  checkMeasurableSettings(input, changes);
  return changes;
}

/**
 * Checks a new site's settings as `SitesManager.addSite` does, in its order (the name, the time
 * zone, the currency, the start date, the type, then the website settings). Without `startDate`
 * the site is created now.
 */
export function checkNewSiteSettings(
  input: SiteSettingsInput,
  now: number,
  options: Omit<SiteSettingsOptions, 'now'> = {},
): NewSiteSettings {
  if (input.name === undefined) throw new ValidationError("Please specify a value for 'siteName'.", 'name');
  const name = checkName(input.name);
  const changes: SiteUpdate = { name };
  if (input.timezone !== undefined) changes.timezone = checkTimezone(input.timezone);
  if (input.currency !== undefined) changes.currency = checkCurrency(input.currency);
  const created = input.startDate === undefined ? now : startOfDay(input.startDate, now);
  if (input.type !== undefined) changes.type = checkType(input.type);
  checkMeasurableSettings(input, changes);
  if (input.group !== undefined && (options.canSetGroup ?? true))
    changes.site_group = checkGroup(input.group);
  return { ...changes, name, ts_created: created };
}
