import autocannon from 'autocannon';

export interface LoadRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** One request, or a sequence each connection sends in turn (a mixed load). */
  requests: LoadRequest[];
  /** Seconds a single request may take. */
  timeoutSeconds?: number;
  /** False: the response body is wrong (a Matomo error comes with HTTP 200). */
  verifyBody?: (body: string) => boolean;
  /**
   * Seconds of the same load first, not counted: the server's code is compiled and its caches
   * filled, so that the figure is the steady rate rather than its first second's.
   */
  warmupSeconds?: number;
}

export interface LoadResult {
  /** Successful responses per second. */
  rate: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  responses: number;
}

/** A Matomo API error: `{"result":"error","message":…}`, with HTTP 200 as Matomo sends it. */
export const isMatomoError = (body: string) => /^\s*\{\s*"result"\s*:\s*"error"/.test(body);

/**
 * Drives the server with autocannon for a fixed time with a fixed number of connections. Every
 * response must be a 2xx with a body that passes `verifyBody`: anything else (a 429, a 500, a
 * Matomo error, a reset connection) fails the measurement, since the rate of failures is no figure.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds) await load(options, options.warmupSeconds);
  const result = await load(options, options.seconds);
  const failures = result.non2xx + result.mismatches + result.errors + result.timeouts;
  if (failures > 0 || result['2xx'] === 0) {
    const statuses = Object.entries(result.statusCodeStats)
      .map(([status, { count }]) => `${status}×${count}`)
      .join(', ');
    throw new Error(
      `${options.requests[0]?.path}: ${result['2xx']} good responses; statuses ${statuses || 'none'}, ` +
        `${result.mismatches} wrong bodies, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    rate: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    responses: result['2xx'],
  };
}

function load(options: LoadOptions, seconds: number) {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    timeout: options.timeoutSeconds ?? 30,
    requests: options.requests.map((request) => ({
      method: request.method ?? 'GET',
      path: request.path,
      headers: request.headers ?? {},
      ...(request.body === undefined ? {} : { body: request.body }),
    })),
    ...(options.verifyBody === undefined ? {} : { verifyBody: options.verifyBody }),
  });
}
