import type { components } from './generated/openapi';
import { isObject } from './http';
import type { TokenResponse } from './token-endpoint';

/**
 * The tokens of one session as the SDK keeps them: the token response's fields plus `expires_at`
 * (milliseconds since the epoch, from this machine's clock when the response arrived).
 *
 * @example
 * ```ts
 * const tokens = await login.tokens.getTokens();
 * if (tokens) console.log('expires', new Date(tokens.expires_at));
 * ```
 */
export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  expires_at: number;
  refresh_token?: string;
  scope?: components['schemas']['Scope'];
}

/**
 * Turns a token response into a `TokenSet`. A response without a refresh token keeps the previous one
 * (servers that do not rotate); `expires_at` is `now + expires_in`: relative, so the clocks of client
 * and server need not agree.
 *
 * @example
 * ```ts
 * const set = toTokenSet(await processTokenResponse(response), Date.now());
 * ```
 */
export function toTokenSet(response: TokenResponse, now: number, previous?: TokenSet): TokenSet {
  const { access_token, expires_in, scope } = response;
  const refresh_token = response.refresh_token ?? previous?.refresh_token;
  return {
    access_token,
    token_type: 'Bearer',
    expires_in,
    expires_at: now + expires_in * 1000,
    ...(refresh_token && { refresh_token }),
    ...(scope && { scope }),
  };
}

/**
 * Whether the access token is still good at `now`, keeping a safety margin of `skewMs` (at most half
 * the token's lifetime, so short-lived tokens are not refreshed on every call).
 *
 * @example
 * ```ts
 * if (!isFresh(tokens, Date.now(), 30_000)) await manager.refresh();
 * ```
 */
export function isFresh(tokens: TokenSet, now: number, skewMs: number): boolean {
  return now < tokens.expires_at - Math.min(skewMs, tokens.expires_in * 500);
}

const obtainedAt = (tokens: TokenSet) => tokens.expires_at - tokens.expires_in * 1000;

/** The more recently obtained of two token sets (`a` on a tie, so a re-read copy does not replace it). */
export const newer = (a?: TokenSet, b?: TokenSet): TokenSet | undefined =>
  !a ? b : b && obtainedAt(b) > obtainedAt(a) ? b : a;

/** A stored token set, or `undefined` for nothing or something that is not one. */
export function parseTokenSet(raw: string | null | undefined): TokenSet | undefined {
  try {
    const value: unknown = JSON.parse(raw as string);
    return isObject(value) &&
      typeof value.access_token === 'string' &&
      typeof value.expires_at === 'number' &&
      typeof value.expires_in === 'number'
      ? (value as unknown as TokenSet)
      : undefined;
  } catch /* Stryker disable next-line BlockStatement: an empty catch falls off the end: undefined too */ {
    return undefined;
  }
}
