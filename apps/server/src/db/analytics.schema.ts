import type { Generated } from 'kysely';
import type { Flag, Millis } from './columns';

/** How a visit arrived; the wire names of Matomo's `referrerType`. */
export type ReferrerType = 'direct' | 'search' | 'website' | 'campaign' | 'social';

/** Matomo's device types, as `DevicesDetection.getType` labels them. */
export type DeviceType = 'Desktop' | 'Smartphone' | 'Tablet' | 'Phablet' | 'TV' | 'Console' | 'Unknown';

/**
 * The kinds of entries in `log_action`. Pages and folders form the page URL tree; an event's
 * category, action and name are separate kinds, as Matomo's `TYPE_EVENT_*`.
 */
export type ActionKind =
  | 'page'
  | 'folder'
  | 'download'
  | 'outlink'
  | 'search'
  | 'event_category'
  | 'event_action'
  | 'event_name';

/** What a visitor did, as Live's `actionDetails[].type` names it (`action` is a page view). */
export type ActionType = 'action' | 'download' | 'outlink' | 'search' | 'event';

/**
 * One visit (Matomo's `log_visit`). A visit belongs to the period that contains its last action
 * time, in the site's timezone, as Matomo archives it.
 */
export interface LogVisitTable {
  idvisit: Generated<number>;
  idsite: number;
  /** 16 lower-case hex digits. */
  visitor_id: string;
  visit_first_action_time: Millis;
  visit_last_action_time: Millis;
  /** Every action: page views, downloads, outlinks and site searches. */
  visit_total_actions: number;
  /** Seconds between the first and the last action. */
  visit_total_time: number;
  visitor_returning: Flag;
  /** This visitor's visit number (1 for a first visit). */
  visitor_count_visits: number;
  referrer_type: ReferrerType;
  /** Search engine, website host, campaign or social network; null for direct entries. */
  referrer_name: string | null;
  /** Search keyword or campaign keyword. */
  referrer_keyword: string | null;
  referrer_url: string | null;
  /** ISO 3166-1 alpha-2, lower case; `xx` when unknown. */
  location_country: string;
  device_type: DeviceType;
  browser_name: string;
  os_name: string;
  /** Anonymised: the last byte is zeroed. */
  location_ip: string;
  /** The first page view's `log_action` (a page). */
  entry_idaction_url: number | null;
  /** The last page view's `log_action` (a page). */
  exit_idaction_url: number | null;
  /** Screen `WIDTHxHEIGHT`, e.g. `1920x1080`; `unknown` when not sent. */
  config_resolution: string;
  /** The browser's Accept-Language, lower case, e.g. `de-de,de`; `xx` when unknown. */
  location_browser_lang: string;
  /** The city's English name; null when unknown. */
  location_city: string | null;
  /** The region's ISO 3166-2 subdivision code without the country (`BY` for Bavaria); null when unknown. */
  location_region: string | null;
  /** The visitor's local time of the first action, `HH:MM:SS`; null when unknown. */
  visitor_localtime: string | null;
  /** The city's latitude in degrees (Matomo's DECIMAL(9,6)); null when unknown. */
  location_latitude: number | null;
  /** The city's longitude in degrees; null when unknown. */
  location_longitude: number | null;
  /** 1 when the visit converted at least one goal. */
  visit_goal_converted: Generated<Flag>;
  /**
   * Seconds from the start of the visitor's previous visit to this one's (Matomo's
   * `visitor_seconds_since_last`); 0 for a new visitor, null when unknown.
   */
  visitor_seconds_since_last: number | null;
  /** Seconds from the start of the visitor's first visit to this one's; 0 for a new visitor, null when unknown. */
  visitor_seconds_since_first: number | null;
}

/** One action of a visit (Matomo's `log_link_visit_action`). */
export interface LogLinkVisitActionTable {
  idlink_va: Generated<number>;
  idvisit: number;
  idsite: number;
  /** Copied from the visit so that per-page unique visitors need no join. */
  visitor_id: string;
  server_time: Millis;
  action_type: ActionType;
  /** A page, download, outlink or site-search keyword in `log_action`; for an event, the page it happened on. */
  idaction_url: number;
  /** Seconds until the next action; 0 for the last one. */
  time_spent: number;
  /** An event's category (`event_category` in `log_action`); null for other actions. */
  idaction_event_category: number | null;
  /** An event's action (`event_action`). */
  idaction_event_action: number | null;
  /** An event's name (`event_name`); null when the event has none. */
  idaction_name: number | null;
  /** An event's numeric value; null when it has none. */
  custom_float: number | null;
}

/**
 * The names actions refer to, shared by every site as in Matomo. Pages and folders store a path
 * (`/blog/2026/post`, folders end with `/`) so that a folder's id, the `idsubdatatable` of the page
 * URL report, is the same for every site, period and request. Downloads and outlinks store a full
 * URL, site searches the keyword.
 */
export interface LogActionTable {
  idaction: Generated<number>;
  type: ActionKind;
  name: string;
  /** A page's title. */
  title: string | null;
  /** The folder that holds a page or a folder; null at the top level. */
  parent_idaction: number | null;
}

/** A note on a day of a site's evolution graphs. `idnote` counts per site, from 0, as in Matomo. */
export interface AnnotationTable {
  idsite: number;
  idnote: number;
  /** `YYYY-MM-DD`, a day in the site's calendar. */
  date: string;
  note: string;
  starred: Flag;
  /** The author's login. */
  user_login: string;
  created_at: Millis;
}

/** What a goal matches, as Matomo's `match_attribute`. */
export type GoalMatchAttribute =
  | 'url'
  | 'title'
  | 'file'
  | 'external_website'
  | 'event_category'
  | 'event_action'
  | 'event_name'
  | 'visit_duration'
  | 'manually';

/** A site's goal (Matomo's `goal`). `idgoal` counts per site, from 1. */
export interface GoalTable {
  idsite: number;
  idgoal: number;
  name: string;
  description: string;
  match_attribute: GoalMatchAttribute;
  pattern: string;
  /** `contains`, `exact`, `regex` (or `greater_than` for `visit_duration`). */
  pattern_type: string;
  case_sensitive: Flag;
  allow_multiple: Flag;
  /** The default revenue of a conversion. */
  revenue: number;
  event_value_as_revenue: Flag;
  deleted: Flag;
}

/** One conversion of a goal in a visit (Matomo's `log_conversion`). */
export interface LogConversionTable {
  idvisit: number;
  idsite: number;
  idgoal: number;
  /** Numbers a goal's conversions within one visit: 0, and more when the goal allows several. */
  buster: number;
  server_time: Millis;
  /** The page, download or outlink that converted; null for a manual conversion. */
  idaction_url: number | null;
  revenue: number;
}

/** The analytics tables; `Database` extends this. */
export interface AnalyticsTables {
  log_visit: LogVisitTable;
  log_link_visit_action: LogLinkVisitActionTable;
  log_action: LogActionTable;
  annotations: AnnotationTable;
  goals: GoalTable;
  log_conversion: LogConversionTable;
  archive_days: ArchiveDayTable;
}

/**
 * One report's rows for one site and local day (analytics/archives), as JSON. `day` is the day
 * number (days since 1970-01-01) in the site's timezone; `report` names the report and its query.
 */
export interface ArchiveDayTable {
  idsite: number;
  report: string;
  day: number;
  rows: string;
}
