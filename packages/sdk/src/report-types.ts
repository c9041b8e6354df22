import type { components } from './generated/openapi';

type Schemas = components['schemas'];

// The Matomo API's result types by name, so that an application need not spell
// `components['schemas'][…]`. Types only: nothing of this reaches a bundle.

/**
 * `VisitsSummary.get`'s record (or each period's, in a map).
 *
 * @example
 * ```ts
 * const visits = (summary: VisitsSummary) => summary.nb_visits;
 * ```
 */
export type VisitsSummary = Schemas['VisitsSummary'];
/**
 * `Actions.get`'s record.
 *
 * @example
 * ```ts
 * const views = (summary: ActionsSummary) => summary.nb_pageviews;
 * ```
 */
export type ActionsSummary = Schemas['ActionsSummary'];
/**
 * A row of `Actions.getPageUrls`, with its subtable when expanded.
 *
 * @example
 * ```ts
 * const labels = (rows: PageUrlRow[]) => rows.map((row) => row.label);
 * ```
 */
export type PageUrlRow = Schemas['PageUrlRow'];
/**
 * A row of `Referrers.getReferrerType`.
 *
 * @example
 * ```ts
 * const visits = (row: ReferrerTypeRow) => row.nb_visits;
 * ```
 */
export type ReferrerTypeRow = Schemas['ReferrerTypeRow'];
/**
 * A row of a report of visit metrics per label (a subtable of `Referrers.getReferrerType`, for example).
 *
 * @example
 * ```ts
 * const visits = (row: VisitMetricsRow) => row.nb_visits;
 * ```
 */
export type VisitMetricsRow = Schemas['VisitMetricsRow'];
/**
 * A row of `UserCountry.getCountry`.
 *
 * @example
 * ```ts
 * const codes = (rows: CountryRow[]) => rows.map((row) => row.code);
 * ```
 */
export type CountryRow = Schemas['CountryRow'];
/**
 * A row of `DevicesDetection.getType`.
 *
 * @example
 * ```ts
 * const label = (row: DeviceTypeRow) => row.label;
 * ```
 */
export type DeviceTypeRow = Schemas['DeviceTypeRow'];
/**
 * A visit of `Live.getLastVisitsDetails`.
 *
 * @example
 * ```ts
 * const actions = (visit: Visit) => visit.actions;
 * ```
 */
export type Visit = Schemas['Visit'];
/**
 * `Live.getCounters`' record.
 *
 * @example
 * ```ts
 * const visits = (counters: LiveCounters) => counters.visits;
 * ```
 */
export type LiveCounters = Schemas['LiveCounters'];
/**
 * A website, as `SitesManager` returns it.
 *
 * @example
 * ```ts
 * const name = (site: Site) => site.name;
 * ```
 */
export type Site = Schemas['Site'];
/**
 * A note of `Annotations.getAll` or `Annotations.add`.
 *
 * @example
 * ```ts
 * const text = (note: Annotation) => `${note.date}: ${note.note}`;
 * ```
 */
export type Annotation = Schemas['Annotation'];
/**
 * An OAuth client, as the `OAuth2.*` methods return it.
 *
 * @example
 * ```ts
 * const id = (client: OAuth2Client) => client.client_id;
 * ```
 */
export type OAuth2Client = Schemas['OAuth2Client'];
/**
 * A Matomo error body (`{"result":"error","message":…}`).
 *
 * @example
 * ```ts
 * const message = (body: MatomoErrorBody) => body.message;
 * ```
 */
export type MatomoErrorBody = Schemas['MatomoError'];
/**
 * A row of `DevicesDetection.getBrowsers` or `getOsFamilies` (with its `logo`).
 *
 * @example
 * ```ts
 * const logo = (row: LogoRow) => row.logo;
 * ```
 */
export type LogoRow = Schemas['LogoRow'];
/**
 * A row of `VisitTime.getVisitInformationPerServerTime` (one per hour).
 *
 * @example
 * ```ts
 * const hour = (row: ServerTimeRow) => row.label;
 * ```
 */
export type ServerTimeRow = Schemas['ServerTimeRow'];
/**
 * A row of `VisitTime.getByDayOfWeek`.
 *
 * @example
 * ```ts
 * const day = (row: DayOfWeekRow) => row.day_of_week;
 * ```
 */
export type DayOfWeekRow = Schemas['DayOfWeekRow'];
/**
 * `VisitFrequency.get`'s record (new and returning visits).
 *
 * @example
 * ```ts
 * const returning = (record: VisitFrequency) => record.nb_visits_returning;
 * ```
 */
export type VisitFrequency = Schemas['VisitFrequency'];
/**
 * A row of `VisitorInterest.getNumberOfVisitsPerVisitDuration` or `getNumberOfVisitsPerPage`.
 *
 * @example
 * ```ts
 * const bucket = (row: VisitorInterestRow) => row.label;
 * ```
 */
export type VisitorInterestRow = Schemas['VisitorInterestRow'];
/**
 * A row of `Actions.getDownloads` or `Actions.getOutlinks` (a host, or a URL in its subtable).
 *
 * @example
 * ```ts
 * const hits = (row: ClickUrlRow) => row.nb_hits;
 * ```
 */
