import { afterEach, describe, expect, test } from 'vitest';
import { createFakeLocks } from '../test/fake-server';
import { createTabCoordinator, type RefreshCoordinator, type TabMessage } from './tab-coordinator';

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
    const a = open(name, { locks: null });
    const b = open(name, { locks: null });
    const other = open(`${name}-other`, { locks: null });
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
