export type { AccessTokenProvider } from './access-token-provider';
export {
  type BrowserLogin,
  type BrowserLoginOptions,
  createBrowserLogin,
  type LoginOptions,
} from './browser-login';
export type { ClientAuth } from './client-auth';
export { type AuthorizationServer, discover, matomoEndpoints, type ServerOptions } from './discovery';
export {
  type ErrorCode,
  type ErrorDetails,
  LoginRequiredError,
  MatomoApiError,
  MatomoOAuth2Error,
  OAuthResponseError,
  ProtocolError,
} from './errors';
export type { FetchLike } from './http';
export type {
  ExactParams,
  MatomoMethod,
  MatomoMethodWithoutParams,
  MatomoParams,
  MatomoResponse,
  MatomoResult,
} from './matomo-call-types';
export { createMatomoClient, type MatomoClient, type MatomoClientOptions } from './matomo-client';
export { createMatomoMiddleware } from './matomo-middleware';
/**
 * The types generated from the contract (also at `@matomo-oauth2/sdk/openapi`).
 *
 * @example
 * ```ts
 * import type { components } from '@matomo-oauth2/sdk';
 * type Summary = components['schemas']['VisitsSummary'];
 * ```
 */
export type { components, operations, paths } from './openapi';
export { randomToken } from './random-token';
export type {
  ActionsSummary,
  Annotation,
  CityRow,
  ClickUrlRow,
  ContinentRow,
  CountryRow,
  DayOfWeekRow,
  DeviceTypeRow,
  EventRow,
  Goal,
  GoalsSummary,
  LandingPageUrlRow,
  LanguageRow,
  LiveCounters,
  LocalTimeRow,
  LogoRow,
  MatomoErrorBody,
  MultiSitesOne,
  MultiSitesRow,
  OAuth2Client,
  PageTitleRow,
  PageUrlRow,
  ReferrerDimensionRow,
  ReferrerRow,
  ReferrerTypeRow,
  RegionRow,
  ResolutionRow,
  RowGoalMetrics,
  ServerTimeRow,
  Site,
  SiteSearchKeywordRow,
  Visit,
  VisitAction,
  VisitFrequency,
  VisitMetricsRow,
  VisitorInterestRow,
  VisitorProfile,
  VisitsSummary,
} from './report-types';
export type { MatomoScope, ScopeList } from './scope-list';
export {
  createMemoryStore,
  createWebStorageStore,
  type StorageOption,
  type TokenStore,
  type WebStorageLike,
} from './storage';
export {
  type ChannelLike,
  createTabCoordinator,
  type LockManagerLike,
  type RefreshCoordinator,
  type TabCoordinatorOptions,
  type TabMessage,
} from './tab-coordinator';
export {
  processRevocationResponse,
  processTokenResponse,
  revocationRequest,
  type TokenResponse,
  tokenRequest,
} from './token-endpoint';
export {
  createTokenManager,
  type TokenManager,
  type TokenManagerEvents,
  type TokenManagerOptions,
  type TokenSource,
} from './token-manager';
export type { TokenSet } from './token-set';
