// The composition root: builds every component once, then hands each endpoint, grant, page and
// API method only what it uses. Nothing below this file receives the whole set.
import { accountRoutes } from './account/account.routes';
import { createConnectedApps } from './account/connected-apps';
import { createUserService, type UserService } from './accounts/user.service';
import { type AdminEndpoints, adminRoutes } from './admin/admin.routes';
import { createSecretFlash, type SecretFlash } from './admin/secret-flash';
import { type AuditLog, createAuditLog } from './audit/audit-log';
import { type ClientService, createClientService } from './clients/client.service';
import { type ClientUsage, createClientUsage } from './clients/client-usage';
import type { Clock } from './config/clock';
import { type AppSettings, defaultRateLimits } from './config/settings';
import { deriveKey } from './crypto/key-encryption';
import type { Db } from './db/database';
import { demoDashboardRoutes } from './demo-dashboard/demo-dashboard.routes';
import type { AppMiddleware } from './http/state';
import type { Logger } from './logging/logger';
import { matomoApi } from './matomo/matomo-api.routes';
import type { MethodTable } from './matomo/method-registry';
import { matomoMethods } from './matomo/methods';
import { confirmCallerPassword } from './matomo/password-confirmation';
import { authorizeEndpoint } from './oauth/authorize.endpoint';
import { discoveryEndpoints } from './oauth/discovery.endpoints';
import { endSessionEndpoint } from './oauth/end-session.endpoint';
import { createAuthorizationCodeGrant } from './oauth/grants/authorization-code.grant';
import { createClientCredentialsGrant } from './oauth/grants/client-credentials.grant';
import { createRefreshTokenGrant } from './oauth/grants/refresh-token.grant';
import { createRevokeGrant } from './oauth/grants/revoke-grant';
import { introspectionEndpoint } from './oauth/introspection.endpoint';
import { revocationEndpoint } from './oauth/revocation.endpoint';
import { tokenEndpoint } from './oauth/token.endpoint';
import type { TokenStateCache } from './oauth/token-state-cache';
import { userinfoEndpoint } from './oauth/userinfo.endpoint';
import { countAuditEvents } from './observability/audit-metrics';
import type { Metrics } from './observability/metrics';
import { countRefusals } from './observability/rate-limit-metrics';
import { type CounterStore, openRateLimitStore, type RateLimitStore } from './rate-limit/rate-limit-store';
import { createRateLimiter, type RateLimiter } from './rate-limit/rate-limiter';
import { createSessionCookies, type SessionCookies } from './sessions/session-cookies';
import { createSessionStore, type SessionStore } from './sessions/session-store';
import { signInRoutes } from './sessions/sign-in.routes';
import { createSiteService, type SiteService } from './sites/site.service';
import { type AccessTokenCodec, createAccessTokenCodec } from './tokens/access-token';
import { adoptSigningAlgorithm } from './tokens/adopt-signing-algorithm';
import { createIdTokenCodec, type IdTokenCodec } from './tokens/id-token';
import { openSigningKeyStore, type SigningKeyStore } from './tokens/signing-keys';
import type { ApiCaller } from './users/api-caller';
import { createPasswordCheck, type PasswordCheck } from './users/password-check';
import { type ConfirmPassword, createPasswordConfirmation } from './users/password-confirmation';

/** The stateful components, built once per server. */
export interface Services {
  settings: AppSettings;
  clock: Clock;
  db: Db;
  audit: AuditLog;
  keys: SigningKeyStore;
  codec: AccessTokenCodec;
  idTokens: IdTokenCodec;
  sessions: SessionStore;
  cookies: SessionCookies;
  clientService: ClientService;
  siteService: SiteService;
  clientUsage: ClientUsage;
  userService: UserService;
  /** A user's password, checked under the sign-in limits (sign-in and every confirmation). */
  checkPassword: PasswordCheck;
  confirmPassword: ConfirmPassword;
  /** Carries a client secret just created to the page that shows it once. */
  secretFlash: SecretFlash;
  limits: {
    loginPerIp: RateLimiter;
    loginPerUser: RateLimiter;
    loginPerAccount: RateLimiter;
    clientAuthentication: RateLimiter;
  };
  /** Where the limits keep their counts: `close()` it at shutdown (it ends the PostgreSQL store's pool). */
  rateLimitStore: CounterStore;
  /** What the Bearer check found for recent tokens, if remembered (its plugin must be on `db`). */
  tokenStates?: TokenStateCache<ApiCaller>;
}

