// A node:cluster worker for the rate limiter's cluster-store test: on `{ attempts }` from the
// primary, it makes that many concurrent attempts on one key of a limiter on the cluster store,
// and answers `{ passed }`. The limit, window and clock come from the environment the test sets.
import { openRateLimitStore } from '../../src/rate-limit/rate-limit-store';
import { createRateLimiter } from '../../src/rate-limit/rate-limiter';

const limiter = createRateLimiter({
  limit: Number(process.env.RATE_LIMIT_LIMIT),
  windowMs: 60_000,
  clock: () => Number(process.env.RATE_LIMIT_NOW),
  store: openRateLimitStore({ kind: 'cluster' }),
  name: 'cluster-test',
});

process.on('message', async (message: { attempts?: number }) => {
  if (typeof message?.attempts !== 'number') return;
  const waits = await Promise.all(
    Array.from({ length: message.attempts }, () => limiter.attempt('203.0.113.9')),
  );
  process.send?.({ passed: waits.filter((wait) => wait === 0).length });
});
process.send?.({ ready: true });
