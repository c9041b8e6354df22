import type { SigningAlgorithm } from '../protocol/signing-algorithms';

/** A limit on failures: once `limit` failures fall within `windowMs`, attempts are refused. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Failures allowed per window before 429. */
export interface RateLimits {
  /** Sign-in failures from one address (an IPv6 /64), whatever the login. */
  loginPerIp: RateLimit;
  /** Sign-in (and password confirmation) failures for one login from one address. */
  loginPerUser: RateLimit;
  /** Sign-in failures for one login from anywhere: caps a distributed guess without locking the owner out at 5. */
  loginPerAccount?: RateLimit;
  clientAuthenticationPerIp: RateLimit;
}

export const defaultRateLimits = {
  loginPerIp: { limit: 20, windowMs: 15 * 60_000 },
  loginPerUser: { limit: 5, windowMs: 15 * 60_000 },
  loginPerAccount: { limit: 100, windowMs: 15 * 60_000 },
  clientAuthenticationPerIp: { limit: 20, windowMs: 5 * 60_000 },
} satisfies Required<RateLimits>;

/** What the running server needs to know beyond its components. Times in seconds. */
export interface AppSettings {
  issuer: string;
  /** `aud` of access tokens: the Matomo API this server protects. */
  audience: string;
  accessTokenTtl: number;
  /** The algorithm new signing keys use (ACCESS_TOKEN_ALG). */
  accessTokenAlg: SigningAlgorithm;
  /** How long a new signing key is published before it signs (KEY_ROTATION_LEAD). */
  keyRotationLead: number;
  refreshTokenTtl: number;
  refreshTokenIdleTtl: number;
  authorizationCodeTtl: number;
  sessionTtl: number;
  /** Days audit entries are kept (0: forever). */
  auditRetentionDays: number;
  rateLimits: RateLimits;
}
