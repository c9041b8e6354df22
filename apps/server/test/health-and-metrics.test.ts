// Operations: /healthz and /readyz through start-up, work and shutdown; Prometheus metrics on their
// own port, with bounded labels and no secret, after real sign-ins, token requests and API calls.
import { connect, type Socket } from 'node:net';
import { createAgent, getCode, postToken, readForm } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminPassword, startTestServer, type TestServer } from './test-server';

const clientSecret = '7fa9c0f81b8b4a12';
const credentials = { client_id: 'analytics_app', client_secret: clientSecret };
const redirectUri = 'https://example-app.com/oauth/callback';

/** One HTTP/1.1 exchange on a raw socket, so that a test controls when each byte is sent. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let received = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  socket.on('close', () => {
    for (const wake of waiters.splice(0)) wake();
  });
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    async send(text: string): Promise<void> {
      await connected;
      await new Promise<void>((resolve, reject) =>
        socket.write(text, (error) => (error ? reject(error) : resolve())),
      );
    },
    /** The first complete response: status and body (Content-Length framed). */
    async response(): Promise<{ status: number; headers: string; body: string }> {
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end >= 0) {
          const headers = received.slice(0, end);
          const length = Number(/content-length:\s*(\d+)/i.exec(headers)?.[1] ?? 0);
          if (received.length >= end + 4 + length) {
            const body = received.slice(end + 4, end + 4 + length);
            return { status: Number(headers.split(' ')[1]), headers, body };
          }
        }
        if (socket.destroyed) throw new Error(`connection closed after: ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    close: () => socket.destroy(),
  };
}

async function getJson(url: string) {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

describe('health endpoints', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  test('/healthz: 200 {"status":"ok"}, not cached, nothing more said', async () => {
    const result = await getJson(`${server.url}/healthz`);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ status: 'ok' });
    expect(result.headers.get('Cache-Control')).toBe('no-store');
    expect(result.headers.get('Content-Type')).toMatch(/^application\/json/);
  });

  test('/readyz once started: 200 {"status":"ready"}, not cached, no authentication needed', async () => {
    const result = await getJson(`${server.url}/readyz?probe=1`);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ status: 'ready' });
    expect(result.headers.get('Cache-Control')).toBe('no-store');
  });

  test('HEAD answers without a body; other methods are 405 with Allow', async () => {
    const head = await fetch(`${server.url}/readyz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${server.url}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('Allow')).toBe('GET, HEAD');
  });
});

