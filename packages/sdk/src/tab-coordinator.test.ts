import { afterEach, describe, expect, test, vi } from 'vitest';
import { createFakeLocks } from '../test/fake-server';
import { createBroadcastLock } from './broadcast-lock';
import {
  type ChannelLike,
  createTabCoordinator,
  type RefreshCoordinator,
  type TabMessage,
} from './tab-coordinator';

const opened: RefreshCoordinator[] = [];
const open = (...args: Parameters<typeof createTabCoordinator>) => {
  const coordinator = createTabCoordinator(...args);
  opened.push(coordinator);
  return coordinator;
};
afterEach(() => {
  for (const coordinator of opened.splice(0)) coordinator.close();
});

describe('tab coordinator', () => {
  test('without Web Locks and BroadcastChannel it just runs the function', async () => {
    const coordinator = open('none', { locks: null, channel: null });
    await expect(coordinator.exclusive(async () => 42)).resolves.toBe(42);
    coordinator.publish({ type: 'ended', reason: 'logout', token: 't' }); // no channel: nothing to do
  });

  test('with Web Locks, refreshes of one session share one lock name and run one at a time', async () => {
    const locks = createFakeLocks();
    const names: string[] = [];
    const spy = {
      request: <T>(name: string, fn: () => Promise<T>) => {
        names.push(name);
        return locks.request(name, fn);
      },
    };
    const name = `s-${crypto.randomUUID()}`;
    const a = open(name, { locks: spy });
    const b = open(name, { locks: spy });
    const order: string[] = [];
    const job = (tag: string) => async () => {
      order.push(`${tag}+`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`${tag}-`);
    };
    await Promise.all([a.exclusive(job('a')), b.exclusive(job('b'))]);
    expect(names).toEqual([`${name}:refresh`, `${name}:refresh`]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-']);
  });

  test('messages reach the other tabs of the same name only', async () => {
    const name = `s-${crypto.randomUUID()}`;
    const a = open(name, { locks: null, fallbackLock: createBroadcastLock });
    const b = open(name, { locks: null, fallbackLock: createBroadcastLock });
    const other = open(`${name}-other`, { locks: null, fallbackLock: createBroadcastLock });
    const heard: TabMessage[] = [];
    const notHeard: TabMessage[] = [];
    const arrived = new Promise<void>((resolve) =>
      b.subscribe((message) => {
        heard.push(message);
        resolve();
      }),
    );
    other.subscribe((message) => notHeard.push(message));
    a.subscribe(() => {
      throw new Error('a tab does not hear itself');
    });
    a.publish({ type: 'ended', reason: 'rejected', token: 'rt' });
    await arrived;
    expect(heard).toEqual([{ type: 'ended', reason: 'rejected', token: 'rt' }]);
    expect(notHeard).toEqual([]);
  });

  test('exclusive() first handles every message sent before it (the barrier)', async () => {
    const name = `s-${crypto.randomUUID()}`;
    const locks = createFakeLocks();
    const a = open(name, { locks });
    const b = open(name, { locks });
    const seen: string[] = [];
    b.subscribe((message) => seen.push(message.type));
    a.publish({ type: 'ended', reason: 'logout', token: 'x' });
    await b.exclusive(async () => {
      seen.push('fn');
    });
    expect(seen).toEqual(['ended', 'fn']);
  });
});

/** BroadcastChannel doubles on one in-memory bus: channels of the same name hear each other, not themselves. */
function createBus() {
  const channels: (ChannelLike & { name: string; closed: boolean })[] = [];
  const open = (name: string) => {
    const channel = {
      name,
      closed: false,
      onmessage: null as ChannelLike['onmessage'],
      postMessage(data: unknown) {
        for (const other of channels) {
          if (other !== channel && other.name === name && !other.closed) {
            queueMicrotask(() => other.onmessage?.({ data: structuredClone(data) }));
          }
        }
      },
      close() {
        channel.closed = true;
      },
    };
    channels.push(channel);
    return channel;
  };
  return { channels, open };
}

describe('tab coordinator rules', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('uses navigator.locks when there is one', async () => {
    const request = vi.fn(<T>(_: string, fn: () => Promise<T>) => fn());
    vi.stubGlobal('navigator', { locks: { request } });
    const coordinator = open('web-locks', { channel: null });
    await expect(coordinator.exclusive(async () => 'done')).resolves.toBe('done');
    expect(request).toHaveBeenCalledWith('web-locks:refresh', expect.any(Function));
  });

  test('without navigator (Node 20) and without a channel it just runs the function', async () => {
    vi.stubGlobal('navigator', undefined);
    const coordinator = open('nothing', { channel: null });
    await expect(coordinator.exclusive(async () => 'done')).resolves.toBe('done');
  });

  test('a channel factory of your own is used, with the name', async () => {
    const bus = createBus();
    const coordinator = open('own', { locks: createFakeLocks(), channel: bus.open });
    coordinator.publish({ type: 'ended', reason: 'logout', token: 'rt' });
    expect(bus.channels.map((c) => c.name)).toEqual(['own']);
  });

  test('the global BroadcastChannel is used by default; unref() is called where it exists (Node)', () => {
    const names: string[] = [];
    const unref = vi.fn();
    class WithUnref {
      onmessage = null;
      postMessage() {}
      close() {}
      unref = unref;
      constructor(name: string) {
        names.push(name);
      }
    }
    class BrowserChannel {
      onmessage = null;
      postMessage() {}
      close() {}
      constructor(name: string) {
        names.push(name);
      }
    }
    vi.stubGlobal('BroadcastChannel', WithUnref);
    open('node', { locks: null });
    expect(unref).toHaveBeenCalledTimes(1);
    vi.stubGlobal('BroadcastChannel', BrowserChannel);
    expect(() => open('browser', { locks: null })).not.toThrow();
    expect(names).toEqual(['node', 'browser']);
  });

  test.each([
    ['null', null],
    ['a string', 'tokens'],
    ['a number', 42],
    ['an array', [{ k: 'm' }]],
    ['an unknown kind', { k: 'zzz' }],
    ['a lock message while Web Locks are used', { k: 'claim', id: 'x', r: 0 }],
    ['a ping for nobody', { k: 'p', n: 'unknown' }],
  ])('%s from another tab is ignored', (_, data) => {
    const bus = createBus();
    const coordinator = open('junk', { locks: createFakeLocks(), channel: bus.open });
    const heard = vi.fn();
    coordinator.subscribe(heard);
    const [channel] = bus.channels;
    expect(() => channel?.onmessage?.({ data })).not.toThrow();
    expect(heard).not.toHaveBeenCalled();
  });

  test('a listener removed with the function subscribe() returned hears nothing more', async () => {
    const bus = createBus();
    const a = open('unsubscribe', { locks: createFakeLocks(), channel: bus.open });
    const b = open('unsubscribe', { locks: createFakeLocks(), channel: bus.open });
    const heard: TabMessage[] = [];
    const off = b.subscribe((message) => heard.push(message));
    a.publish({ type: 'ended', reason: 'logout', token: 'one' });
    await b.exclusive(async () => undefined);
    off();
    a.publish({ type: 'ended', reason: 'logout', token: 'two' });
    await b.exclusive(async () => undefined);
    expect(heard).toEqual([{ type: 'ended', reason: 'logout', token: 'one' }]);
  });

  test('close() closes its channel and the one used for pings', async () => {
    const bus = createBus();
    const coordinator = open('closing', { locks: createFakeLocks(), channel: bus.open });
    await coordinator.exclusive(async () => undefined); // opens the ping channel
    expect(bus.channels).toHaveLength(2);
    coordinator.close();
    expect(bus.channels.map((c) => c.closed)).toEqual([true, true]);
  });
});
