import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createFakeLocks,
  createFakeServer,
  createFakeStorage,
  type FakeServer,
  PUBLIC_CLIENT,
} from '../test/fake-server';
import { LoginRequiredError, OAuthResponseError } from './errors';
import { createWebStorageStore, type TokenStore } from './storage';
import { createTabCoordinator, type RefreshCoordinator } from './tab-coordinator';
import { processTokenResponse, tokenRequest } from './token-endpoint';
import { createTokenManager, type TokenManagerOptions } from './token-manager';

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
    expect(ended).toHaveBeenCalledWith('rejected', expect.any(OAuthResponseError));
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
      const coordinator = () => createTabCoordinator(channelName, { locks: locks ? fakeLocks : null });
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