describe('readiness follows the database', () => {
  test('a database that does not answer: /readyz 503 "unavailable", /healthz still 200', async () => {
    const server = await startTestServer();
    try {
      await server.db.destroy();
      const ready = await getJson(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'unavailable', reason: 'the database does not answer' });
      expect(ready.headers.get('Cache-Control')).toBe('no-store');
      expect((await getJson(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('shutdown', () => {
  test('from the moment close() is called /readyz is 503 "stopping" while requests in flight finish', async () => {
    const server = await startTestServer();
    // A token request in flight: its body is not complete yet, so it waits inside the app.
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...credentials }).toString();
    const inFlight = rawConnection(server.url);
    await inFlight.send(
      `POST /oauth2/token HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    // A probe whose request has begun (a connection in the middle of a request is not idle, so
    // shutdown keeps it) and ends once shutdown has begun.
    const probe = rawConnection(server.url);
    await probe.send('GET /readyz HTTP/1.1\r\nHost: test\r\n');
    const alive = rawConnection(server.url);
    await alive.send('GET /healthz HTTP/1.1\r\nHost: test\r\n');
    // Both requests are under way on the server before shutdown begins.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const closed = server.stop();
    await probe.send('\r\n');
    const notReady = await probe.response();
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({ status: 'stopping', reason: 'the server is shutting down' });
    await alive.send('\r\n');
    const stillAlive = await alive.response();
    expect(stillAlive.status).toBe(200);

    await inFlight.send(body.slice(10));
    const finished = await inFlight.response();
    expect(finished.status).toBe(200);
    expect(JSON.parse(finished.body)).toMatchObject({ token_type: 'Bearer' });
    await closed;
    for (const connection of [inFlight, probe, alive]) connection.close();
  });
});

/** The scrape's samples: `name{labels} value` lines. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    found.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return found;
}

describe('metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(
      { metricsPort: 0 },
      {
        rateLimits: {
          loginPerIp: { limit: 1000, windowMs: 60_000 },
          loginPerUser: { limit: 2, windowMs: 60_000 },
          clientAuthenticationPerIp: { limit: 1000, windowMs: 60_000 },
        },
      },
    );
  });
  afterAll(() => server.stop());

  async function scrape(): Promise<{ text: string; contentType: string | null }> {
    expect(server.metricsUrl).toBeDefined();
    const response = await fetch(server.metricsUrl as string);
    expect(response.status).toBe(200);
    return { text: await response.text(), contentType: response.headers.get('Content-Type') };
  }

  test('after sign-ins, token requests and API calls: the expected series and counts, and no secret', async () => {
    const secrets: string[] = [clientSecret, adminPassword];

    // A sign-in through the pages, keeping the cookies and the anti-CSRF token to look for them.
    const agent = createAgent(server.url);
    const page = await agent.get('/login');
    const form = readForm(await page.text(), 'password');
    secrets.push(...Object.values(form.fields).filter((value) => value.length >= 16));
    const signedIn = await agent.postForm('/login', {
      ...form.fields,
      login: 'admin',
      password: adminPassword,
    });
    expect(signedIn.status).toBe(303);
    secrets.push(...agent.cookies.values());

    // The authorization code grant, a replay of its code, a refresh and a refresh token reused.
    const code = await getCode(server.url, { login: 'admin', password: adminPassword });
    secrets.push(code);
    const redeem = { grant_type: 'authorization_code', ...credentials, redirect_uri: redirectUri, code };
    const tokens = await postToken(server.url, redeem);
    expect(tokens.status).toBe(200);
    const accessToken = String(tokens.body.access_token);
    const refreshToken = String(tokens.body.refresh_token);
    secrets.push(accessToken, refreshToken);
    expect((await postToken(server.url, redeem)).status).toBe(400);

    const second = await postToken(server.url, {
      grant_type: 'authorization_code',
      ...credentials,
      redirect_uri: redirectUri,
      code: await getCode(server.url, { login: 'admin', password: adminPassword }),
    });
    expect(second.status).toBe(200);
    const refreshed = await postToken(server.url, {
      grant_type: 'refresh_token',
      ...credentials,
      refresh_token: String(second.body.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    secrets.push(
      String(second.body.access_token),
      String(second.body.refresh_token),
      String(refreshed.body.access_token),
    );
    const reuse = await postToken(server.url, {
      grant_type: 'refresh_token',
      ...credentials,
      refresh_token: String(second.body.refresh_token),
    });
    expect(reuse.status).toBe(400);

    // Client credentials, then Matomo API calls with its token.
    const cc = await postToken(server.url, { grant_type: 'client_credentials', ...credentials });
    expect(cc.status).toBe(200);
    const ccToken = String(cc.body.access_token);
    secrets.push(ccToken);
    for (let i = 0; i < 3; i++) {
      const api = await fetch(`${server.url}/api/API.getMatomoVersion?format=json`, {
        headers: { Authorization: `Bearer ${ccToken}` },
      });
      expect(api.status).toBe(200);
    }

    // Wrong passwords for one login until the limit refuses (limit 2: the third is refused).
    const guesser = createAgent(server.url);
    for (const expected of [401, 401, 429]) {
      const login = readForm(await (await guesser.get('/login')).text(), 'password');
      const answer = await guesser.postForm('/login', {
        ...login.fields,
        login: 'guessed',
        password: 'wrong-guess',
      });
      expect(answer.status).toBe(expected);
    }

    // A URL no route matches: counted, but its path is never a label value.
    expect((await fetch(`${server.url}/no-such-page-x7q`)).status).toBe(404);

    const { text, contentType } = await scrape();
    expect(contentType).toMatch(/^text\/plain/);
    const found = samples(text);
    expect(found.get('http_requests_total{method="POST",route="/oauth2/token",status="200"}')).toBe(4);
    expect(found.get('http_requests_total{method="POST",route="/oauth2/token",status="400"}')).toBe(2);
    expect(found.get('http_requests_total{method="GET",route="/api/:method",status="200"}')).toBe(3);
    expect(found.get('http_requests_total{method="POST",route="/login",status="429"}')).toBe(1);
    expect(found.get('http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(
      found.get('http_request_duration_seconds_count{method="GET",route="/api/:method",status="200"}'),
    ).toBe(3);
    expect(
      found.get(
        'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/:method",status="200"}',
      ),
    ).toBe(3);
    expect(found.get('oauth_tokens_issued_total{grant_type="authorization_code"}')).toBe(2);
    expect(found.get('oauth_tokens_issued_total{grant_type="refresh_token"}')).toBe(1);
    expect(found.get('oauth_tokens_issued_total{grant_type="client_credentials"}')).toBe(1);
    expect(found.get('oauth_refresh_token_reuse_total')).toBe(1);
    expect(found.get('oauth_authorization_code_replay_total')).toBe(1);
    expect(found.get('rate_limit_refusals_total{limiter="login-user"}')).toBe(1);
    expect(found.get('rate_limit_refusals_total{limiter="login-ip"}')).toBe(0);
    expect(found.get('db_query_duration_seconds_count')).toBeGreaterThan(0);
    // Event-loop lag and process metrics.
    expect(found.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(found.has('process_cpu_user_seconds_total')).toBe(true);
    expect(found.has('process_resident_memory_bytes')).toBe(true);

    // Route labels are patterns: only the router's own paths and `unmatched`.
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((match) => match[1]));
    const patterns = new Set([...server.routes.map((route) => route.path), 'unmatched']);
    for (const route of routes) expect(patterns).toContain(route);
    expect(text).not.toContain('no-such-page');
    expect(text).not.toContain('getMatomoVersion');

    for (const secret of secrets) expect(secret.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('admin@example.org');
  });

  test('/metrics on the public port is 404', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  test('the metrics port serves /metrics only', async () => {
    const base = new URL(server.metricsUrl as string);
    expect((await fetch(new URL('/healthz', base))).status).toBe(404);
    expect((await fetch(new URL('/oauth2/jwks', base))).status).toBe(404);
    expect((await fetch(base, { method: 'POST' })).status).toBe(405);
  });

  test('scraping is not counted as a request of the public app', async () => {
    await scrape();
    const { text } = await scrape();
    expect(text).not.toMatch(/route="\/metrics"/);
  });
});

describe('the metrics listener', () => {
  /** Listening sockets in this process, once the handles closed just before are gone (they go a loop turn later). */
  const listeners = async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;
  };

  test('METRICS_PORT unset: no metrics listener, only the public one', async () => {
    const before = await listeners();
    const server = await startTestServer();
    try {
      expect(server.metricsUrl).toBeUndefined();
      expect((await listeners()) - before).toBe(1);
    } finally {
      await server.stop();
    }
  });

  test('METRICS_PORT set: a second listener, on another port than the public one, closed by close()', async () => {
    const before = await listeners();
    const server = await startTestServer({ metricsPort: 0 });
    try {
      expect((await listeners()) - before).toBe(2);
      expect(new URL(server.metricsUrl as string).port).not.toBe(new URL(server.url).port);
    } finally {
      await server.stop();
    }
    expect(await listeners()).toBe(before);
  });
});
