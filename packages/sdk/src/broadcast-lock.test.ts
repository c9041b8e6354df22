import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createBroadcastLock, type LockMessage } from './broadcast-lock';

type Lock = ReturnType<typeof createBroadcastLock>;

/** Tabs joined by an in-memory channel that delivers asynchronously, like BroadcastChannel. */
function tabs(count: number): Lock[] {
  const all: Lock[] = [];
  for (let i = 0; i < count; i++) {
    const post = (message: LockMessage) =>
      queueMicrotask(() => {
        for (const other of all) if (other !== self) other.receive(structuredClone(message));
      });
    const self = createBroadcastLock(post);
    all.push(self);
  }
  return all;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function runUntil(done: () => boolean) {
  for (let i = 0; i < 10_000 && !done(); i++) await vi.advanceTimersByTimeAsync(10);
}

describe('BroadcastChannel lock (fallback without Web Locks)', () => {
  test('tabs that all want the lock at once get it one after the other', async () => {
    const locks = tabs(4);
    let inside = 0;
    let most = 0;
    let finished = 0;
    for (const lock of locks) {
      void (async () => {
        for (let round = 0; round < 3; round++) {
          const release = await lock.acquire();
          inside++;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 120));
          inside--;
          release();
        }
        finished++;
      })();
    }
    await runUntil(() => finished === locks.length);
    expect(finished).toBe(4);
    expect(most).toBe(1);
  });

  test('a tab that asks while another holds the lock waits for `free`', async () => {
    const [a, b] = tabs(2) as [Lock, Lock];
    const releaseA = await (async () => {
      const pending = a.acquire();
      await vi.advanceTimersByTimeAsync(250);
      return pending;
    })();
    let bHasIt = false;
    void b.acquire().then(() => {
      bHasIt = true;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(bHasIt).toBe(false);
    releaseA();
    await runUntil(() => bHasIt);
    expect(bHasIt).toBe(true);
  });

  test('a holder that vanished (closed tab, no `free`) is given up after its heartbeat stops', async () => {
    const [a, b] = tabs(2) as [Lock, Lock];
    const pending = a.acquire();
    await vi.advanceTimersByTimeAsync(250);
    await pending;
    a.close(); // the tab is gone: no more heartbeats, no `free`
    let bHasIt = false;
    void b.acquire().then(() => {
      bHasIt = true;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(bHasIt).toBe(false);
    await runUntil(() => bHasIt);
    expect(bHasIt).toBe(true);
  });
});

describe('the lock protocol, message by message', () => {
  /** One tab's lock, with what it posts recorded. */
  function recorded(settleMs = 50, ttlMs = 10_000) {
    const posted: LockMessage[] = [];
    const lock = createBroadcastLock((message) => void posted.push(message), settleMs, ttlMs);
    let acquired = false;
    let release: (() => void) | undefined;
    const acquire = () =>
      lock.acquire().then((r) => {
        acquired = true;
        release = r;
      });
    return {
      lock,
      posted,
      acquire,
      get acquired() {
        return acquired;
      },
      release: () => release?.(),
      /** This tab's id, from its first claim. */
      id: () => posted.find((m) => m.k === 'claim')?.id ?? '',
    };
  }

  afterEach(() => {
    vi.restoreAllMocks();
  });

  test('claim, wait settleMs, held; release says free', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const tab = recorded();
    void tab.acquire();
    await vi.advanceTimersByTimeAsync(49);
    expect(tab.acquired).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(tab.acquired).toBe(true);
    tab.release();
    const id = tab.id();
    expect(id).toMatch(/^[\w-]{16}$/);
    expect(tab.posted).toEqual([
      { k: 'claim', id, r: 0.25 },
      { k: 'held', id },
      { k: 'free', id },
    ]);
  });

  test('the holder repeats held every ttl/3 until it releases', async () => {
    const tab = recorded(50, 9_000);
    void tab.acquire();
    await vi.advanceTimersByTimeAsync(50 + 9_000);
    expect(tab.posted.filter((m) => m.k === 'held')).toHaveLength(1 + 3);
    tab.release();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(tab.posted.filter((m) => m.k === 'held')).toHaveLength(1 + 3);
  });

  test('the holder answers a claim with held', async () => {
    const tab = recorded();
    void tab.acquire();
    await vi.advanceTimersByTimeAsync(50);
    const id = tab.id();
    tab.posted.length = 0;
    tab.lock.receive({ k: 'claim', id: 'other', r: 0 });
    expect(tab.posted).toEqual([{ k: 'held', id }]);
  });

  test('a tab that neither holds nor claims stays silent when others claim', () => {
    const tab = recorded();
    tab.lock.receive({ k: 'claim', id: 'other', r: 0 });
    expect(tab.posted).toEqual([]);
  });

  test.each([
    // [rival's number, our number, we get the lock in this round]
    [0.4, 0.5, false],
    [0.6, 0.5, true],
  ])(
    'among rival claims the lowest number wins (rival %f, ours %f: ours wins = %s)',
    async (rival, ours, wins) => {
      vi.spyOn(Math, 'random').mockReturnValue(ours);
      const tab = recorded();
      void tab.acquire();
      tab.lock.receive({ k: 'claim', id: 'rival', r: rival });
      await vi.advanceTimersByTimeAsync(50);
      expect(tab.acquired).toBe(wins);
    },
  );

  test('a tab ignores its own messages (it never waits for itself)', async () => {
    const tab = recorded();
    void tab.acquire();
    tab.lock.receive({ k: 'held', id: tab.id() });
    tab.lock.receive({ k: 'claim', id: tab.id(), r: -1 });
    await vi.advanceTimersByTimeAsync(50);
    expect(tab.acquired).toBe(true);
  });

  test('only the holder can free the lock: a free from another tab does not end the wait', async () => {
    const tab = recorded();
    tab.lock.receive({ k: 'held', id: 'holder' });
    void tab.acquire();
    tab.lock.receive({ k: 'free', id: 'bystander' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(tab.acquired).toBe(false);
    tab.lock.receive({ k: 'free', id: 'holder' });
    await vi.advanceTimersByTimeAsync(50);
    expect(tab.acquired).toBe(true);
  });

  test('a free while nobody holds the lock is ignored', () => {
    const tab = recorded();
    expect(() => tab.lock.receive({ k: 'free', id: 'someone' })).not.toThrow();
    expect(tab.posted).toEqual([]);
  });

  test('a holder that keeps its heartbeat keeps the lock past the ttl', async () => {
    const [a, b] = tabs(2) as [Lock, Lock];
    const pending = a.acquire();
    await vi.advanceTimersByTimeAsync(250);
    const releaseA = await pending;
    let bHasIt = false;
    void b.acquire().then(() => {
      bHasIt = true;
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(bHasIt).toBe(false);
    releaseA();
    await runUntil(() => bHasIt);
    expect(bHasIt).toBe(true);
  });

  test('close() ends the heartbeat and the wait', async () => {
    const tab = recorded();
    void tab.acquire();
    await vi.advanceTimersByTimeAsync(50);
    tab.lock.close();
    const count = tab.posted.length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(tab.posted).toHaveLength(count);
  });
});
