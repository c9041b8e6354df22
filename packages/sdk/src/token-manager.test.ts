import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createFakeLocks,
  createFakeServer,
  createFakeStorage,
  type FakeServer,
  PUBLIC_CLIENT,
} from '../test/fake-server';
import { createBroadcastLock } from './broadcast-lock';
import { LoginRequiredError, OAuthResponseError } from './errors';
import { createWebStorageStore, type TokenStore } from './storage';
import { createTabCoordinator, type RefreshCoordinator, type TabMessage } from './tab-coordinator';
import { processTokenResponse, tokenRequest } from './token-endpoint';
import { createTokenManager, type TokenManagerOptions } from './token-manager';
import type { TokenSet } from './token-set';

const refreshWith = (server: FakeServer) => async (refresh_token: string) =>
  processTokenResponse(
    await server.fetch(
      tokenRequest(
        server.metadata.token_endpoint,
        { clientId: PUBLIC_CLIENT },
        { grant_type: 'refresh_token', refresh_token },
      ),
    ),
    [refresh_token],
  );

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function manager(server: FakeServer, options: TokenManagerOptions = {}) {
  let clock = 1_000_000;
  const tokens = createTokenManager({ refresh: refreshWith(server), now: () => clock, ...options });
  closers.push(() => tokens.close());
  return { tokens, advance: (seconds: number) => (clock += seconds * 1000) };
}

