import { type AuditLog, createAuditLog } from './audit/audit-log';
import { type ClientRepository, createClientRepository } from './clients/client.repository';
import { type ClientService, createClientService } from './clients/client.service';
import { type ClientUsage, createClientUsage } from './clients/client-usage';
import type { Clock } from './clock';
import { deriveKey } from './crypto/key-encryption';
import type { Db } from './db/database';
import { createRateLimiter, type RateLimiter } from './rate-limit/rate-limiter';
import { createLoginCsrf, type LoginCsrf } from './sessions/login-csrf';
import { createSessionStore, type SessionStore } from './sessions/session-store';
import { createSiteRepository, type SiteRepository } from './sites/site.repository';
import { type AccessTokenCodec, createAccessTokenCodec } from './tokens/access-token';
import {
  type AuthorizationCodeRepository,
  createAuthorizationCodeRepository,
} from './tokens/authorization-codes';
import { createSigningKeyStore, type SigningKeyStore } from './tokens/signing-keys';
import { createTokenService, type TokenService } from './tokens/token-service';
import { createUserRepository, type UserRepository } from './users/user.repository';

/** What the app needs to know beyond its services. Times in seconds. */
export interface AppSettings {
  issuer: string;
  /** `aud` of access tokens: the Matomo API this server protects. */
  audience: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  refreshTokenIdleTtl: number;
  authorizationCodeTtl: number;
  sessionTtl: number;
  trustProxy: boolean;
  /** Days audit entries are kept (0: forever). */
  auditRetentionDays?: number;
  /** Failures allowed per window before 429. */
  rateLimits: {
    /** Sign-in failures from one address (an IPv6 /64), whatever the login. */
    loginPerIp: { limit: number; windowMs: number };
    /** Sign-in (and password confirmation) failures for one login from one address. */
    loginPerUser: { limit: number; windowMs: number };
    /** Sign-in failures for one login from anywhere: caps a distributed guess without locking the owner out at 5. */
    loginPerAccount?: { limit: number; windowMs: number };
    clientAuthenticationPerIp: { limit: number; windowMs: number };
  };
}

export const defaultRateLimits = {
  loginPerIp: { limit: 20, windowMs: 15 * 60_000 },
  loginPerUser: { limit: 5, windowMs: 15 * 60_000 },
  loginPerAccount: { limit: 100, windowMs: 15 * 60_000 },
  clientAuthenticationPerIp: { limit: 20, windowMs: 5 * 60_000 },
} satisfies AppSettings['rateLimits'];

export interface Services {
  settings: AppSettings;
  clock: Clock;
  db: Db;
  audit: AuditLog;
  keys: SigningKeyStore;
  codec: AccessTokenCodec;
  tokens: TokenService;
  codes: AuthorizationCodeRepository;
  users: UserRepository;
  clients: ClientRepository;
  clientUsage: ClientUsage;
  clientService: ClientService;
  sites: SiteRepository;
  sessions: SessionStore;
  loginCsrf: LoginCsrf;
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
  /** The operator's secret: encrypts signing keys, keys anti-CSRF tokens. */
  masterSecret: Buffer;
  clock: Clock;
}

/** Builds every service. Loads (or creates) the signing keys, so it is async. */
export async function createServices({
  db,
  settings,
  masterSecret,
  clock,
}: ServicesOptions): Promise<Services> {
  const audit = createAuditLog({ db, clock });
  const keys = createSigningKeyStore({
    db,
    encryptionKey: deriveKey(masterSecret, 'signing-keys'),
    clock,
    accessTokenTtlMs: settings.accessTokenTtl * 1000,
  });
  await keys.ensureKey();
  const codec = createAccessTokenCodec({
    keys,
    clock,
    issuer: settings.issuer,
    audience: settings.audience,
    ttlSeconds: settings.accessTokenTtl,
  });
  const clients = createClientRepository(db);
  const limiter = (options: { limit: number; windowMs: number }) => createRateLimiter({ ...options, clock });
  return {
    settings,
    clock,
    db,
    audit,
    keys,
    codec,
    tokens: createTokenService({
      db,
      codec,
      clock,
      audit,
      refreshTokenTtlMs: settings.refreshTokenTtl * 1000,
      refreshTokenIdleTtlMs: settings.refreshTokenIdleTtl * 1000,
    }),
    codes: createAuthorizationCodeRepository(db),
    users: createUserRepository(db),
    clients,
    clientUsage: createClientUsage(clients, clock),
    clientService: createClientService({ db, clients, audit, clock }),
    sites: createSiteRepository(db),
    sessions: createSessionStore({ db, clock, ttlMs: settings.sessionTtl * 1000 }),
    loginCsrf: createLoginCsrf(deriveKey(masterSecret, 'login-csrf')),
    limits: {
      loginPerIp: limiter(settings.rateLimits.loginPerIp),
      loginPerUser: limiter(settings.rateLimits.loginPerUser),
      loginPerAccount: limiter(settings.rateLimits.loginPerAccount ?? defaultRateLimits.loginPerAccount),
      // Secrets carry 256 bits: many concurrent token requests from one backend must pass.
      clientAuthentication: createRateLimiter({
        ...settings.rateLimits.clientAuthenticationPerIp,
        clock,
        maxInFlight: 256,
      }),
    },
  };
}
