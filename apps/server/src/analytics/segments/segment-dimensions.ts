import { sql } from 'kysely';
import type { ActionType, DeviceType, LogVisitTable, ReferrerType } from '../../db/analytics.schema';
import { MatomoApiError } from '../../errors/matomo-api-error';
import { countryContinents } from '../continents';
import { countryName } from '../country-names';
import { DEVICE_DIMENSIONS } from './device-dimensions';
import { visitIp } from './ip-address';
import { phpUrlDecode } from './php-url-decode';
import type {
  ActionDimension,
  ActionField,
  LandingDimension,
  SegmentDimension,
  VisitDimension,
} from './segment-dimension-types';
import { phpTrim } from './segment-parser';
import { asMysqlNumber, asNumber, asText, type SqlValue } from './segment-values';
import { TIME_DIMENSIONS } from './time-dimensions';

/**
 * The segments the visit log can answer, under Matomo's names (`$segmentName` in
 * plugins/*\/Columns/*.php), and how each maps to our tables. Values are mapped as Matomo's
 * `sqlFilterValue` callbacks map them; a value Matomo refuses is refused with its message.
 */

export type {
  ActionDimension,
  ActionField,
  ActionValueDimension,
  LandingDimension,
  SegmentDimension,
  VisitDimension,
} from './segment-dimension-types';
export type { SqlValue } from './segment-values';

type VisitColumn = keyof LogVisitTable & string;

function column(name: VisitColumn, text: boolean, toSqlValue: (value: string) => SqlValue): VisitDimension {
  return { kind: 'visit', expression: (visit) => sql.ref(`${visit}.${name}`), text, toSqlValue };
}

/** A number column in Matomo, compared with the value as MySQL reads it (`VisitDimension.numeric`). */
function numberColumn(name: VisitColumn): VisitDimension {
  return { ...column(name, false, asText), numeric: true };
}

const DAY_SECONDS = 86_400;

/**
 * `daysSinceLastVisit` (plugins/VisitorInterest/Columns/VisitorDaysSinceLast.php): whole days,
 * `FLOOR(visitor_seconds_since_last / 86400)` (the seconds are never negative).
 */
const daysSinceLastVisit: VisitDimension = {
  kind: 'visit',
  expression: (visit) => sql`(${sql.ref(`${visit}.visitor_seconds_since_last`)} / ${sql.lit(DAY_SECONDS)})`,
  text: false,
  toSqlValue: asText,
  numeric: true,
};

/**
 * `daysSinceFirstVisit` (plugins/CoreHome/Columns/VisitorDaysSinceFirst.php) compares the seconds
 * themselves with the value turned into seconds, `(int)$value * 86400`: `==3` keeps only visits
 * exactly 259200 seconds after the first, `<3` those less than three days after it.
 */
function daysAsSeconds(value: string): SqlValue {
  return Math.trunc(Number(asMysqlNumber(value))) * DAY_SECONDS;
}

/** An enumeration stored as a label here and as an id in Matomo: compared by Matomo's id. */
function enumeration<L extends string>(
  name: VisitColumn,
  ids: Readonly<Record<L, number | null>>,
  toSqlValue: (value: string) => SqlValue,
): VisitDimension {
  const entries = Object.entries(ids) as [L, number | null][];
  return {
    kind: 'visit',
    expression: (visit) => {
      const whens = entries.map(([label, id]) => sql`when ${sql.lit(label)} then ${sql.lit(id)}`);
      return sql`(case ${sql.ref(`${visit}.${name}`)} ${sql.join(whens, sql` `)} end)`;
    },
    text: false,
    toSqlValue,
  };
}

/** DeviceDetector's device type ids, as Matomo stores `config_device_type` (null when unknown). */
const DEVICE_TYPE_IDS: Record<DeviceType, number | null> = {
  Desktop: 0,
  Smartphone: 1,
  Tablet: 2,
  Console: 4,
  TV: 5,
  Phablet: 10,
  Unknown: null,
};

