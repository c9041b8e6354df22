import type { AccessTokenProvider } from './access-token-provider';
import { LoginRequiredError, OAuthResponseError } from './errors';
import { resolveStore, type StorageOption } from './storage';
import type { RefreshCoordinator, TabMessage } from './tab-coordinator';
import type { TokenResponse } from './token-endpoint';
import { isFresh, newer, parseTokenSet, type TokenSet, toTokenSet } from './token-set';

/**
 * Options of `createTokenManager`.
 *
 * @example
 * ```ts
 * const options: TokenManagerOptions = { storage: 'sessionStorage', skew: 60, refresh };
 * ```
 */
export interface TokenManagerOptions {
  /** Where the tokens are kept (default: memory). */
  storage?: StorageOption;
  /** The storage key (default `matomo-oauth2:tokens`). */
  key?: string;
  /** Calls the token endpoint with the refresh token of `previous`, the tokens it replaces. */
  refresh?: (refreshToken: string, previous: TokenSet) => Promise<TokenResponse>;
  /** Gets new tokens without a refresh token (the client credentials grant). */
  acquire?: () => Promise<TokenResponse>;
  /** Coordinates refreshes with other tabs (see `createTabCoordinator`). */
  coordinator?: RefreshCoordinator;
  /** Seconds before `expires_at` from which a token counts as expired (default 30; none without `expires_at`). */
  skew?: number;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/**
 * Where a change of tokens came from: `set` (login, `setTokens`), `refresh` (this manager refreshed),
 * `storage` (read from the store), `tab` (another tab), `clear` (logout or the session ended here).
 *
 * @example
 * ```ts
 * tokens.on('tokens', (set, source) => { if (source === 'refresh') refreshes++; });
 * ```
 */
export type TokenSource = 'set' | 'refresh' | 'storage' | 'tab' | 'clear';

/**
 * The events of a token manager. `sessionEnded` fires when the refresh token was rejected
 * (`rejected`) or on logout (`logout`), here or in another tab. On a logout in this tab, `ended`
 * says whether the server revoked the tokens (`revoked: false`: it has no revocation endpoint, so they
 * stay valid there until they expire).
 *
 * @example
 * ```ts
 * tokens.on('sessionEnded', (reason, error, ended) => {
 *   if (reason === 'rejected') showLoginButton();
 *   if (ended?.revoked === false) console.warn('signed out here; the server could not revoke the tokens');
 * });
 * ```
 */
export interface TokenManagerEvents {
  tokens: (tokens: TokenSet | undefined, source: TokenSource) => void;
  sessionEnded: (reason: 'logout' | 'rejected', error?: Error, ended?: { revoked: boolean }) => void;
}

/**
 * Holds one session's tokens and refreshes them: never more than one refresh at a time however many
 * callers need a token (and, with a coordinator, across tabs).
 *
 * @example
 * ```ts
 * const token = await tokens.getAccessToken();
 * ```
 */
export interface TokenManager extends Required<AccessTokenProvider> {
  getTokens(): Promise<TokenSet | undefined>;
  /** Stores new tokens (a token response or a `TokenSet`) and tells the other tabs. */
  setTokens(tokens: TokenResponse | TokenSet): Promise<TokenSet>;
  /**
   * Whether there are tokens that are fresh, or a refresh token to renew them ("am I signed in?"). Reads
   * the storage, never the network: a token the server revoked meanwhile shows at the next call.
   */
  isAuthenticated(): Promise<boolean>;
  /** Refreshes now (joining a refresh in progress). */
  refresh(): Promise<TokenSet>;
  /** Forgets the tokens here and in the other tabs; `ended` goes to the `sessionEnded` event. */
  clear(ended?: { revoked: boolean }): Promise<void>;
  on<E extends keyof TokenManagerEvents>(event: E, listener: TokenManagerEvents[E]): () => void;
  /** Stops listening to other tabs. */
  close(): void;
}

/**
 * Creates a token manager. A token counts as expired `skew` seconds before `expires_at` (a token of
 * unknown lifetime, without `expires_at`, only once the API rejected it). Any number of
 * concurrent `getAccessToken()` calls with an expired token make one refresh request and all get its
 * result; a refresh token rejected with `invalid_grant` ends the session (`sessionEnded`, then
 * `LoginRequiredError`), while network errors keep the tokens.
 *
 * @example
 * ```ts
 * const tokens = createTokenManager({
 *   storage: 'sessionStorage',
 *   refresh: async (refresh_token) =>
 *     processTokenResponse(await fetch(tokenRequest(tokenEndpoint, { clientId }, { grant_type: 'refresh_token', refresh_token }))),
 * });
 * ```
 */
export function createTokenManager(options: TokenManagerOptions = {}): TokenManager {
  const { key = 'matomo-oauth2:tokens', refresh, acquire, coordinator, now = Date.now } = options;
  const store = resolveStore(options.storage);
  const skewMs = (options.skew ?? 30) * 1000;
  const listeners: { [E in keyof TokenManagerEvents]: Set<TokenManagerEvents[E]> } = {
    tokens: new Set(),
    sessionEnded: new Set(),
  };
  let current: TokenSet | undefined;
  let loaded: Promise<void> | undefined;
  let inflight: Promise<TokenSet> | undefined;

  const emit = <E extends keyof TokenManagerEvents>(event: E, ...args: Parameters<TokenManagerEvents[E]>) => {
    for (const listener of listeners[event]) {
      try {
        (listener as (...a: typeof args) => void)(...args);
      } catch (error) {
        // A listener's bug must not break the refresh: report it as an event listener's would be.
        const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
        if (report) report(error);
        else
          queueMicrotask(() => {
            throw error;
          });
      }
    }
  };
  const fresh = (tokens: TokenSet) => isFresh(tokens, now(), skewMs);
  const read = async () => parseTokenSet(await store.get(key));
  const adopt = (tokens: TokenSet | undefined, source: TokenSource) => {
    if (tokens === current) return;
    current = tokens;
    emit('tokens', tokens, source);
  };
  const load = () => {
    loaded ??= read().then((stored) => adopt(newer(current, stored), 'storage'));
    return loaded;
  };
  const sessionOf = (tokens: TokenSet) => tokens.refresh_token ?? tokens.access_token;

  const commit = async (tokens: TokenSet, source: TokenSource) => {
    adopt(tokens, source);
    await store.set(key, JSON.stringify(tokens));
    coordinator?.publish({ type: 'tokens', tokens });
    return tokens;
  };

  const end = async (
    reason: 'logout' | 'rejected',
    tokens: TokenSet | undefined,
    error?: Error,
    ended?: { revoked: boolean },
  ) => {
    adopt(undefined, 'clear');
    await store.remove(key);
    if (tokens) coordinator?.publish({ type: 'ended', reason, token: sessionOf(tokens) });
    emit('sessionEnded', reason, error, ended);
  };

  const doRefresh = async (stale?: string): Promise<TokenSet> => {
    // Another tab may have refreshed while we waited for the lock: its tokens are in the store (when
    // shared) and in memory (from its broadcast).
    const latest = newer(current, await read());
    adopt(latest, 'storage');
    if (latest && latest.access_token !== stale && fresh(latest)) return latest;
    const refreshToken = latest?.refresh_token;
    const grant = refreshToken && refresh ? () => refresh(refreshToken, latest as TokenSet) : acquire;
    if (!grant) throw new LoginRequiredError(latest ? 'The access token expired' : 'Not logged in');
    try {
      return await commit(toTokenSet(await grant(), now(), latest), 'refresh');
    } catch (error) {
      if (error instanceof OAuthResponseError && error.error === 'invalid_grant') {
        await end('rejected', latest, error);
        throw new LoginRequiredError('The session has ended', { cause: error });
      }
      throw error;
    }
  };

  const renew = (stale?: string): Promise<TokenSet> => {
    inflight ??= (async () => {
      try {
        return await (coordinator ? coordinator.exclusive(() => doRefresh(stale)) : doRefresh(stale));
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };

  const unsubscribe = coordinator?.subscribe((message: TabMessage) => {
    // A shared store (localStorage) was already written by the tab that sent this; writing again could
    // put back older tokens when messages from two tabs cross. A per-tab store is kept in step.
    if (message.type === 'tokens') {
      if (newer(current, message.tokens) !== message.tokens) return;
      adopt(message.tokens, 'tab');
      if (!store.shared) void store.set(key, JSON.stringify(message.tokens));
    } else if (current && sessionOf(current) === message.token) {
      adopt(undefined, 'tab');
      if (!store.shared) void store.remove(key);
      emit('sessionEnded', message.reason);
    }
  });

  return {
    async getTokens() {
      await load();
      return current;
    },
    async isAuthenticated() {
      await load();
      return !!current && (!!current.refresh_token || fresh(current));
    },
    async getAccessToken() {
      await load();
      if (current && fresh(current)) return current.access_token;
      return (await renew(current?.access_token)).access_token;
    },
    async renewAccessToken(rejected) {
      await load();
      if (current && current.access_token !== rejected && fresh(current)) return current.access_token;
      return (await renew(rejected)).access_token;
    },
    async setTokens(tokens) {
      await load();
      // A TokenSet (obtained_at, or expires_at from before obtained_at existed) keeps its times; a response
      // is timed now.
      const set = 'obtained_at' in tokens || 'expires_at' in tokens;
      return commit(set ? tokens : toTokenSet(tokens, now(), undefined), 'set');
    },
    async refresh() {
      await load();
      return renew(current?.access_token);
    },
    async clear(ended) {
      await load();
      await end('logout', current, undefined, ended);
    },
    on(event, listener) {
      listeners[event].add(listener);
      return () => listeners[event].delete(listener);
    },
    close() {
      unsubscribe?.();
    },
  };
}
