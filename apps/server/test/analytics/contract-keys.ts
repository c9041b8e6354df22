import type { components } from '@matomo-oauth2/sdk/openapi';
import { expect } from 'vitest';

type Schemas = components['schemas'];

/** The keys of `T` that are not optional. */
export type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/**
 * A list of every required key of `T`, checked at compile time both ways: a key that is not
 * required does not compile, and neither does a list that misses one.
 */
export function requiredKeys<T>() {
  return <const L extends readonly RequiredKeys<T>[]>(
    ...keys: L & ([Exclude<RequiredKeys<T>, L[number]>] extends [never] ? unknown : never)
  ): readonly string[] => keys.map(String);
}

/** A list of every optional key of `T`, checked the same way. */
export function optionalKeys<T>() {
  return <const L extends readonly Exclude<keyof T, RequiredKeys<T>>[]>(
    ...keys: L & ([Exclude<Exclude<keyof T, RequiredKeys<T>>, L[number]>] extends [never] ? unknown : never)
  ): readonly string[] => keys.map(String);
}

export interface Shape {
  required: readonly string[];
  optional: readonly string[];
}

export const SHAPES = {
  VisitsSummary: {
    required: requiredKeys<Schemas['VisitsSummary']>()(
      'nb_visits',
      'nb_actions',
      'nb_visits_converted',
      'bounce_count',
      'sum_visit_length',
      'max_actions',
      'bounce_rate',
      'nb_actions_per_visit',
      'avg_time_on_site',
    ),
    optional: optionalKeys<Schemas['VisitsSummary']>()('nb_uniq_visitors', 'nb_users'),
  },
  ActionsSummary: {
    required: requiredKeys<Schemas['ActionsSummary']>()(
      'nb_pageviews',
      'nb_uniq_pageviews',
      'nb_downloads',
      'nb_uniq_downloads',
      'nb_outlinks',
      'nb_uniq_outlinks',
      'nb_searches',
      'nb_keywords',
    ),
    optional: [],
  },
  PageUrlRow: {
    required: requiredKeys<Schemas['PageUrlRow']>()(
      'label',
      'nb_visits',
      'nb_hits',
      'sum_time_spent',
      'entry_nb_visits',
      'entry_bounce_count',
      'exit_nb_visits',
      'avg_time_on_page',
      'bounce_rate',
      'exit_rate',
    ),
    optional: optionalKeys<Schemas['PageUrlRow']>()(
      'nb_uniq_visitors',
      'entry_nb_uniq_visitors',
      'entry_nb_actions',
      'entry_sum_visit_length',
      'exit_nb_uniq_visitors',
      'sum_daily_nb_uniq_visitors',
      'sum_daily_entry_nb_uniq_visitors',
      'sum_daily_exit_nb_uniq_visitors',
      'url',
      'segment',
      'idsubdatatable',
      'subtable',
    ),
  },
  VisitMetricsRow: {
    required: requiredKeys<Schemas['VisitMetricsRow']>()(
      'label',
      'nb_visits',
      'nb_actions',
      'max_actions',
      'sum_visit_length',
      'bounce_count',
    ),
    optional: optionalKeys<Schemas['VisitMetricsRow']>()(
      'nb_uniq_visitors',
      'nb_users',
      'nb_visits_converted',
      'goals',
      'nb_conversions',
      'revenue',
      'sum_daily_nb_uniq_visitors',
      'sum_daily_nb_users',
      'segment',
    ),
  },
  ReferrerTypeRow: {
    required: requiredKeys<Schemas['ReferrerTypeRow']>()(
      'label',
      'nb_visits',
      'nb_actions',
      'max_actions',
      'sum_visit_length',
      'bounce_count',
      'referrer_type',
    ),
    optional: optionalKeys<Schemas['ReferrerTypeRow']>()(
      'nb_uniq_visitors',
      'nb_users',
      'nb_visits_converted',
      'goals',
      'nb_conversions',
      'revenue',
      'sum_daily_nb_uniq_visitors',
      'sum_daily_nb_users',
      'segment',
      'idsubdatatable',
      'subtable',
    ),
  },
  CountryRow: {
    required: requiredKeys<Schemas['CountryRow']>()(
      'label',
      'nb_visits',
      'nb_actions',
      'max_actions',
      'sum_visit_length',
      'bounce_count',
      'code',
      'logo',
      'logoHeight',
    ),
    optional: optionalKeys<Schemas['CountryRow']>()(
      'nb_uniq_visitors',
      'nb_users',
      'nb_visits_converted',
      'goals',
      'nb_conversions',
      'revenue',
      'sum_daily_nb_uniq_visitors',
      'sum_daily_nb_users',
      'segment',
    ),
  },
  DeviceTypeVisitsRow: {
    required: requiredKeys<Schemas['DeviceTypeVisitsRow']>()(
      'label',
      'nb_visits',
      'nb_actions',
      'max_actions',
      'sum_visit_length',
      'bounce_count',
      'logo',
    ),
    optional: optionalKeys<Schemas['DeviceTypeVisitsRow']>()(
      'nb_uniq_visitors',
      'nb_users',
      'nb_visits_converted',
      'goals',
      'nb_conversions',
      'revenue',
      'sum_daily_nb_uniq_visitors',
      'sum_daily_nb_users',
      'segment',
    ),
  },
  DeviceTypeZeroRow: {
    required: requiredKeys<Schemas['DeviceTypeZeroRow']>()('label', 'nb_visits', 'segment', 'logo'),
    optional: [],
  },
  Visit: {
    required: requiredKeys<Schemas['Visit']>()(
      'idSite',
      'idVisit',
      'visitIp',
      'visitorId',
      'actionDetails',
      'goalConversions',
      'siteCurrency',
      'siteCurrencySymbol',
      'serverDate',
      'visitServerHour',
      'lastActionTimestamp',
      'lastActionDateTime',
      'siteName',
      'serverTimestamp',
      'firstActionTimestamp',
      'serverTimePretty',
      'serverDatePretty',
      'serverDatePrettyFirstAction',
      'serverTimePrettyFirstAction',
      'visitorType',
      'visitorTypeIcon',
      'visitConverted',
      'visitConvertedIcon',
      'visitCount',
      'visitEcommerceStatus',
      'visitEcommerceStatusIcon',
      'daysSinceFirstVisit',
      'secondsSinceFirstVisit',
      'visitDuration',
      'visitDurationPretty',
      'searches',
      'actions',
      'interactions',
      'referrerType',
      'referrerTypeName',
      'referrerName',
      'referrerKeyword',
      'referrerKeywordPosition',
      'referrerUrl',
      'referrerSearchEngineUrl',
      'referrerSearchEngineIcon',
      'referrerSocialNetworkUrl',
      'referrerSocialNetworkIcon',
      'languageCode',
      'language',
      'deviceType',
      'deviceTypeIcon',
      'operatingSystemName',
      'operatingSystemIcon',
      'operatingSystemCode',
      'browserName',
      'browserIcon',
      'browserCode',
      'events',
      'continent',
      'continentCode',
      'country',
      'countryCode',
      'countryFlag',
      'region',
      'regionCode',
      'city',
      'location',
      'latitude',
      'longitude',
      'visitLocalTime',
      'visitLocalHour',
      'daysSinceLastVisit',
      'secondsSinceLastVisit',
      'resolution',
    ),
    optional: [],
  },
  VisitAction: {
    required: requiredKeys<Schemas['VisitAction']>()('type', 'url', 'timestamp'),
    optional: optionalKeys<Schemas['VisitAction']>()(
      'goalName',
      'goalId',
      'revenue',
      'referrerType',
      'referrerName',
      'referrerKeyword',
      'timeSpent',
      'pageTitle',
      'siteSearchKeyword',
      'eventCategory',
      'eventAction',
      'eventName',
      'eventValue',
      'icon',
      'iconSVG',
      'title',
      'subtitle',
    ),
  },
  Annotation: {
    required: requiredKeys<Schemas['Annotation']>()(
      'idNote',
      'date',
      'note',
      'starred',
      'user',
      'canEditOrDelete',
    ),
    optional: [],
  },
} satisfies Record<string, Shape>;

/** Every required key is present (and defined), and no key outside the schema appears. */
export function expectShape(value: unknown, shape: Shape): void {
  expect(value).toBeTypeOf('object');
  expect(value).not.toBeNull();
  const record = value as Record<string, unknown>;
  for (const key of shape.required) expect(record[key], `required key ${key}`).not.toBeUndefined();
  const allowed = new Set([...shape.required, ...shape.optional]);
  for (const key of Object.keys(record)) expect(allowed.has(key), `unexpected key ${key}`).toBe(true);
}

/** Matomo's percentage format, as the contract's `Percent` pattern has it. */
export const PERCENT = /^[0-9]+(\.[0-9]+)?%$/;
