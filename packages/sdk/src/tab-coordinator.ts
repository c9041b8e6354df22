import type { createBroadcastLock, LockMessage } from './broadcast-lock';
import { isObject } from './http';
import { randomToken } from './random-token';
import type { TokenSet } from './token-set';

/**
 * What tabs tell each other: new tokens, or that the session ended (`token` names the session: its
 * refresh token, or its access token when it has none).
 *
 * @example
 * ```ts
 * const message: TabMessage = { type: 'ended', reason: 'logout', token: refreshToken };
 * ```
 */
export type TabMessage =
  | { type: 'tokens'; tokens: TokenSet }
  | { type: 'ended'; reason: 'logout' | 'rejected'; token: string };

/**
 * Coordinates the token refreshes of several token managers (tabs) that share one session. The token
 * manager calls `exclusive()` around every refresh and `publish()` after it.
 *
 * @example
 * ```ts
 * const tokens = createTokenManager({ coordinator: createTabCoordinator('my-app'), refresh });
 * ```
 */
export interface RefreshCoordinator {
  /** Runs `fn` while no other tab runs it, once every message another tab sent before has been handled. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  publish(message: TabMessage): void;
  subscribe(listener: (message: TabMessage) => void): () => void;
  close(): void;
}

/**
 * The part of `BroadcastChannel` the coordinator uses.
 *
 * @example
 * ```ts
 * const open = (name: string): ChannelLike => new BroadcastChannel(name);
 * ```
 */
export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/**
 * The part of the Web Locks API (`navigator.locks`) the coordinator uses.
 *
 * @example
 * ```ts
 * const locks: LockManagerLike = navigator.locks;
 * ```
 */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Options of `createTabCoordinator`. `locks` and `channel` default to the browser's APIs; `null` turns
 * one off. `fallbackLock` serializes refreshes where Web Locks are missing (Safari before 15.4, Firefox
 * before 96): `createBroadcastLock` from `@matomo-oauth2/sdk/broadcast-lock`, kept out of the main
 * entry because every current browser has Web Locks.
 *
 * @example
 * ```ts
 * import { createBroadcastLock } from '@matomo-oauth2/sdk/broadcast-lock';
 * createTabCoordinator('app', { fallbackLock: createBroadcastLock }); // for browsers without Web Locks
 * createTabCoordinator('app', { locks: null, fallbackLock: createBroadcastLock }); // force it
 * ```
 */
export interface TabCoordinatorOptions {
  locks?: LockManagerLike | null;
  channel?: ((name: string) => ChannelLike) | null;
  fallbackLock?: typeof createBroadcastLock;
}

/**
 * A cross-tab coordinator for one session. Refreshes are serialized with Web Locks
 * (`navigator.locks`), or where Web Locks are missing with the `fallbackLock` option's (a
 * `BroadcastChannel` lock; without it, refreshes are not serialized across tabs); new tokens and
 * the end of the session are broadcast on a `BroadcastChannel` named `name`. Before a refresh runs, a
 * ping to itself over the channel makes sure every message other tabs sent earlier has been handled
 * (channels deliver in order), so a tab never refreshes with a refresh token another tab already used.
 * Without either API it only runs `fn`.
 *
 * @example
 * ```ts
 * const coordinator = createTabCoordinator('matomo-oauth2:my-client');
 * ```
 */
export function createTabCoordinator(name: string, options: TabCoordinatorOptions = {}): RefreshCoordinator {
  const global = globalThis as unknown as {
    navigator?: { locks?: LockManagerLike };
    BroadcastChannel?: new (name: string) => ChannelLike;
  };
  const Channel = global.BroadcastChannel;
  const locks = options.locks === undefined ? global.navigator?.locks : options.locks;
  // Node has BroadcastChannel too; unref() keeps it from holding a server-side process open.
  const open =
    options.channel === undefined
      ? Channel &&
        ((n: string) => {
          const channel = new Channel(n) as ChannelLike & { unref?: () => void };
          channel.unref?.();
          return channel;
        })
      : options.channel;
  const channel = open?.(name);
  const listeners = new Set<(message: TabMessage) => void>();
  const pings = new Map<string, () => void>();
  let pinger: ChannelLike | undefined;
  const lock =
    !locks && channel ? options.fallbackLock?.((message) => channel.postMessage(message)) : undefined;

  if (channel) {
    channel.onmessage = ({ data }) => {
      if (!isObject(data)) return;
      if (data.k === 'm') for (const listener of listeners) listener(data.m as TabMessage);
      else if (data.k === 'p') pings.get(data.n as string)?.();
      else lock?.receive(data as LockMessage);
    };
  }

  const sync = () =>
    new Promise<void>((resolve) => {
      // Stryker disable next-line LogicalOperator: channel is open(name): both are set or neither is
      if (!open || !channel) return resolve();
      const nonce = randomToken(12);
      const done = () => {
        pings.delete(nonce);
        clearTimeout(timer);
        resolve();
      };
      // Only a broken channel lets this fire; then go on rather than hold the lock forever.
      const timer = setTimeout(done, 1000);
      pings.set(nonce, done);
      pinger ??= open(name);
      pinger.postMessage({ k: 'p', n: nonce });
    });

  return {
    async exclusive(fn) {
      if (locks) {
        return locks.request(`${name}:refresh`, async () => {
          await sync();
          return fn();
        });
      }
      const release = await lock?.acquire();
      try {
        await sync();
        return await fn();
      } finally {
        release?.();
      }
    },
    publish: (message) => channel?.postMessage({ k: 'm', m: message }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      lock?.close();
      channel?.close();
      pinger?.close();
    },
  };
}