describe('token manager', () => {
  test('without tokens, asking for one means logging in', async () => {
    const { tokens } = manager(createFakeServer());
    await expect(tokens.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
  });

  test('a fresh token is returned without a request', async () => {
    const server = createFakeServer();
    const { tokens } = manager(server);
    const login = await server.login();
    await tokens.setTokens(login);
    expect(await tokens.getAccessToken()).toBe(login.access_token);
    expect(server.calls.refresh).toBe(0);
  });

  test('a token counts as expired `skew` seconds early, capped at half its lifetime', async () => {
    const server = createFakeServer({ expiresIn: 3600 });
    const { tokens, advance } = manager(server, { skew: 60 });
    await tokens.setTokens(await server.login());
    advance(3600 - 61);
    await tokens.getAccessToken();
    expect(server.calls.refresh).toBe(0);
    advance(2);
    await tokens.getAccessToken();
    expect(server.calls.refresh).toBe(1);

    const short = createFakeServer({ expiresIn: 20 });
    const { tokens: shortLived, advance: later } = manager(short, { skew: 60 });
    await shortLived.setTokens(await short.login());
    later(9);
    await shortLived.getAccessToken();
    expect(short.calls.refresh).toBe(0);
  });

  test('single flight: 20 concurrent callers with an expired token cause one refresh and all get its result', async () => {
    const server = createFakeServer();
    const { tokens, advance } = manager(server);
    const login = await server.login();
    await tokens.setTokens(login);
    advance(3600);
    const results = await Promise.all(Array.from({ length: 20 }, () => tokens.getAccessToken()));
    expect(server.calls.refresh).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).not.toBe(login.access_token);
    expect(server.isAlive(results[0] ?? '')).toBe(true);
  });

  test('a 401 for a token that has since been replaced is answered with the new token, without a refresh', async () => {
    const server = createFakeServer();
    const { tokens } = manager(server);
    const login = await server.login();
    await tokens.setTokens(login);
    const renewed = await tokens.renewAccessToken(login.access_token);
    expect(server.calls.refresh).toBe(1);
    expect(await tokens.renewAccessToken(login.access_token)).toBe(renewed);
    expect(server.calls.refresh).toBe(1);
  });

  test('concurrent renewals of the same rejected token make one refresh', async () => {
    const server = createFakeServer();
    const { tokens } = manager(server);
    const login = await server.login();
    await tokens.setTokens(login);
    const renewed = await Promise.all(
      Array.from({ length: 10 }, () => tokens.renewAccessToken(login.access_token)),
    );
    expect(new Set(renewed).size).toBe(1);
    expect(server.calls.refresh).toBe(1);
    expect(server.grantsAlive()).toBe(1);
  });

  test('a rejected refresh token ends the session: LoginRequiredError, storage cleared, event', async () => {
    const server = createFakeServer();
    const storage = createFakeStorage();
    const { tokens, advance } = manager(server, { storage: createWebStorageStore(storage) });
    const login = await server.login();
    await tokens.setTokens(login);
    await tokens.refresh(); // rotates: the login's refresh token is now used
    const ended = vi.fn();
    tokens.on('sessionEnded', ended);
    // put the used refresh token back, as a stale copy would
    await tokens.setTokens({ ...login, expires_in: 1 });
    advance(10);
    const error = await tokens.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginRequiredError);
    expect((error as LoginRequiredError).cause).toBeInstanceOf(OAuthResponseError);
    expect(ended).toHaveBeenCalledWith('rejected', expect.any(OAuthResponseError), undefined);
    expect(storage.map.size).toBe(0);
    expect(await tokens.getTokens()).toBeUndefined();
  });

  test('a network error during a refresh keeps the tokens', async () => {
    const server = createFakeServer();
    const { tokens, advance } = manager(server, {
      refresh: () => Promise.reject(new TypeError('fetch failed')),
    });
    const login = await server.login();
    await tokens.setTokens(login);
    advance(3600);
    await expect(tokens.getAccessToken()).rejects.toThrow('fetch failed');
    expect((await tokens.getTokens())?.refresh_token).toBe(login.refresh_token);
  });

  test('tokens survive in the store (a reload) and corrupt entries are ignored', async () => {
    const server = createFakeServer();
    const storage = createFakeStorage();
    const first = manager(server, { storage: createWebStorageStore(storage), key: 'k' });
    const login = await server.login();
    await first.tokens.setTokens(login);
    const second = manager(server, { storage: createWebStorageStore(storage), key: 'k' });
    const seen = vi.fn();
    second.tokens.on('tokens', seen);
    expect(await second.tokens.getAccessToken()).toBe(login.access_token);
    expect(seen).toHaveBeenCalledWith(
      expect.objectContaining({ access_token: login.access_token }),
      'storage',
    );
    storage.setItem('k', '{not json');
    expect(
      await manager(server, { storage: createWebStorageStore(storage), key: 'k' }).tokens.getTokens(),
    ).toBeUndefined();
  });

  test('emits `tokens` with the source of every change', async () => {
    const server = createFakeServer();
    const { tokens, advance } = manager(server);
    const seen: string[] = [];
    tokens.on('tokens', (set, source) => seen.push(`${source}:${set ? 'set' : 'none'}`));
    await tokens.setTokens(await server.login());
    advance(3600);
    await tokens.getAccessToken();
    await tokens.clear();
    expect(seen).toEqual(['set:set', 'refresh:set', 'clear:none']);
  });

  test('a listener that throws does not break the refresh; its error is rethrown on its own, like an event listener', async () => {
    const server = createFakeServer();
    const { tokens, advance } = manager(server);
    await tokens.setTokens(await server.login());
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    tokens.on('tokens', () => {
      throw new Error('listener bug');
    });
    advance(3600);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^at_/);
    vi.unstubAllGlobals();
    expect(reportError).toHaveBeenCalledWith(new Error('listener bug'));
  });
});

