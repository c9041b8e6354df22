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
      await vi.advanceTimersByTimeAsync(100);
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
    await vi.advanceTimersByTimeAsync(100);
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
