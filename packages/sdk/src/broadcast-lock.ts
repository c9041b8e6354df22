import { randomToken } from './random-token';

/**
 * The messages of the fallback lock, on the coordinator's `BroadcastChannel`.
 *
 * @example
 * ```ts
 * const claim: LockMessage = { k: 'claim', id: 'tab-a', r: 0.42 };
 * ```
 */
export type LockMessage =
  | { k: 'claim'; id: string; r: number }
  | { k: 'held'; id: string }
  | { k: 'free'; id: string };

/**
 * A best-effort mutual exclusion between tabs over `BroadcastChannel`, for browsers without Web Locks.
 * A tab claims the lock with a random number, waits `settleMs` for objections (a holder answers
 * `held`; among rival claims the lowest number wins) and then announces `held` until it releases.
 * A holder that disappears without `free` is given up after `ttlMs` without a heartbeat. Two tabs
 * whose messages take longer than `settleMs` to cross can both win: 200 ms by default, since a busy
 * tab (or machine) can delay delivery well beyond the few milliseconds it usually takes.
 *
 * @example
 * ```ts
 * const channel = new BroadcastChannel('my-lock');
 * const lock = createBroadcastLock((message) => channel.postMessage(message));
 * channel.onmessage = ({ data }) => lock.receive(data);
 * const release = await lock.acquire();
 * try { await work(); } finally { release(); }
 * ```
 */
export function createBroadcastLock(post: (message: LockMessage) => void, settleMs = 200, ttlMs = 10_000) {
  const id = randomToken(12);
  let holder: { id: string; until: number } | undefined;
  let claim: number | undefined;
  // Stryker disable next-line BooleanLiteral: acquire() sets it to false before every claim, and only then reads it
  let beaten = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const waitForFree = (ms: number) =>
    new Promise<void>((resolve) => {
      // Stryker disable next-line OptionalChaining: the timer only fires while wake is set (calling wake clears it)
      const timer = setTimeout(() => wake?.(), ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });
  const release = () => {
    clearInterval(heartbeat);
    heartbeat = undefined;
    post({ k: 'free', id });
  };

  return {
    async acquire(): Promise<() => void> {
      for (;;) {
        while (holder && holder.until > Date.now()) await waitForFree(holder.until - Date.now());
        holder = undefined;
        beaten = false;
        claim = Math.random();
        post({ k: 'claim', id, r: claim });
        await sleep(settleMs);
        claim = undefined;
        if (!beaten) {
          post({ k: 'held', id });
          heartbeat = setInterval(() => post({ k: 'held', id }), ttlMs / 3);
          return release;
        }
        // Stryker disable next-line ArithmeticOperator: the jitter only spreads retries; the claim numbers decide
        await sleep(Math.random() * settleMs);
      }
    },
    receive(message: LockMessage): void {
      if (message.id === id) return;
      if (message.k === 'claim') {
        if (heartbeat) post({ k: 'held', id });
        else if (claim !== undefined && message.r < claim) beaten = true;
      } else if (message.k === 'held') {
        holder = { id: message.id, until: Date.now() + ttlMs };
        beaten = true;
      } else if (holder?.id === message.id) {
        holder = undefined;
        wake?.();
      }
    },
    close(): void {
      clearInterval(heartbeat);
      heartbeat = undefined;
      wake?.();
    },
  };
}