describe('token manager across tabs', () => {
  function tab(
    server: FakeServer,
    storage: TokenStore,
    coordinator: RefreshCoordinator,
    clock: { now: number },
  ) {
    const tokens = createTokenManager({
      storage,
      refresh: refreshWith(server),
      coordinator,
      now: () => clock.now,
    });
    closers.push(
      () => tokens.close(),
      () => coordinator.close(),
    );
    return tokens;
  }

  const scenarios = [
    { name: 'Web Locks, shared store (localStorage)', locks: true, shared: true },
    { name: 'Web Locks, per-tab stores (duplicated tab with sessionStorage)', locks: true, shared: false },
    { name: 'BroadcastChannel lock, shared store', locks: false, shared: true },
    { name: 'BroadcastChannel lock, per-tab stores', locks: false, shared: false },
  ];

  for (const { name, locks, shared } of scenarios) {
    test(`${name}: two tabs needing a refresh at once make one refresh and share its tokens`, async () => {
      const server = createFakeServer();
      const clock = { now: 1_000_000 };
      const fakeLocks = createFakeLocks();
      const channelName = `test-${crypto.randomUUID()}`;
      const sharedStorage = createFakeStorage();
      const storeFor = () => createWebStorageStore(shared ? sharedStorage : createFakeStorage(), shared);
      const coordinator = () =>
        createTabCoordinator(channelName, {
          locks: locks ? fakeLocks : null,
          fallbackLock: createBroadcastLock,
        });
      const a = tab(server, storeFor(), coordinator(), clock);
      const b = tab(server, storeFor(), coordinator(), clock);
      const login = await server.login();
      await Promise.all([a.setTokens(login), b.setTokens(login)]);
      clock.now += 3600_000;

      const [tokenA, tokenB] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);

      expect(server.calls.refresh).toBe(1);
      expect(tokenA).toBe(tokenB);
      expect(server.isAlive(tokenA)).toBe(true);
      expect((await a.getTokens())?.refresh_token).toBe((await b.getTokens())?.refresh_token);
      if (locks) expect(fakeLocks.granted).toBe(2);
    });
  }

  test('without coordination two tabs refresh twice and the reuse revokes the grant (what the coordinator prevents)', async () => {
    const server = createFakeServer();
    const clock = { now: 1_000_000 };
    const a = createTokenManager({ refresh: refreshWith(server), now: () => clock.now });
    const b = createTokenManager({ refresh: refreshWith(server), now: () => clock.now });
    const login = await server.login();
    await Promise.all([a.setTokens(login), b.setTokens(login)]);
    clock.now += 3600_000;
    const results = await Promise.allSettled([a.getAccessToken(), b.getAccessToken()]);
    expect(server.calls.refresh).toBe(2);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(server.grantsAlive()).toBe(0);
  });

  test('a tab hears of new tokens and of the end of the session from another tab', async () => {
    const server = createFakeServer();
    const clock = { now: 1_000_000 };
    const channelName = `test-${crypto.randomUUID()}`;
    const a = tab(
      server,
      createWebStorageStore(createFakeStorage()),
      createTabCoordinator(channelName, { locks: createFakeLocks() }),
      clock,
    );
    const bStorage = createFakeStorage();
    const b = tab(
      server,
      createWebStorageStore(bStorage),
      createTabCoordinator(channelName, { locks: createFakeLocks() }),
      clock,
    );
    const heard = new Promise((resolve) => b.on('tokens', (set, source) => source === 'tab' && resolve(set)));
    const ended = new Promise((resolve) => b.on('sessionEnded', resolve));
    await a.setTokens(await server.login());
    expect(await heard).toMatchObject({ token_type: 'Bearer' });
    expect(bStorage.map.size).toBe(1); // a per-tab store is kept in step
    await a.clear();
    expect(await ended).toBe('logout');
    expect(await b.getTokens()).toBeUndefined();
    expect(bStorage.map.size).toBe(0);
  });
});