export type ClickUrlRow = Schemas['ClickUrlRow'];
/**
 * A row of `Referrers.getAll`.
 *
 * @example
 * ```ts
 * const type = (row: ReferrerRow) => row.referer_type;
 * ```
 */
export type ReferrerRow = Schemas['ReferrerRow'];
/**
 * A row of `Actions.getEntryPageUrls` or `Actions.getExitPageUrls`.
 *
 * @example
 * ```ts
 * const label = (row: LandingPageUrlRow) => row.label;
 * ```
 */
export type LandingPageUrlRow = Schemas['LandingPageUrlRow'];
/**
 * A row of `Actions.getPageTitles`.
 *
 * @example
 * ```ts
 * const title = (row: PageTitleRow) => row.label;
 * ```
 */
export type PageTitleRow = Schemas['PageTitleRow'];
/**
 * A row of `Actions.getSiteSearchKeywords`.
 *
 * @example
 * ```ts
 * const keyword = (row: SiteSearchKeywordRow) => row.label;
 * ```
 */
export type SiteSearchKeywordRow = Schemas['SiteSearchKeywordRow'];
/**
 * A row of `Referrers.getWebsites`, `getSearchEngines`, `getKeywords`, `getSocials` or `getCampaigns`.
 *
 * @example
 * ```ts
 * const visits = (row: ReferrerDimensionRow) => row.nb_visits;
 * ```
 */
export type ReferrerDimensionRow = Schemas['ReferrerDimensionRow'];
/**
 * A row of `Resolution.getResolution`.
 *
 * @example
 * ```ts
 * const resolution = (row: ResolutionRow) => row.label;
 * ```
 */
export type ResolutionRow = Schemas['ResolutionRow'];
/**
 * A row of `UserLanguage.getLanguage`.
 *
 * @example
 * ```ts
 * const language = (row: LanguageRow) => row.label;
 * ```
 */
export type LanguageRow = Schemas['LanguageRow'];
/**
 * A row of `UserCountry.getContinent`.
 *
 * @example
 * ```ts
 * const continent = (row: ContinentRow) => row.label;
 * ```
 */
export type ContinentRow = Schemas['ContinentRow'];
/**
 * A row of `UserCountry.getRegion`.
 *
 * @example
 * ```ts
 * const region = (row: RegionRow) => row.label;
 * ```
 */
export type RegionRow = Schemas['RegionRow'];
/**
 * A row of `UserCountry.getCity`.
 *
 * @example
 * ```ts
 * const city = (row: CityRow) => row.label;
 * ```
 */
export type CityRow = Schemas['CityRow'];
/**
 * A row of `VisitTime.getVisitInformationPerLocalTime` (one per hour).
 *
 * @example
 * ```ts
 * const hour = (row: LocalTimeRow) => row.label;
 * ```
 */
export type LocalTimeRow = Schemas['LocalTimeRow'];
/**
 * A row of `MultiSites.getAll` (one site, with its evolutions).
 *
 * @example
 * ```ts
 * const site = (row: MultiSitesRow) => row.label;
 * ```
 */
export type MultiSitesRow = Schemas['MultiSitesRow'];
/**
 * `MultiSites.getOne`'s record.
 *
 * @example
 * ```ts
 * const visits = (record: MultiSitesOne) => record.nb_visits;
 * ```
 */
export type MultiSitesOne = Schemas['MultiSitesOne'];
/**
 * `Goals.get`'s record: conversions, converted visits, revenue and conversion rate, for all
 * visits, new visits (`_new_visit`) and returning visits (`_returning_visit`).
 *
 * @example
 * ```ts
 * const conversions = (record: GoalsSummary) => record.nb_conversions;
 * ```
 */
export type GoalsSummary = Schemas['GoalsSummary'];
/**
 * A goal of `Goals.getGoals` (its result is keyed by goal id).
 *
 * @example
 * ```ts
 * const name = (goal: Goal) => goal.name;
 * ```
 */
export type Goal = Schemas['Goal'];
/**
 * One goal's conversions on a report row (`row.goals['idgoal=1']`).
 *
 * @example
 * ```ts
 * const revenue = (metrics: RowGoalMetrics) => metrics.revenue;
 * ```
 */
export type RowGoalMetrics = Schemas['RowGoalMetrics'];
/**
 * A row of `Events.getCategory`, `getAction`, `getName` and their subtable methods.
 *
 * @example
 * ```ts
 * const events = (row: EventRow) => row.nb_events;
 * ```
 */
export type EventRow = Schemas['EventRow'];
/**
 * One entry of a visit's `actionDetails`: a page view, download, outlink, site search, event or goal conversion.
 *
 * @example
 * ```ts
 * const kind = (action: VisitAction) => action.type;
 * ```
 */
export type VisitAction = Schemas['VisitAction'];
/**
 * `Live.getVisitorProfile`'s record.
 *
 * @example
 * ```ts
 * const visits = (profile: VisitorProfile) => profile.totalVisits;
 * ```
 */
export type VisitorProfile = Schemas['VisitorProfile'];
