import { describe, expect, test } from 'vitest';
import { BusyError, createGate } from './concurrency-gate';

describe('the concurrency gate', () => {
  test('runs at most `concurrency` at once, queues the next, refuses beyond the queue', async () => {
    const gate = createGate({ concurrency: 2, queue: 3 });
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const task = () =>
      gate.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
      });
    const accepted = Array.from({ length: 5 }, task);
    await expect(task()).rejects.toBeInstanceOf(BusyError);
    while (release.length > 0 || running > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
  });
});
