import type { ActionType, DeviceType, ReferrerType } from '../../db/analytics.schema';
import { offsetAt } from '../timezone';
import type { ActionEvent, ActionToWrite, ConversionToWrite, VisitToWrite } from '../visit-log.writer';
import {
  CAMPAIGNS,
  COUNTRIES,
  DEVICE_WEIGHTS,
  IP_PREFIX,
  PLATFORMS,
  REFERRER_TYPE_WEIGHTS,
  type ReferrerEntry,
  type Region,
  SEARCH_ENGINES,
  SEARCH_KEYWORDS,
  SOCIAL_NETWORKS,
  WEBSITES,
} from './catalog';
import { conversionsOf, type GoalRules } from './demo-goals';
import { cityCoordinates, PLACES, type PlaceEntry, RESOLUTIONS, UNKNOWN_PLACE } from './places';
import { Random, WeightedChoice } from './random';
import type { Visitor, VisitorPool } from './visitor-pool';

/** A site's catalog with `log_action` ids resolved. */
export interface SiteCatalog {
  idsite: number;
  region: Region;
  pages: WeightedChoice<number>;
  entryPages: Record<ReferrerType, WeightedChoice<number>>;
  downloads: WeightedChoice<number>;
  outlinks: WeightedChoice<number>;
  searches: WeightedChoice<number>;
  events: WeightedChoice<ActionEvent>;
  countries: WeightedChoice<string>;
  /** The goals each action converts. */
  goals: GoalRules;
}

export interface DayTraits {
  weekend: boolean;
  /** A newsletter went out: many more campaign visits. */
  newsletter: boolean;
}

const referrerTypes = new WeightedChoice(REFERRER_TYPE_WEIGHTS);
const returningReferrerTypes = new WeightedChoice(
  REFERRER_TYPE_WEIGHTS.map(([type, weight]) => [type, type === 'direct' ? weight * 2.5 : weight] as const),
);
const newsletterReferrerTypes = new WeightedChoice(
  REFERRER_TYPE_WEIGHTS.map(([type, weight]) => [type, type === 'campaign' ? weight * 6 : weight] as const),
);
const engines = choiceOf(SEARCH_ENGINES);
const websites = choiceOf(WEBSITES);
const networks = choiceOf(SOCIAL_NETWORKS);
const campaigns = new WeightedChoice(
  CAMPAIGNS.map(([name, keywords, weight]) => [[name, keywords], weight] as const),
);
const deviceTypes = {
  weekday: new WeightedChoice(DEVICE_WEIGHTS.weekday),
  weekend: new WeightedChoice(DEVICE_WEIGHTS.weekend),
};
const resolutions = Object.fromEntries(
  Object.entries(RESOLUTIONS).map(([device, entries]) => [device, new WeightedChoice(entries)]),
) as Record<DeviceType, WeightedChoice<string>>;
const places = new Map<
  string,
  { cities: WeightedChoice<PlaceEntry['cities'][number]> | null; languages: WeightedChoice<string> }
>();

function placeChoice(country: string) {
  let choice = places.get(country);
  if (!choice) {
    const place = PLACES[country] ?? UNKNOWN_PLACE;
    choice = {
      cities:
        place.cities.length === 0
          ? null
          : new WeightedChoice(place.cities.map((entry) => [entry, entry.weight] as const)),
      languages: new WeightedChoice(place.languages),
    };
    places.set(country, choice);
  }
  return choice;
}

const platforms = Object.fromEntries(
  Object.entries(PLATFORMS).map(([device, entries]) => [device, new WeightedChoice(entries)]),
) as Record<DeviceType, WeightedChoice<readonly [string, string]>>;

export function countryChoice(region: Region): WeightedChoice<string> {
  return new WeightedChoice(COUNTRIES[region]);
}

/**
 * One visit starting at `start`: its visitor (new, or returning from the pool), referrer, and a
 * path through the site, and the goals it converts. Actions after `now` are cut off (today's
 * visits may still be running).
 */