export interface ServicesOptions {
  db: Db;
  settings: AppSettings;
  /** The operator's secret: encrypts signing keys. */
  masterSecret: Buffer;
  clock: Clock;
  logger: Logger;
  /** Where the rate limits keep their counts: this process's memory unless workers or instances share them. */
  rateLimitStore?: RateLimitStore;
  /** Counts tokens issued, replays and reuse (from the audit events) and rate-limit refusals. */
  metrics: Metrics;
  /** Remembers what the Bearer check found, briefly; `db` must carry its plugin. */
  tokenStates?: TokenStateCache<ApiCaller>;
}

/** Builds the components. Loads (or creates) the signing keys, so it is async. */
export async function createServices({
  db,
  settings,
  masterSecret,
  clock,
  logger,
  rateLimitStore = { kind: 'memory' },
  metrics,
  tokenStates,
}: ServicesOptions): Promise<Services> {
  const audit = createAuditLog({ db, clock, logger, onRecord: countAuditEvents(metrics) });
  const keys = await openSigningKeyStore({
    db,
    masterSecret,
    clock,
    accessTokenTtlMs: settings.accessTokenTtl * 1000,
    alg: settings.accessTokenAlg,
  });
  await adoptSigningAlgorithm({
    keys,
    alg: settings.accessTokenAlg,
    leadSeconds: settings.keyRotationLead,
    logger,
    audit,
  });
  const counts = openRateLimitStore(rateLimitStore);
  const limiter = (name: string, options: { limit: number; windowMs: number; maxInFlight?: number }) =>
    countRefusals(createRateLimiter({ ...options, clock, store: counts, name }), metrics.rateLimiter(name));
  const { rateLimits } = settings;
  const passwordLimits = {
    loginPerIp: limiter('login-ip', rateLimits.loginPerIp),
    loginPerUser: limiter('login-user', rateLimits.loginPerUser),
    loginPerAccount: limiter(
      'login-account',
      rateLimits.loginPerAccount ?? defaultRateLimits.loginPerAccount,
    ),
  };
  const checkPassword = createPasswordCheck({ db, limits: passwordLimits });
  const cookies = createSessionCookies(settings.issuer);
  return {
    settings,
    clock,
    db,
    audit,
    keys,
    codec: createAccessTokenCodec({
      keys,
      clock,
      issuer: settings.issuer,
      audience: settings.audience,
      ttlSeconds: settings.accessTokenTtl,
    }),
    idTokens: createIdTokenCodec({
      keys,
      clock,
      issuer: settings.issuer,
      ttlSeconds: settings.accessTokenTtl,
    }),
    sessions: createSessionStore({ db, clock, ttlMs: settings.sessionTtl * 1000 }),
    cookies,
    clientService: createClientService({ db, audit, clock }),
    siteService: createSiteService({ db, audit }),
    clientUsage: createClientUsage({ db, clock, logger }),
    userService: createUserService({ db, audit, clock }),
    checkPassword,
    confirmPassword: createPasswordConfirmation({ checkPassword, audit }),
    secretFlash: createSecretFlash({ key: deriveKey(masterSecret, 'secret-flash'), cookies, db, clock }),
    limits: {
      ...passwordLimits,
      // Secrets carry 256 bits: many concurrent token requests from one backend must pass.
      clientAuthentication: limiter('client-authentication', {
        ...rateLimits.clientAuthenticationPerIp,
        maxInFlight: 256,
      }),
    },
    rateLimitStore: counts,
    ...(tokenStates ? { tokenStates } : {}),
  };
}

