/** Thrown when a gate's queue is full: the caller should answer "busy, retry later". */
export class BusyError extends Error {
  override readonly name = 'BusyError';
}

/**
 * Runs at most `concurrency` tasks at once, queues up to `queue` more, and refuses the rest.
 * Guards work that occupies the libuv thread pool (scrypt), which SQLite needs too.
 */
export function createGate({ concurrency, queue }: { concurrency: number; queue: number }) {
  let running = 0;
  const waiting: (() => void)[] = [];

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= concurrency) {
        if (waiting.length >= queue) throw new BusyError('Too many requests of this kind at once');
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}