/** A coordinator double: records what the manager publishes and lets the test speak for other tabs. */
function fakeCoordinator() {
  const published: TabMessage[] = [];
  const listeners = new Set<(message: TabMessage) => void>();
  const coordinator = {
    published,
    /** How many times a refresh took the cross-tab lock. */
    locked: 0,
    exclusive<T>(fn: () => Promise<T>) {
      coordinator.locked++;
      return fn();
    },
    publish: (message: TabMessage) => void published.push(message),
    subscribe: vi.fn((listener: (message: TabMessage) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    close: vi.fn(),
    /** A message from another tab. */
    deliver: (message: TabMessage) => {
      for (const listener of listeners) listener(message);
    },
  };
  return coordinator satisfies RefreshCoordinator;
}

/** A token store double that records writes, optionally shared by the tabs. */
function spyStore(shared = false) {
  const map = new Map<string, string>();
  return {
    map,
    shared,
    get: (key: string) => map.get(key),
    set: vi.fn((key: string, value: string) => void map.set(key, value)),
    remove: vi.fn((key: string) => void map.delete(key)),
  };
}

const tokenSet = (obtained: number, access_token: string, refresh_token?: string): TokenSet => ({
  access_token,
  token_type: 'Bearer',
  expires_in: 3600,
  expires_at: obtained + 3_600_000,
  ...(refresh_token && { refresh_token }),
});

describe('token restore (a page reload)', () => {
  test('getTokens() after a reload returns the stored tokens without any request', async () => {
    const store = spyStore();
    const stored = tokenSet(1_000_000, 'at-stored', 'rt-stored');
    store.map.set('matomo-oauth2:tokens', JSON.stringify(stored));
    const refresh = vi.fn();
    const tokens = createTokenManager({ storage: store, refresh, now: () => 1_000_000 });
    const seen = vi.fn();
    tokens.on('tokens', seen);
    expect(await tokens.getTokens()).toEqual(stored);
    expect(seen).toHaveBeenCalledExactlyOnceWith(stored, 'storage');
    expect(refresh).not.toHaveBeenCalled();
  });

  test('the store is read once; later changes come from this manager or other tabs, not from re-reads', async () => {
    const store = spyStore();
    const get = vi.spyOn(store, 'get');
    const tokens = createTokenManager({ storage: store });
    await tokens.getTokens();
    await tokens.getTokens();
    expect(get).toHaveBeenCalledTimes(1);
  });

  test('tokens set before the store was read are not replaced by older stored ones', async () => {
    const store = spyStore();
    store.map.set('matomo-oauth2:tokens', JSON.stringify(tokenSet(1_000, 'at-old', 'rt-old')));
    const tokens = createTokenManager({ storage: store, now: () => 2_000 });
    await tokens.setTokens(tokenSet(2_000, 'at-new', 'rt-new'));
    expect((await tokens.getTokens())?.refresh_token).toBe('rt-new');
  });

  test('by default the tokens are kept under matomo-oauth2:tokens', async () => {
    const store = spyStore();
    const tokens = createTokenManager({ storage: store });
    await tokens.setTokens(tokenSet(0, 'at'));
    expect([...store.map.keys()]).toEqual(['matomo-oauth2:tokens']);
  });

  test('setTokens() with a token set keeps its expiry: an expired copy is refreshed, not taken as fresh', async () => {
    const refresh = vi.fn(async () => ({
      token_type: 'Bearer' as const,
      access_token: 'at-2',
      expires_in: 60,
    }));
    const tokens = createTokenManager({ refresh, now: () => 10_000_000 });
    const expired = tokenSet(0, 'at-1', 'rt-1');
    expect(await tokens.setTokens(expired)).toBe(expired);
    expect(await tokens.getAccessToken()).toBe('at-2');
    // The refresh gets the set it replaces (the OpenID login checks a new ID token against its old one).
    expect(refresh).toHaveBeenCalledExactlyOnceWith('rt-1', expired);
  });
});

describe('the rules of a refresh', () => {
  test.each([
    ['not logged in', undefined, 'Not logged in'],
    ['an expired token without a refresh token', tokenSet(0, 'at'), 'The access token expired'],
  ])('%s: LoginRequiredError and no request', async (_, stored, message) => {
    const refresh = vi.fn();
    const tokens = createTokenManager({ refresh, now: () => 10_000_000 });
    if (stored) await tokens.setTokens(stored);
    for (const call of [() => tokens.getAccessToken(), () => tokens.refresh()]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoginRequiredError);
      expect(error).toMatchObject({ code: 'ERR_LOGIN_REQUIRED', message });
    }
    expect(refresh).not.toHaveBeenCalled();
  });

  test('a client-credentials manager (no refresh function) acquires anew even when a refresh token is stored', async () => {
    const acquire = vi.fn(async () => ({
      token_type: 'Bearer' as const,
      access_token: 'at-2',
      expires_in: 60,
    }));
    const tokens = createTokenManager({ acquire, now: () => 10_000_000 });
    await tokens.setTokens(tokenSet(0, 'at-1', 'rt-1'));
    expect(await tokens.getAccessToken()).toBe('at-2');
    expect(acquire).toHaveBeenCalledTimes(1);
  });

  test('a rejected refresh token: the message people see says the session ended', async () => {
    const tokens = createTokenManager({
      refresh: async () => {
        throw new OAuthResponseError('ERR_OAUTH_RESPONSE', { error: 'invalid_grant', status: 400 });
      },
      now: () => 10_000_000,
    });
    await tokens.setTokens(tokenSet(0, 'at', 'rt'));
    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: 'ERR_LOGIN_REQUIRED',
      message: 'The session has ended',
    });
  });

  test.each(['invalid_client', 'temporarily_unavailable'])(
    'any other OAuth error (%s) keeps the session and is thrown as it is',
    async (error) => {
      const failure = new OAuthResponseError('ERR_OAUTH_RESPONSE', { error, status: 400 });
      const tokens = createTokenManager({ refresh: () => Promise.reject(failure), now: () => 10_000_000 });
      const ended = vi.fn();
      tokens.on('sessionEnded', ended);
      await tokens.setTokens(tokenSet(0, 'at', 'rt'));
      await expect(tokens.getAccessToken()).rejects.toBe(failure);
      expect((await tokens.getTokens())?.refresh_token).toBe('rt');
      expect(ended).not.toHaveBeenCalled();
    },
  );

  test('tokens another tab refreshed into a shared store are taken from there (source storage), no request', async () => {
    const store = spyStore(true);
    const refresh = vi.fn();
    let clock = 0;
    const tokens = createTokenManager({ storage: store, refresh, now: () => clock });
    await tokens.setTokens(tokenSet(0, 'at-1', 'rt-1'));
    clock = 3_600_000;
    store.map.set('matomo-oauth2:tokens', JSON.stringify(tokenSet(3_500_000, 'at-2', 'rt-2')));
    const seen = vi.fn();
    tokens.on('tokens', seen);
    expect(await tokens.getAccessToken()).toBe('at-2');
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ access_token: 'at-2' }), 'storage');
    expect(refresh).not.toHaveBeenCalled();
  });

  test('a 401 for a token already replaced by a fresh one is answered without taking the lock', async () => {
    const coordinator = fakeCoordinator();
    const tokens = createTokenManager({ coordinator, now: () => 0 });
    await tokens.setTokens(tokenSet(0, 'at-new', 'rt'));
    expect(await tokens.renewAccessToken('at-old')).toBe('at-new');
    expect(coordinator.locked).toBe(0);
  });

  test('a listener that throws without reportError (Node) is rethrown in a microtask, not into the refresh', async () => {
    vi.stubGlobal('reportError', undefined);
    const tasks: (() => void)[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => void tasks.push(task));
    try {
      const tokens = createTokenManager({ now: () => 0 });
      tokens.on('tokens', () => {
        throw new Error('listener bug');
      });
      await expect(tokens.setTokens(tokenSet(0, 'at'))).resolves.toMatchObject({ access_token: 'at' });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(tasks).toHaveLength(1);
    expect(() => tasks[0]?.()).toThrow('listener bug');
  });

  test('a listener removed with the function on() returned hears nothing more', async () => {
    const tokens = createTokenManager({ now: () => 0 });
    const seen = vi.fn();
    const off = tokens.on('tokens', seen);
    await tokens.setTokens(tokenSet(0, 'at-1'));
    off();
    await tokens.setTokens(tokenSet(1, 'at-2'));
    expect(seen).toHaveBeenCalledTimes(1);
  });
});

