import type { components } from './generated/openapi';
import { isObject } from './http';
import type { TokenResponse } from './token-endpoint';

/**
 * The tokens of one session as the SDK keeps them: the token response's fields plus `expires_at`
 * (milliseconds since the epoch, from this machine's clock when the response arrived) and
 * `obtained_at` (when it arrived). A response without `expires_in` (RFC 6749 §5.1 allows it) gives a
 * set without `expires_in` and `expires_at`: its lifetime is unknown, so the SDK never refreshes it
 * ahead of time and uses it until the API rejects it (`401 invalid_token`), then refreshes once.
 *
 * @example
 * ```ts
 * const tokens = await login.tokens.getTokens();
 * if (tokens?.expires_at) console.log('expires', new Date(tokens.expires_at));
 * ```
 */
export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  /** The lifetime in seconds the server gave; absent when it gave none (unknown). */
  expires_in?: number;
  /** `obtained_at + expires_in` seconds; absent when the lifetime is unknown. */
  expires_at?: number;
  /** When the response arrived (ms since the epoch, this machine's clock); absent in sets stored before it existed. */
  obtained_at?: number;
  refresh_token?: string;
  /** The Matomo scope, then the OpenID Connect scopes granted (`matomo:read openid profile`). */
  scope?: components['schemas']['GrantedScope'];
  /** The latest ID token (OpenID Connect), kept until a refresh brings a new one. */
  id_token?: string;
}

/**
 * Turns a token response into a `TokenSet`. What the response carries replaces the previous set's
 * fields, and what it leaves out is kept: the refresh token (servers that do not rotate), the ID token
 * (a refresh without one keeps the old), the scope (RFC 6749 §5.1: omitted means unchanged).
 * `expires_at` is `now + expires_in`: relative, so the clocks of client and server need not agree.
 * Without `expires_in` there is no `expires_at` (unknown lifetime), whatever the previous set had.
 *
 * @example
 * ```ts
 * const set = toTokenSet(await processTokenResponse(response), Date.now());
 * ```
 */
export function toTokenSet(response: TokenResponse, now: number, previous?: TokenSet): TokenSet {
  const { expires_in } = response;
  const { expires_in: _, expires_at: __, ...kept } = { ...previous, ...response } as TokenSet;
  return {
    ...kept,
    token_type: 'Bearer',
    ...(expires_in !== undefined && { expires_in, expires_at: now + expires_in * 1000 }),
    obtained_at: now,
  };
}

/**
 * Whether the access token is still good at `now`, keeping a safety margin of `skewMs` (at most half
 * the token's lifetime, so short-lived tokens are not refreshed on every call). A token of unknown
 * lifetime is good until the API rejects it.
 *
 * @example
 * ```ts
 * if (!isFresh(tokens, Date.now(), 30_000)) await manager.refresh();
 * ```
 */
export function isFresh({ expires_at, expires_in = 0 }: TokenSet, now: number, skewMs: number): boolean {
  return expires_at === undefined || now < expires_at - Math.min(skewMs, expires_in * 500);
}

// Sets stored or broadcast before obtained_at existed have none, but always an expiry to derive it from.
const obtainedAt = (tokens: TokenSet) =>
  tokens.obtained_at ?? (tokens.expires_at as number) - (tokens.expires_in as number) * 1000;

/** The more recently obtained of two token sets (`a` on a tie, so a re-read copy does not replace it). */
export const newer = (a?: TokenSet, b?: TokenSet): TokenSet | undefined =>
  !a ? b : b && obtainedAt(b) > obtainedAt(a) ? b : a;

/**
 * A stored token set, or `undefined` for nothing or something that is not one: an access token,
 * numeric expiry fields when present, and a time it was obtained (`obtained_at`, or for a set stored
 * before that field existed, derived from its expiry).
 */
export function parseTokenSet(raw: string | null | undefined): TokenSet | undefined {
  try {
    const value: unknown = JSON.parse(raw as string);
    return isObject(value) &&
      typeof value.access_token === 'string' &&
      typeof (value.expires_at ?? 0) === 'number' &&
      typeof (value.expires_in ?? 0) === 'number' &&
      Number.isFinite(obtainedAt(value as unknown as TokenSet))
      ? (value as unknown as TokenSet)
      : undefined;
  } catch /* Stryker disable next-line BlockStatement: an empty catch falls off the end: undefined too */ {
    return undefined;
  }
}