/** Every device type name DeviceDetector knows, by id (`DeviceParser::getAvailableDeviceTypes`). */
const DEVICE_TYPE_NAMES = [
  'desktop',
  'smartphone',
  'tablet',
  'feature phone',
  'console',
  'tv',
  'car browser',
  'smart display',
  'camera',
  'portable media player',
  'phablet',
  'smart speaker',
  'wearable',
  'peripheral',
];

/** Matomo's guessed filter for enum dimensions: an id, a name, or a name in another case. */
function deviceTypeId(value: string): SqlValue {
  if (/^(0|[1-9]\d*)$/.test(value) && Number(value) < DEVICE_TYPE_NAMES.length) return Number(value);
  const id = DEVICE_TYPE_NAMES.indexOf(value);
  if (id >= 0) return id;
  const loose = DEVICE_TYPE_NAMES.indexOf(phpTrim(phpUrlDecode(value)).toLowerCase());
  if (loose >= 0) return loose;
  throw new MatomoApiError(`Invalid 'log_visit.config_device_type' segment value ${value}`);
}

/** Matomo's referrer type constants (`Common::REFERRER_TYPE_*`). */
const REFERRER_TYPE_IDS: Record<ReferrerType, number> = {
  direct: 1,
  search: 2,
  website: 3,
  campaign: 6,
  social: 7,
};

/**
 * `getReferrerTypeFromShortName`: a short name becomes its id. An id becomes a short name, which
 * then matches no visit (Matomo compares it with its integer column); anything else is refused.
 */
function referrerTypeId(value: string): SqlValue {
  const byName = REFERRER_TYPE_IDS[value as ReferrerType];
  if (Object.hasOwn(REFERRER_TYPE_IDS, value)) return byName;
  const name = (Object.keys(REFERRER_TYPE_IDS) as ReferrerType[]).find(
    (type) => String(REFERRER_TYPE_IDS[type]) === value,
  );
  if (name !== undefined) return name;
  throw new MatomoApiError(`Referrer type '${value}' is not valid.`);
}

/** `visitorType`: a number as is, `new` 0, `returning` 1, anything else 2 (returning customer). */
function visitorTypeValue(value: string): SqlValue {
  const number = asNumber(value);
  if (typeof number === 'number') return number;
  return value === 'new' ? 0 : value === 'returning' ? 1 : 2;
}

/** `Common::convertVisitorIdToBin`: exactly 16 lower-case hexadecimal digits. */
function visitorIdValue(value: string): SqlValue {
  if (!/^[0-9a-f]{16}$/.test(value)) {
    throw new MatomoApiError('visitorId is expected to be a 16 hex char string');
  }
  return value;
}

let countryCodes: Map<string, string> | undefined;

/** `countryName`: an English country name becomes its code; an unknown name matches no visit. */
function countryCodeOf(value: string): SqlValue {
  if (!countryCodes) {
    countryCodes = new Map();
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (const first of letters) {
      for (const second of letters) {
        const code = `${first}${second}`;
        const name = countryName(code);
        // Skip retired aliases (`dd` is also "Germany"): keep codes that are their own canonical form.
        const canonical = Intl.getCanonicalLocales(`und-${code}`)[0];
        if (name !== 'Unknown' && canonical === `und-${code.toUpperCase()}`) countryCodes.set(name, code);
      }
    }
  }
  return countryCodes.get(value) ?? 'UNK';
}

/** Page URLs are stored without protocol and `www.` in Matomo, and compared so. */
export function withoutProtocol(url: string): string {
  return url.replace(/^https?:\/\/(www\.)?/i, '');
}

function action(actionType: ActionType, field: ActionField): ActionDimension {
  return { kind: 'action', actionType, field, toSqlValue: field === 'pageUrl' ? withoutProtocol : asText };
}

function landing(column: LandingDimension['column'], field: LandingDimension['field']): LandingDimension {
  return { kind: 'landing', column, field, toSqlValue: field === 'pageUrl' ? withoutProtocol : asText };
}