export function makeVisit(
  random: Random,
  catalog: SiteCatalog,
  pool: VisitorPool,
  day: DayTraits,
  start: number,
  now: number,
  idvisit: number,
): { visit: VisitToWrite; actions: ActionToWrite[]; conversions: ConversionToWrite[] } {
  const returning = pool.size > 0 && random.chance(0.3) ? pool.pick(random) : undefined;
  const visitor = returning
    ? { ...returning, visits: returning.visits + 1 }
    : newVisitor(random, catalog, day);
  pool.add(visitor);

  const types = day.newsletter ? newsletterReferrerTypes : returning ? returningReferrerTypes : referrerTypes;
  const referrer = pickReferrer(random, types.pick(random), day);
  const actions = withEvents(
    new Random(`events/${visitor.id}/${start}`),
    catalog,
    makeActions(random, catalog, referrer.type, start, now),
  );
  const first = actions[0] as ActionToWrite;
  const last = actions[actions.length - 1] as ActionToWrite;
  const pageViews = actions.filter((action) => action.action_type === 'action');
  const since = secondsSince(returning?.starts, first.server_time);
  if (visitor.starts) visitor.starts.last = first.server_time;
  else visitor.starts = { first: first.server_time, last: first.server_time };

  return {
    visit: {
      idvisit,
      idsite: catalog.idsite,
      visitor_id: visitor.id,
      visit_first_action_time: first.server_time,
      visit_last_action_time: last.server_time,
      // Events count, as in Matomo; they never come last, so the visit's times stay the same.
      visit_total_actions: actions.length,
      visit_total_time: Math.round((last.server_time - first.server_time) / 1000),
      visitor_returning: visitor.visits > 1 ? 1 : 0,
      visitor_count_visits: visitor.visits,
      referrer_type: referrer.type,
      referrer_name: referrer.name,
      referrer_keyword: referrer.keyword,
      referrer_url: referrer.url,
      location_country: visitor.country,
      device_type: visitor.device,
      browser_name: visitor.browser,
      os_name: visitor.os,
      location_ip: visitor.ip,
      entry_idaction_url: pageViews[0]?.idaction_url ?? null,
      exit_idaction_url: pageViews[pageViews.length - 1]?.idaction_url ?? null,
      config_resolution: visitor.resolution,
      location_browser_lang: visitor.language,
      location_city: visitor.city,
      location_region: visitor.region,
      visitor_localtime: localTime(first.server_time, visitor.timezone),
      location_latitude: cityCoordinates(visitor.country, visitor.city)?.[0] ?? null,
      location_longitude: cityCoordinates(visitor.country, visitor.city)?.[1] ?? null,
      visitor_seconds_since_last: since.last,
      visitor_seconds_since_first: since.first,
    },
    actions,
    conversions: conversionsOf(actions, catalog.goals),
  };
}

/**
 * Matomo's `visitor_seconds_since_last` and `visitor_seconds_since_first` of a visit starting at
 * `start`: 0 for a new visitor, else the whole seconds from the start of the visitor's previous
 * (first) visit (VisitorSecondsSinceLast, VisitorSecondsSinceFirst); null for a visit in the past.
 */
function secondsSince(
  starts: Visitor['starts'],
  start: number,
): { last: number | null; first: number | null } {
  if (!starts) return { last: 0, first: 0 };
  const since = (earlier: number) => {
    const seconds = Math.floor(start / 1000) - Math.floor(earlier / 1000);
    return seconds < 0 ? null : seconds;
  };
  return { last: since(starts.last), first: since(starts.first) };
}

function newVisitor(random: Random, catalog: SiteCatalog, day: DayTraits): Visitor {
  const device = (day.weekend ? deviceTypes.weekend : deviceTypes.weekday).pick(random);
  const [browser, os] = platforms[device].pick(random);
  const prefix = IP_PREFIX[random.int(IP_PREFIX.length)] ?? 81;
  const id = random.hex16();
  const country = catalog.countries.pick(random);
  // The newer traits come from the visitor's own stream, so that the older columns stay the same.
  const own = new Random(id);
  const place = placeChoice(country);
  const home = place.cities?.pick(own);
  return {
    id,
    visits: 1,
    country,
    device,
    browser,
    os,
    ip: `${prefix}.${random.int(256)}.${random.int(256)}.0`,
    resolution: resolutions[device].pick(own),
    language: place.languages.pick(own),
    city: home?.city ?? null,
    region: home?.region ?? null,
    timezone: home?.timezone ?? 'UTC',
  };
}

const HOUR_MS = 3_600_000;
const offsets = new Map<string, number>();

/**
 * `HH:MM:SS` in the visitor's timezone. The offset is read once per timezone and hour (Intl is
 * slow per call), which is exact but for the hour of a DST change.
 */