describe('what a tab tells the others', () => {
  test('new tokens, then the end of the session named by its refresh token', async () => {
    const coordinator = fakeCoordinator();
    const tokens = createTokenManager({ coordinator, now: () => 0 });
    const set = await tokens.setTokens(tokenSet(0, 'at', 'rt'));
    await tokens.clear();
    expect(coordinator.published).toEqual([
      { type: 'tokens', tokens: set },
      { type: 'ended', reason: 'logout', token: 'rt' },
    ]);
  });

  test('a session without a refresh token is named by its access token', async () => {
    const coordinator = fakeCoordinator();
    const tokens = createTokenManager({ coordinator, now: () => 0 });
    await tokens.setTokens(tokenSet(0, 'at'));
    await tokens.clear();
    expect(coordinator.published.at(-1)).toEqual({ type: 'ended', reason: 'logout', token: 'at' });
  });

  test('clear() without tokens tells nobody and still ends the session here', async () => {
    const coordinator = fakeCoordinator();
    const tokens = createTokenManager({ coordinator });
    const ended = vi.fn();
    tokens.on('sessionEnded', ended);
    await tokens.clear();
    expect(coordinator.published).toEqual([]);
    expect(ended).toHaveBeenCalledWith('logout', undefined, undefined);
  });

  test('a rejected refresh token is announced as rejected', async () => {
    const coordinator = fakeCoordinator();
    const tokens = createTokenManager({
      coordinator,
      refresh: async () => {
        throw new OAuthResponseError('ERR_OAUTH_RESPONSE', { error: 'invalid_grant', status: 400 });
      },
      now: () => 10_000_000,
    });
    await tokens.setTokens(tokenSet(0, 'at', 'rt'));
    await tokens.getAccessToken().catch(() => undefined);
    expect(coordinator.published.at(-1)).toEqual({ type: 'ended', reason: 'rejected', token: 'rt' });
  });
});

