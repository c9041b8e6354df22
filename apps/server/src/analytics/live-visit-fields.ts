import type { Selectable } from 'kysely';
import type { LogVisitTable } from '../db/analytics.schema';
import { continentName, continentOf } from './continents';
import { countryName } from './country-names';
import { browserLogo, storedBrowserCode, storedOsCode } from './device-detector';
import { languageName } from './languages';
import { countryFlag, regionName, UNKNOWN_CODE } from './location-names';
import { KEYWORD_NOT_DEFINED, SEARCH_ENGINE_HOSTS, SOCIAL_HOSTS } from './referrer-dimension-reports';
import { REFERRER_TYPES } from './referrer-types';

/**
 * The visit fields of Matomo's plugins' `VisitorDetails` that come from `log_visit` alone, each
 * group in the order its plugin adds them (CoreHome's days since the first visit, Referrers,
 * UserLanguage, DevicesDetection, UserCountry, VisitTime, VisitorInterest, Resolution).
 */

type LogVisitRow = Selectable<LogVisitTable>;

/** Referrers' `VisitorDetails`. */
export function referrerFields(visit: LogVisitRow) {
  const type = visit.referrer_type;
  const name = visit.referrer_name ?? '';
  const searchHost = type === 'search' && name !== '' ? SEARCH_ENGINE_HOSTS[name] : undefined;
  const searchEngineUrl =
    type === 'search' && name !== ''
      ? searchHost === undefined
        ? 'URL unknown!'
        : `http://${searchHost}`
      : null;
  // Social::getMainUrl: the network's first domain, found from the referrer URL (the name is derived from it).
  const socialNetworkUrl =
    type === 'social' && name !== '' ? (SOCIAL_HOSTS[name] ?? visit.referrer_url ?? '') : null;
  return {
    referrerType: type,
    referrerTypeName: REFERRER_TYPES[type].label,
    referrerName: name,
    referrerKeyword: referrerKeyword(visit),
    referrerKeywordPosition: keywordPosition(visit),
    referrerUrl: looksLikeUrl(visit.referrer_url) ? visit.referrer_url : null,
    referrerSearchEngineUrl: searchEngineUrl,
    referrerSearchEngineIcon:
      searchEngineUrl === null ? null : `plugins/Morpheus/icons/dist/searchEngines/${searchHost ?? 'xx'}.png`,
    referrerSocialNetworkUrl: socialNetworkUrl,
    referrerSocialNetworkIcon:
      socialNetworkUrl === null
        ? null
        : `plugins/Morpheus/icons/dist/socials/${SOCIAL_HOSTS[name] === undefined ? 'xx' : socialNetworkUrl}.png`,
  };
}

/** `getKeyword`: urldecoded; a search without keyword is "Keyword not defined" (`getCleanKeyword`). */
function referrerKeyword(visit: LogVisitRow): string {
  const keyword = visit.referrer_keyword ?? '';
  return phpUrlDecode(visit.referrer_type === 'search' && keyword === '' ? KEYWORD_NOT_DEFINED : keyword);
}

/** `getKeywordPosition`: Google's `cd` parameter of the referrer URL, when there is one. */
function keywordPosition(visit: LogVisitRow): string | null {
  if (visit.referrer_type !== 'search' || !(visit.referrer_name ?? '').includes('Google')) return null;
  const query = (visit.referrer_url ?? '').split('#')[0]?.split('?')[1];
  if (query === undefined || query === '') return null;
  for (const pair of query.split('&')) {
    const [key, value = ''] = pair.split('=');
    if (key === 'cd' && value !== '' && value !== '0') return phpUrlDecode(value);
  }
  return null;
}

/** `UrlHelper::isLookLikeUrl`: a scheme (or none) then `//` and something, not javascript:, vbscript: or data:. */
function looksLikeUrl(url: string | null): url is string {
  const match = url === null ? null : /^(([a-z][a-z0-9+.-]*)?:)?\/\/(.*)$/is.exec(url);
  return match !== null && (match[3] ?? '') !== '' && !/^(javascript:|vbscript:|data:)/i.test(match[1] ?? '');
}

