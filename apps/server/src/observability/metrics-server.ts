import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** One scrape: the exposition text and its content type. */
export type Scrape = () => Promise<{ contentType: string; text: string }>;

export interface MetricsServer {
  /** Where Prometheus scrapes: `http://host:port/metrics`. */
  url: string;
  close(): Promise<void>;
}

export interface MetricsListen {
  host: string;
  port: number;
}

function reply(res: ServerResponse, status: number, contentType: string, text: string, head: boolean): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : text);
}

function handle(scrape: Scrape, req: IncomingMessage, res: ServerResponse): void {
  const head = req.method === 'HEAD';
  if ((req.url ?? '').split('?')[0] !== '/metrics') {
    reply(res, 404, 'text/plain', 'Not Found\n', head);
  } else if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    reply(res, 405, 'text/plain', 'Method Not Allowed\n', false);
  } else {
    scrape().then(
      ({ contentType, text }) => reply(res, 200, contentType, text, head),
      // A worker that did not answer in a cluster: the scrape fails, Prometheus marks the target down.
      () => reply(res, 503, 'text/plain', 'Metrics unavailable\n', head),
    );
  }
}

/**
 * The metrics listener: `/metrics` only, on its own port (never the public one), for Prometheus
 * on the operator's network. No authentication: bind it to an address only the scraper reaches.
 */
export async function startMetricsServer(
  { host, port }: MetricsListen,
  scrape: Scrape,
): Promise<MetricsServer> {
  const server = createServer((req, res) => handle(scrape, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper keeps its connection open: nothing in flight here is worth waiting for.
        server.closeAllConnections();
      }),
  };
}

/** A registry's scrape. */
export function scrapeRegistry(registry: Registry): Scrape {
  return async () => ({ contentType: registry.contentType, text: await registry.metrics() });
}
