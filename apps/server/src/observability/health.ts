import type { IncomingMessage, ServerResponse } from 'node:http';

/** Why the server is not ready: `/readyz`'s 503 body. */
export interface NotReady {
  status: 'starting' | 'stopping' | 'unavailable';
  /** A short fixed sentence, never an error's text (which may name hosts or users). */
  reason: string;
}

/** Resolves to undefined when the server can serve, else to a short fixed reason. */
export type ReadinessCheck = () => Promise<string | undefined>;

const starting: NotReady = { status: 'starting', reason: 'the server is starting' };
const stopping: NotReady = { status: 'stopping', reason: 'the server is shutting down' };

function answer(req: IncomingMessage, res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/**
 * `GET /healthz` (the process is alive: 200, no database access) and `GET /readyz` (200 once the
 * app is built and its check passes; 503 while starting, when the check fails, and from the
 * moment shutdown begins, so that a load balancer stops sending requests while those in flight
 * finish). They answer in front of the app, before it exists, and need no authentication.
 */
export function createHealth() {
  let check: ReadinessCheck | undefined;
  let stopped = false;

  async function readiness(): Promise<NotReady | undefined> {
    if (stopped) return stopping;
    if (!check) return starting;
    const reason = await check();
    // Shutdown may have begun while the check ran.
    if (stopped) return stopping;
    return reason === undefined ? undefined : { status: 'unavailable', reason };
  }

  return {
    /** The app is built: from now on readiness is what `readinessCheck` says. */
    ready(readinessCheck: ReadinessCheck): void {
      check = readinessCheck;
    },
    /** Shutdown has begun: not ready any more, for good. */
    stopping(): void {
      stopped = true;
    },
    /** Answers a health request and returns true; returns false for any other request. */
    answer(req: IncomingMessage, res: ServerResponse): boolean {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/healthz' && path !== '/readyz') return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        answer(req, res, 405, { status: 'method not allowed' });
        return true;
      }
      // A server shutting down keeps no connection open: the prober's next one goes elsewhere.
      if (stopped) res.setHeader('Connection', 'close');
      if (path === '/healthz') {
        answer(req, res, 200, { status: 'ok' });
        return true;
      }
      readiness().then(
        (notReady) =>
          notReady === undefined
            ? answer(req, res, 200, { status: 'ready' })
            : answer(req, res, 503, notReady),
        () => answer(req, res, 503, { status: 'unavailable', reason: 'the readiness check failed' }),
      );
      return true;
    },
  };
}

export type Health = ReturnType<typeof createHealth>;