/** Every endpoint, page and API method, each built with what it uses. */
export interface Endpoints {
  authorize: { get: AppMiddleware[]; post: AppMiddleware[] };
  token: { post: AppMiddleware[]; other: AppMiddleware[] };
  revocation: { post: AppMiddleware[]; preflight: AppMiddleware[] };
  introspection: AppMiddleware[];
  discovery: { metadata: AppMiddleware[]; openidConfiguration: AppMiddleware[]; jwks: AppMiddleware[] };
  userinfo: { get: AppMiddleware[]; post: AppMiddleware[] };
  endSession: { get: AppMiddleware[]; post: AppMiddleware[] };
  signIn: { showSignIn: AppMiddleware[]; signIn: AppMiddleware[]; signOut: AppMiddleware[] };
  /** Every user's page of connected applications, `/account`. */
  account: { show: AppMiddleware[]; revoke: AppMiddleware[] };
  matomoApi: AppMiddleware[];
  /** The operator's pages under /admin/. */
  admin: AdminEndpoints;
  /** The Matomo API's methods, which `matomoApi` dispatches to. */
  matomoMethods: MethodTable;
  /** Demo mode: the demo dashboard at /demo/. */
  demoDashboard?: { index: AppMiddleware[]; asset: AppMiddleware[] };
}

export interface EndpointOptions {
  /** Demo mode: where the built demo dashboard is (`apps/demo/dist`), served at /demo/. */
  demoDashboardDir?: string;
}

export function createEndpoints(services: Services, { demoDashboardDir }: EndpointOptions = {}): Endpoints {
  const { db, clock, audit, codec, idTokens, keys, settings, sessions, cookies, limits } = services;
  const revokeGrant = createRevokeGrant({ db, clock, audit });
  const clientAuthentication = { db, audit, limiter: limits.clientAuthentication };
  const session = { db, sessions, cookies };
  const methods = matomoMethods({
    db,
    clock,
    sites: services.siteService,
    clients: services.clientService,
    confirmPassword: confirmCallerPassword(services.confirmPassword),
  });
  return {
    authorize: authorizeEndpoint({
      ...session,
      clock,
      audit,
      issuer: settings.issuer,
      authorizationCodeTtl: settings.authorizationCodeTtl,
    }),
    token: tokenEndpoint({
      ...clientAuthentication,
      clientUsage: services.clientUsage,
      grants: {
        authorization_code: createAuthorizationCodeGrant({
          db,
          clock,
          codec,
          idTokens,
          audit,
          revokeGrant,
          refreshTokenTtlMs: settings.refreshTokenTtl * 1000,
          refreshTokenIdleTtlMs: settings.refreshTokenIdleTtl * 1000,
        }),
        client_credentials: createClientCredentialsGrant({ codec, audit }),
        refresh_token: createRefreshTokenGrant({
          db,
          clock,
          codec,
          idTokens,
          audit,
          revokeGrant,
          refreshTokenIdleTtlMs: settings.refreshTokenIdleTtl * 1000,
        }),
      },
    }),
    revocation: revocationEndpoint({ ...clientAuthentication, codec, revokeGrant }),
    introspection: introspectionEndpoint({ ...clientAuthentication, clock, codec, issuer: settings.issuer }),
    discovery: discoveryEndpoints({ issuer: settings.issuer, keys }),
    userinfo: userinfoEndpoint({ db, codec }),
    endSession: endSessionEndpoint({ ...session, clock, audit, idTokens }),
    signIn: signInRoutes({
      ...session,
      clock,
      audit,
      sessionTtl: settings.sessionTtl,
      checkPassword: services.checkPassword,
    }),
    account: accountRoutes({ session, connectedApps: createConnectedApps({ db, clock, audit }) }),
    matomoApi: matomoApi({
      db,
      codec,
      methods,
      ...(services.tokenStates ? { tokenStates: services.tokenStates } : {}),
    }),
    admin: adminRoutes({
      db,
      clock,
      session,
      clients: services.clientService,
      users: services.userService,
      sites: services.siteService,
      confirmPassword: services.confirmPassword,
      secretFlash: services.secretFlash,
      issuer: settings.issuer,
    }),
    matomoMethods: methods,
    ...(demoDashboardDir === undefined
      ? {}
      : { demoDashboard: demoDashboardRoutes({ dir: demoDashboardDir, issuer: settings.issuer }) }),
  };
}
