// The composition root: builds every component once, then hands each endpoint, grant, page and
// API method only what it uses. Nothing below this file receives the whole set.
import { type AuditLog, createAuditLog } from './audit/audit-log';
import { type ClientService, createClientService } from './clients/client.service';
import { type ClientUsage, createClientUsage } from './clients/client-usage';
import type { Clock } from './config/clock';
import { type AppSettings, defaultRateLimits } from './config/settings';
import type { Db } from './db/database';
import type { AppMiddleware } from './http/state';
import type { Logger } from './logging/logger';
import { matomoApi } from './matomo/matomo-api.routes';
import type { MethodTable } from './matomo/method-registry';
import { matomoMethods } from './matomo/methods';
import { createPasswordConfirmation } from './matomo/password-confirmation';
import { authorizeEndpoint } from './oauth/authorize.endpoint';
import { discoveryEndpoints } from './oauth/discovery.endpoints';
import { createAuthorizationCodeGrant } from './oauth/grants/authorization-code.grant';
import { createClientCredentialsGrant } from './oauth/grants/client-credentials.grant';
import { createRefreshTokenGrant } from './oauth/grants/refresh-token.grant';
import { createRevokeGrant } from './oauth/grants/revoke-grant';
import { introspectionEndpoint } from './oauth/introspection.endpoint';
import { revocationEndpoint } from './oauth/revocation.endpoint';
import { tokenEndpoint } from './oauth/token.endpoint';
import { createRateLimiter, type RateLimiter } from './rate-limit/rate-limiter';
import { createSessionCookies, type SessionCookies } from './sessions/session-cookies';
import { createSessionStore, type SessionStore } from './sessions/session-store';
import { signInRoutes } from './sessions/sign-in.routes';
import { createSiteService, type SiteService } from './sites/site.service';
import { type AccessTokenCodec, createAccessTokenCodec } from './tokens/access-token';
import { openSigningKeyStore, type SigningKeyStore } from './tokens/signing-keys';

/** The stateful components, built once per server. */
export interface Services {
  settings: AppSettings;
  clock: Clock;
  db: Db;
  audit: AuditLog;
  keys: SigningKeyStore;
  codec: AccessTokenCodec;
  sessions: SessionStore;
  cookies: SessionCookies;
  clientService: ClientService;
  siteService: SiteService;
  clientUsage: ClientUsage;
  limits: {
    loginPerIp: RateLimiter;
    loginPerUser: RateLimiter;
    loginPerAccount: RateLimiter;
    clientAuthentication: RateLimiter;
  };
}

export interface ServicesOptions {
  db: Db;
  settings: AppSettings;
  /** The operator's secret: encrypts signing keys. */
  masterSecret: Buffer;
  clock: Clock;
  logger: Logger;
}

/** Builds the components. Loads (or creates) the signing keys, so it is async. */
export async function createServices({
  db,
  settings,
  masterSecret,
  clock,
  logger,
}: ServicesOptions): Promise<Services> {
  const audit = createAuditLog({ db, clock, logger });
  const keys = await openSigningKeyStore({
    db,
    masterSecret,
    clock,
    accessTokenTtlMs: settings.accessTokenTtl * 1000,
  });
  const limiter = (options: { limit: number; windowMs: number }) => createRateLimiter({ ...options, clock });
  const { rateLimits } = settings;
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
    sessions: createSessionStore({ db, clock, ttlMs: settings.sessionTtl * 1000 }),
    cookies: createSessionCookies(settings.issuer),
    clientService: createClientService({ db, audit, clock }),
    siteService: createSiteService({ db }),
    clientUsage: createClientUsage({ db, clock, logger }),
    limits: {
      loginPerIp: limiter(rateLimits.loginPerIp),
      loginPerUser: limiter(rateLimits.loginPerUser),
      loginPerAccount: limiter(rateLimits.loginPerAccount ?? defaultRateLimits.loginPerAccount),
      // Secrets carry 256 bits: many concurrent token requests from one backend must pass.
      clientAuthentication: createRateLimiter({
        ...rateLimits.clientAuthenticationPerIp,
        clock,
        maxInFlight: 256,
      }),
    },
  };
}

/** Every endpoint, page and API method, each built with what it uses. */
export interface Endpoints {
  authorize: { get: AppMiddleware[]; post: AppMiddleware[] };
  token: { post: AppMiddleware[]; other: AppMiddleware[] };
  revocation: { post: AppMiddleware[]; preflight: AppMiddleware[] };
  introspection: AppMiddleware[];
  discovery: { metadata: AppMiddleware[]; jwks: AppMiddleware[] };
  signIn: { showSignIn: AppMiddleware[]; signIn: AppMiddleware[]; signOut: AppMiddleware[] };
  matomoApi: AppMiddleware[];
  /** The Matomo API's methods, which `matomoApi` dispatches to. */
  matomoMethods: MethodTable;
}

export function createEndpoints(services: Services): Endpoints {
  const { db, clock, audit, codec, keys, settings, sessions, cookies, limits } = services;
  const revokeGrant = createRevokeGrant({ db, clock, audit });
  const clientAuthentication = { db, audit, limiter: limits.clientAuthentication };
  const session = { db, sessions, cookies };
  const methods = matomoMethods({
    db,
    clock,
    sites: services.siteService,
    clients: services.clientService,
    confirmPassword: createPasswordConfirmation({ db, limiter: limits.loginPerUser }),
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
          audit,
          revokeGrant,
          refreshTokenIdleTtlMs: settings.refreshTokenIdleTtl * 1000,
        }),
      },
    }),
    revocation: revocationEndpoint({ ...clientAuthentication, codec, revokeGrant }),
    introspection: introspectionEndpoint({ ...clientAuthentication, clock, codec, issuer: settings.issuer }),
    discovery: discoveryEndpoints({ issuer: settings.issuer, keys }),
    signIn: signInRoutes({
      ...session,
      audit,
      sessionTtl: settings.sessionTtl,
      limits: {
        loginPerIp: limits.loginPerIp,
        loginPerUser: limits.loginPerUser,
        loginPerAccount: limits.loginPerAccount,
      },
    }),
    matomoApi: matomoApi({ db, codec, methods }),
    matomoMethods: methods,
  };
}