function localTime(instant: number, timezone: string): string {
  const key = `${timezone}/${Math.floor(instant / HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = offsetAt(Math.floor(instant / HOUR_MS) * HOUR_MS, timezone);
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return new Date(instant + offset).toISOString().slice(11, 19);
}

interface Referrer {
  type: ReferrerType;
  name: string | null;
  keyword: string | null;
  url: string | null;
}

function pickReferrer(random: Random, type: ReferrerType, day: DayTraits): Referrer {
  switch (type) {
    case 'direct':
      return { type, name: null, keyword: null, url: null };
    case 'search': {
      const engine = engines.pick(random);
      // Most engines hide the keyword nowadays.
      const keyword = random.chance(0.35)
        ? (SEARCH_KEYWORDS[random.int(SEARCH_KEYWORDS.length)] ?? null)
        : null;
      return { type, name: engine.name, keyword, url: engine.url };
    }
    case 'website': {
      const site = websites.pick(random);
      return { type, name: site.name, keyword: null, url: site.url };
    }
    case 'social': {
      const network = networks.pick(random);
      return { type, name: network.name, keyword: null, url: network.url };
    }
    case 'campaign': {
      const [name, keywords] =
        day.newsletter && random.chance(0.8) ? ['newsletter', ['email']] : campaigns.pick(random);
      return { type, name, keyword: keywords[random.int(keywords.length)] ?? null, url: null };
    }
  }
}

function makeActions(
  random: Random,
  catalog: SiteCatalog,
  referrer: ReferrerType,
  start: number,
  now: number,
): ActionToWrite[] {
  // About 40 % bounce; the others see a few pages, occasionally many.
  const bounce = random.chance(referrer === 'direct' ? 0.34 : 0.44);
  let count = 1;
  if (!bounce) {
    count = 2;
    while (count < 30 && random.chance(0.62)) count++;
  }
  const actions: ActionToWrite[] = [];
  let time = start;
  for (let index = 0; index < count && time <= now; index++) {
    let type: ActionType = 'action';
    let idaction = catalog.entryPages[referrer].pick(random);
    if (index > 0) {
      const roll = random.next();
      if (roll < 0.05) type = 'download';
      else if (roll < 0.1) type = 'outlink';
      else if (roll < 0.15) type = 'search';
      idaction =
        type === 'download'
          ? catalog.downloads.pick(random)
          : type === 'outlink'
            ? catalog.outlinks.pick(random)
            : type === 'search'
              ? catalog.searches.pick(random)
              : catalog.pages.pick(random);
    }
    actions.push({ server_time: time, action_type: type, idaction_url: idaction, time_spent: 0 });
    // Seconds to the next action, under Matomo's 30-minute visit window.
    const gap = Math.min(1500, Math.max(3, Math.round(random.logNormal(40, 0.9)))) * 1000;
    time += gap;
  }
  for (let index = 0; index + 1 < actions.length; index++) {
    const action = actions[index] as ActionToWrite;
    const next = actions[index + 1] as ActionToWrite;
    action.time_spent = Math.round((next.server_time - action.server_time) / 1000);
  }
  return actions;
}

/**
 * About one visit in six triggers one to three events, each after one of its page views (never
 * the last action, so exits and visit times stay the same), half-way to the next action. They
 * come from their own stream, so that the other columns stay the same.
 */
function withEvents(random: Random, catalog: SiteCatalog, actions: ActionToWrite[]): ActionToWrite[] {
  if (actions.length < 2 || !random.chance(0.16)) return actions;
  const count = 1 + random.int(3);
  const after = new Map<number, ActionToWrite[]>();
  for (let made = 0; made < count; made++) {
    const index = random.int(actions.length - 1);
    const page = actions[index] as ActionToWrite;
    if (page.action_type !== 'action') continue;
    const list = after.get(index) ?? [];
    after.set(index, list);
    list.push({
      server_time: page.server_time + Math.floor(page.time_spent / 2) * 1000,
      action_type: 'event',
      idaction_url: page.idaction_url,
      time_spent: 0,
      event: catalog.events.pick(random),
    });
  }
  return actions.flatMap((action, index) => [action, ...(after.get(index) ?? [])]);
}

function choiceOf(entries: readonly ReferrerEntry[]): WeightedChoice<ReferrerEntry> {
  return new WeightedChoice(entries.map((entry) => [entry, entry.weight] as const));
}