/** PHP's `urldecode`: `+` is a space, `%XX` a byte; malformed escapes stay as they are. */
function phpUrlDecode(text: string): string {
  if (!/[+%]/.test(text)) return text;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    const hex = text.slice(i + 1, i + 3);
    if (char === '%' && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (char === '+') bytes.push(0x20);
    else bytes.push(...encoder.encode(char));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Matomo's Accept-Language tags (`Common::extractLanguageAndRegionCodeFromBrowserLanguage`). */
const LANGUAGE_TAG = /(?:^|,)([a-z]{2,3})(?:-[a-z]{4})?(-[a-z]{2})?/g;

/**
 * UserLanguage's `VisitorDetails`: `languageCode` is what Matomo's tracker stores, the first tag
 * of a known language with its region (`de-de` of `de-de,de`); `language` is `languageTranslate`
 * of it, which knows only bare languages: a tag with a region reads "Language code de-de".
 */
export function languageFields(visit: LogVisitRow) {
  const code = storedLanguage(visit.location_browser_lang);
  return {
    languageCode: code,
    language: code.includes('-') ? `Language code ${code}` : languageName(code),
  };
}

function storedLanguage(header: string): string {
  for (const [, language = '', region = ''] of header.toLowerCase().matchAll(LANGUAGE_TAG)) {
    if (languageName(language) !== `Language code ${language}`) return `${language}${region}`;
  }
  return UNKNOWN_CODE;
}

const DEVICE_ICONS = 'plugins/Morpheus/icons/dist/devices/';

/**
 * DevicesDetection's `VisitorDetails`, for what the visit log keeps: the device type and the
 * browser's and operating system's names (no versions, engine, brand or model).
 */
export function deviceFields(visit: LogVisitRow) {
  const osCode = storedOsCode(visit.os_name);
  return {
    deviceType: visit.device_type,
    deviceTypeIcon: `${DEVICE_ICONS}${visit.device_type === 'Unknown' ? 'unknown' : visit.device_type.toLowerCase()}.png`,
    operatingSystemName: visit.os_name,
    operatingSystemIcon: `plugins/Morpheus/icons/dist/os/${osCode}.png`,
    operatingSystemCode: osCode,
    browserName: visit.browser_name,
    browserIcon: browserLogo(visit.browser_name),
    browserCode: storedBrowserCode(visit.browser_name),
  };
}

/** UserCountry's `VisitorDetails`: names from the codes; `location` joins the known parts. */
export function locationFields(visit: LogVisitRow) {
  const country = visit.location_country;
  const regionCode = visit.location_region;
  const region =
    regionCode === null || regionCode === '' || regionCode === UNKNOWN_CODE
      ? null
      : regionName(country, regionCode);
  const city = visit.location_city === '' ? null : visit.location_city;
  const continentCode = continentOf(country);
  return {
    continent: continentName(continentCode),
    continentCode,
    country: countryName(country),
    countryCode: country,
    countryFlag: countryFlag(country),
    region,
    regionCode,
    city,
    location: [city, region, countryName(country)].filter((part) => part !== null && part !== '').join(', '),
    latitude: decimalColumn(visit.location_latitude),
    longitude: decimalColumn(visit.location_longitude),
  };
}

/** A coordinate as Matomo's DECIMAL(9,6) column reads in PHP (`52.520000`); null when unknown or 0 (`empty`). */
function decimalColumn(value: number | null): string | null {
  return value === null || value === 0 ? null : value.toFixed(6);
}

/**
 * VisitTime's, VisitorInterest's and Resolution's `VisitorDetails`: the visitor's clock and its
 * hour (PHP's `date('G', strtotime('2012-12-21 ' . $time))`, a string; midnight's `0` when the
 * time is unknown), then the days and seconds since the visitor's previous visit started.
 */
export function localTimeAndResolutionFields(visit: LogVisitRow) {
  const time = visit.visitor_localtime;
  return {
    visitLocalTime: time,
    visitLocalHour: String(Number((time ?? '0').split(':')[0]) || 0),
    daysSinceLastVisit: wholeDays(visit.visitor_seconds_since_last),
    secondsSinceLastVisit: visit.visitor_seconds_since_last,
    resolution: visit.config_resolution,
  };
}

/** CoreHome's days and seconds since the visitor's first visit started (between the ecommerce status and the duration). */
export function sinceFirstVisitFields(visit: LogVisitRow) {
  return {
    daysSinceFirstVisit: wholeDays(visit.visitor_seconds_since_first),
    secondsSinceFirstVisit: visit.visitor_seconds_since_first,
  };
}

/** `floor($seconds / 86400)`: 0 when the seconds are unknown, as PHP divides null as 0. */
function wholeDays(seconds: number | null): number {
  return Math.floor((seconds ?? 0) / 86_400);
}