/** `continentCode`: the visit's country mapped to its continent code, as `getCountriesForContinent` does. */
const continentCode: VisitDimension = {
  kind: 'visit',
  expression: (visit) => {
    const whens = [...countryContinents()].map(
      ([country, continent]) => sql`when ${sql.lit(country)} then ${sql.lit(continent)}`,
    );
    return sql`(case ${sql.ref(`${visit}.location_country`)} ${sql.join(whens, sql` `)} else 'unk' end)`;
  },
  text: true,
  toSqlValue: asText,
};

/**
 * `languageCode`: Matomo stores only the first tag of the Accept-Language header (`de-de` of
 * `de-de,de;q=0.9`, plugins/UserLanguage/Columns/Language.php); the visit log keeps the header,
 * so the segment compares its first tag.
 */
const languageCode: VisitDimension = {
  kind: 'visit',
  expression: (visit, dialect) => {
    const header = sql.ref(`${visit}.location_browser_lang`);
    const end = dialect.least(
      dialect.position(sql`${header} || ','`, ','),
      dialect.position(sql`${header} || ';'`, ';'),
    );
    return sql`lower(trim(substr(${header}, 1, ${end} - 1)))`;
  },
  text: true,
  toSqlValue: asText,
};

export const SEGMENT_DIMENSIONS: Readonly<Record<string, SegmentDimension>> = {
  visitId: numberColumn('idvisit'),
  visitorId: column('visitor_id', false, visitorIdValue),
  visitorType: column('visitor_returning', false, visitorTypeValue),
  visitCount: numberColumn('visitor_count_visits'),
  // Matomo's CoreHome VisitGoalConverted: 0 or 1, compared as stored.
  visitConverted: numberColumn('visit_goal_converted'),
  visitDuration: numberColumn('visit_total_time'),
  actions: numberColumn('visit_total_actions'),
  daysSinceLastVisit,
  secondsSinceLastVisit: numberColumn('visitor_seconds_since_last'),
  daysSinceFirstVisit: column('visitor_seconds_since_first', false, daysAsSeconds),
  secondsSinceFirstVisit: numberColumn('visitor_seconds_since_first'),
  referrerType: enumeration('referrer_type', REFERRER_TYPE_IDS, referrerTypeId),
  referrerName: column('referrer_name', true, asText),
  referrerKeyword: column('referrer_keyword', true, asText),
  referrerUrl: column('referrer_url', true, asText),
  countryCode: column('location_country', true, asText),
  countryName: column('location_country', true, countryCodeOf),
  continentCode,
  resolution: column('config_resolution', true, asText),
  languageCode,
  regionCode: column('location_region', true, asText),
  city: column('location_city', true, asText),
  // DECIMAL(9,6) in Matomo, compared with the value read as a number (plugins/UserCountry/Columns).
  latitude: numberColumn('location_latitude'),
  longitude: numberColumn('location_longitude'),
  visitIp,
  ...TIME_DIMENSIONS,
  deviceType: enumeration('device_type', DEVICE_TYPE_IDS, deviceTypeId),
  ...DEVICE_DIMENSIONS,
  pageUrl: action('action', 'pageUrl'),
  pageTitle: action('action', 'title'),
  downloadUrl: action('download', 'name'),
  outlinkUrl: action('outlink', 'name'),
  siteSearchKeyword: action('search', 'name'),
  eventCategory: { ...action('event', 'name'), column: 'idaction_event_category' },
  eventAction: { ...action('event', 'name'), column: 'idaction_event_action' },
  eventName: { ...action('event', 'name'), column: 'idaction_name' },
  entryPageUrl: landing('entry_idaction_url', 'pageUrl'),
  entryPageTitle: landing('entry_idaction_url', 'title'),
  exitPageUrl: landing('exit_idaction_url', 'pageUrl'),
  exitPageTitle: landing('exit_idaction_url', 'title'),
};

/** The dimension of a segment name, or Matomo's error for a name it does not support. */
export function segmentDimension(name: string): SegmentDimension {
  const dimension = Object.hasOwn(SEGMENT_DIMENSIONS, name) ? SEGMENT_DIMENSIONS[name] : undefined;
  if (!dimension) throw new MatomoApiError(`Segment '${name}' is not a supported segment.`);
  return dimension;
}