describe('what a tab accepts from the others', () => {
  async function listening(options: { shared?: boolean; current?: TokenSet } = {}) {
    const coordinator = fakeCoordinator();
    const store = spyStore(options.shared);
    const tokens = createTokenManager({ coordinator, storage: store, now: () => 0 });
    if (options.current) await tokens.setTokens(options.current);
    store.set.mockClear();
    const events: string[] = [];
    tokens.on('tokens', (set, source) => events.push(`${source}:${set?.access_token ?? 'none'}`));
    tokens.on('sessionEnded', (reason) => events.push(`ended:${reason}`));
    return { coordinator, store, tokens, events };
  }

  const current = tokenSet(5_000, 'at-current', 'rt-current');

  test.each([
    // Another tab's copy from before our refresh would bring back a refresh token that was replaced.
    ['older tokens', tokenSet(4_000, 'at-older', 'rt-older'), false],
    ['tokens obtained at the same moment (a copy)', tokenSet(5_000, 'at-copy', 'rt-copy'), false],
    ['newer tokens', tokenSet(6_000, 'at-newer', 'rt-newer'), true],
  ])('%s: adopted = %s', async (_, broadcast, adopted) => {
    const { coordinator, tokens, events } = await listening({ current });
    coordinator.deliver({ type: 'tokens', tokens: broadcast });
    expect((await tokens.getTokens())?.refresh_token).toBe(adopted ? broadcast.refresh_token : 'rt-current');
    expect(events).toEqual(adopted ? [`tab:${broadcast.access_token}`] : []);
  });

  test('tokens while logged out are adopted (a login in another tab)', async () => {
    const { coordinator, tokens } = await listening();
    coordinator.deliver({ type: 'tokens', tokens: current });
    expect(await tokens.getTokens()).toBe(current);
  });

  test.each([
    [false, 1],
    [true, 0],
  ])('adopted tokens are written to a shared (%s) store %i times', async (shared, writes) => {
    const { coordinator, store } = await listening({ shared, current });
    coordinator.deliver({ type: 'tokens', tokens: tokenSet(6_000, 'at-newer', 'rt-newer') });
    expect(store.set).toHaveBeenCalledTimes(writes);
  });

  test.each([
    ['another session (another refresh token)', 'rt-other', false],
    ['a name that is our access token (sessions are named by the refresh token)', 'at-current', false],
    ['an empty name', '', false],
    ['our session', 'rt-current', true],
  ])('"session ended" for %s: logged out = %s', async (_, token, loggedOut) => {
    const { coordinator, tokens, events } = await listening({ current });
    coordinator.deliver({ type: 'ended', reason: 'rejected', token });
    expect(await tokens.getTokens()).toEqual(loggedOut ? undefined : current);
    expect(events).toEqual(loggedOut ? ['tab:none', 'ended:rejected'] : []);
  });

  test('"session ended" while logged out changes nothing and fires no event', async () => {
    const { coordinator, events } = await listening();
    coordinator.deliver({ type: 'ended', reason: 'logout', token: 'rt-current' });
    expect(events).toEqual([]);
  });

  test('a session without a refresh token is ended by its access token', async () => {
    const { coordinator, tokens } = await listening({ current: tokenSet(5_000, 'at-only') });
    coordinator.deliver({ type: 'ended', reason: 'logout', token: 'at-only' });
    expect(await tokens.getTokens()).toBeUndefined();
  });

  test.each([
    [false, 1],
    [true, 0],
  ])(
    'the end of the session removes the tokens from a shared (%s) store %i times',
    async (shared, removals) => {
      const { coordinator, store } = await listening({ shared, current });
      coordinator.deliver({ type: 'ended', reason: 'logout', token: 'rt-current' });
      expect(store.remove).toHaveBeenCalledTimes(removals);
    },
  );

  test('after close() nothing from other tabs is heard', async () => {
    const { coordinator, tokens } = await listening({ current });
    tokens.close();
    coordinator.deliver({ type: 'ended', reason: 'logout', token: 'rt-current' });
    expect(await tokens.getTokens()).toBe(current);
  });
});

