import { ProtocolError } from './errors';

type Awaitable<T> = T | Promise<T>;

/**
 * Where tokens are kept: any object with `get`/`set`/`remove` (sync or async), e.g. an adapter for
 * IndexedDB, a server-side session or an encrypted file.
 *
 * @example
 * ```ts
 * const map = new Map<string, string>();
 * const store: TokenStore = { get: (k) => map.get(k), set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
 * ```
 */
export interface TokenStore {
  /**
   * True when every tab sees the same store (localStorage, IndexedDB): then only the tab that got new
   * tokens writes them, and tabs that hear of them from another tab leave the store alone.
   */
  readonly shared?: boolean;
  get(key: string): Awaitable<string | null | undefined>;
  set(key: string, value: string): Awaitable<void>;
  remove(key: string): Awaitable<void>;
}

/**
 * A token store option: a `TokenStore`, or `'memory'` (the default: nothing persisted),
 * `'sessionStorage'` (per tab, survives reloads) or `'localStorage'` (shared by the origin's tabs,
 * persisted: readable by any script that runs on the page).
 *
 * @example
 * ```ts
 * createTokenManager({ storage: 'sessionStorage' });
 * ```
 */
export type StorageOption = TokenStore | 'memory' | 'sessionStorage' | 'localStorage';

/**
 * The part of the Web Storage API (`sessionStorage`, `localStorage`) the SDK uses; declared here so
 * that the SDK also type-checks without the DOM library (e.g. in a Node project).
 *
 * @example
 * ```ts
 * const storage: WebStorageLike = window.sessionStorage;
 * ```
 */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** With `key()`, as in Web Storage: lets the login say when no login is pending in this origin's storage. */
  readonly length?: number;
  key?(index: number): string | null;
}

/**
 * A token store kept in this JavaScript realm's memory only.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * ```
 */
export function createMemoryStore(): TokenStore {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
  };
}

/**
 * A token store on a Web Storage object (`sessionStorage`, `localStorage`), or on a function that
 * returns one when needed (so that creating it during server-side rendering does not fail). Pass
 * `shared` = true for `localStorage`, which all tabs of the origin see.
 *
 * @example
 * ```ts
 * const store = createWebStorageStore(() => window.localStorage, true);
 * ```
 */
export function createWebStorageStore(
  storage: WebStorageLike | (() => WebStorageLike | undefined),
  shared = false,
): TokenStore {
  const area = () => {
    const found = typeof storage === 'function' ? storage() : storage;
    if (!found) throw new ProtocolError('ERR_CONFIGURATION', 'No Web Storage here');
    return found;
  };
  return {
    shared,
    get: (key) => area().getItem(key),
    set: (key, value) => area().setItem(key, value),
    remove: (key) => area().removeItem(key),
  };
}

/** The `TokenStore` for a `StorageOption`. */
export function resolveStore(option: StorageOption = 'memory'): TokenStore {
  if (typeof option !== 'string') return option;
  if (option === 'memory') return createMemoryStore();
  return createWebStorageStore(
    () => (globalThis as { [key: string]: unknown })[option] as WebStorageLike | undefined,
    option === 'localStorage',
  );
}
