/**
 * What the Matomo client needs to authenticate: a current access token, and a new one when the API
 * rejected the token it was given. The token manager, the browser login and the client-credentials
 * helper all implement it; so can your own code (e.g. for a static token).
 *
 * @example
 * ```ts
 * const staticToken: AccessTokenProvider = { getAccessToken: async () => 'a-token' };
 * const matomo = createMatomoClient({ baseUrl, auth: staticToken });
 * ```
 */
export interface AccessTokenProvider {
  /** A token that is not (known to be) expired; refreshes first when needed. */
  getAccessToken(): Promise<string>;
  /**
   * The API rejected `rejected` as invalid. Returns the current token when it has been replaced in the
   * meantime; otherwise gets a new one (at most one request however many callers ask at once).
   */
  renewAccessToken?(rejected: string): Promise<string>;
}