// RFC 6749 §5.1 makes expires_in optional: the lifetime is then unknown.
describe('tokens of unknown lifetime', () => {
  test('a response without expires_in is kept with the time it arrived; no refresh ahead of time, one after a rejection', async () => {
    const server = createFakeServer({ expiresIn: null });
    const { tokens, advance } = manager(server);
    const login = await server.login();
    expect(login).not.toHaveProperty('expires_in');
    const set = await tokens.setTokens(login);
    expect(set).toStrictEqual({
      access_token: login.access_token,
      token_type: 'Bearer',
      obtained_at: 1_000_000,
      refresh_token: login.refresh_token,
      scope: 'matomo:read',
    });
    advance(10 * 365 * 86_400);
    expect(await tokens.getAccessToken()).toBe(login.access_token);
    expect(server.calls.refresh).toBe(0);
    const renewed = await tokens.renewAccessToken(login.access_token);
    expect(renewed).not.toBe(login.access_token);
    expect(server.calls.refresh).toBe(1);
  });

  test('setTokens() with such a token set keeps it as it is (obtained_at is not reset)', async () => {
    const { tokens, advance } = manager(createFakeServer());
    advance(60);
    const stored: TokenSet = {
      access_token: 'at',
      token_type: 'Bearer',
      obtained_at: 5,
      refresh_token: 'rt',
    };
    expect(await tokens.setTokens(stored)).toBe(stored);
  });
});
