import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The grant types a token can be issued by; anything else is counted as `other` (bounded labels). */
const grantTypes = new Set(['authorization_code', 'client_credentials', 'refresh_token']);

export interface RequestLabels {
  method: string;
  /** The route pattern that matched (`/api/:method`), never the URL; `unmatched` when none did. */
  route: string;
  status: number;
}

export interface MetricsOptions {
  /**
   * Also collect Node's process metrics (CPU, memory, event-loop lag, GC, handles). They start
   * monitors that run until the process exits, so only a server that publishes metrics asks.
   */
  processMetrics: boolean;
}

/**
 * The server's Prometheus metrics, in a registry of its own (never prom-client's global one:
 * tests run many servers in one process). Every label value is bounded: route patterns, grant
 * types, limiter names, never a URL, a client id or anything a request carries.
 */
export function createMetrics({ processMetrics }: MetricsOptions) {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, matched route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to its response, by method, matched route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const tokensIssued = new Counter({
    name: 'oauth_tokens_issued_total',
    help: 'Access tokens issued by the token endpoint, by grant type.',
    labelNames: ['grant_type'] as const,
    registers,
  });
  // Every series exists from the start at 0, so that a rate over the first event is not lost.
  for (const grantType of grantTypes) tokensIssued.inc({ grant_type: grantType }, 0);
  const refreshTokenReuse = new Counter({
    name: 'oauth_refresh_token_reuse_total',
    help: 'Refresh tokens presented again after rotation (the grant is revoked).',
    registers,
  });
  const codeReplay = new Counter({
    name: 'oauth_authorization_code_replay_total',
    help: 'Authorization codes presented again after redemption (the grant is revoked).',
    registers,
  });
  const rateLimitRefusals = new Counter({
    name: 'rate_limit_refusals_total',
    help: 'Attempts refused by a rate limiter, by limiter.',
    labelNames: ['limiter'] as const,
    registers,
  });
  const queryDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database query duration.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });

  return {
    registry,
    observeRequest({ method, route, status }: RequestLabels, seconds: number): void {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      requestDuration.observe(labels, seconds);
    },
    tokenIssued(grantType: unknown): void {
      tokensIssued.inc({
        grant_type: typeof grantType === 'string' && grantTypes.has(grantType) ? grantType : 'other',
      });
    },
    refreshTokenReused(): void {
      refreshTokenReuse.inc();
    },
    authorizationCodeReplayed(): void {
      codeReplay.inc();
    },
    /** The refusal counter of one limiter (its series starts at 0). */
    rateLimiter(limiter: string): { refused(): void } {
      rateLimitRefusals.inc({ limiter }, 0);
      return { refused: () => rateLimitRefusals.inc({ limiter }) };
    },
    /** A database query's duration (Kysely's query log): an arrow, to be passed as a callback. */
    observeQuery: (durationMs: number): void => {
      queryDuration.observe(durationMs / 1000);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
