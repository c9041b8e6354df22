import { afterEach, describe, expect, test, vi } from 'vitest';
import { createFakeStorage } from '../test/fake-server';
import { createWebStorageStore, resolveStore } from './storage';

describe('token stores', () => {
  test('the memory store keeps values per instance', async () => {
    const a = resolveStore();
    const b = resolveStore('memory');
    await a.set('k', 'v');
    expect(await a.get('k')).toBe('v');
    expect(await b.get('k')).toBeUndefined();
    await a.remove('k');
    expect(await a.get('k')).toBeUndefined();
  });

  test('a Web Storage store reads and writes the storage it is given', () => {
    const storage = createFakeStorage();
    const store = createWebStorageStore(storage);
    store.set('k', 'v');
    expect(storage.getItem('k')).toBe('v');
    store.remove('k');
    expect(storage.map.size).toBe(0);
    expect(store.shared).toBe(false);
  });

  test("'localStorage' is shared by the tabs, 'sessionStorage' is not", () => {
    expect(resolveStore('localStorage').shared).toBe(true);
    expect(resolveStore('sessionStorage').shared).toBe(false);
  });

  test('naming a Web Storage that does not exist (server-side rendering) fails on use, not on creation', () => {
    const store = resolveStore('sessionStorage');
    expect(() => store.get('k')).toThrow(expect.objectContaining({ code: 'ERR_CONFIGURATION' }));
  });
});

describe('named Web Storages', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test.each(['sessionStorage', 'localStorage'] as const)(
    '%s is looked up on globalThis when used',
    async (name) => {
      const store = resolveStore(name);
      const storage = createFakeStorage();
      vi.stubGlobal(name, storage);
      await store.set('k', 'v');
      expect(storage.getItem('k')).toBe('v');
      expect(await store.get('k')).toBe('v');
    },
  );

  test('a missing Web Storage says so', () => {
    vi.stubGlobal('localStorage', undefined);
    expect(() => resolveStore('localStorage').get('k')).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIGURATION', message: expect.stringMatching(/\S/) }),
    );
  });

  test('a TokenStore of your own is used as it is', () => {
    const own = { get: () => null, set: () => undefined, remove: () => undefined };
    expect(resolveStore(own)).toBe(own);
  });
});
