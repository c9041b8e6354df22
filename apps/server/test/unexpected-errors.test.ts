// What the server did not expect: a plain 500 for the client, the whole error for the operator's log.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppState, createApp } from '../src/app';
import type { AppMiddleware } from '../src/http/state';
import { createLogger } from '../src/logging/logger';
import { renderMatomoErrors } from '../src/matomo/render-matomo-errors';
import { renderOAuthErrors } from '../src/oauth/shared/render-oauth-errors';
import { renderPageErrors } from '../src/pages/page-response';

const detail = 'database file is locked at /var/lib/secret-path';
const fail: AppMiddleware = async function failUnexpectedly() {
  throw new Error(detail);
};

const lines: string[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  const router = new Router<AppState>();
  router.post('/oauth', renderOAuthErrors, fail);
  router.get('/api', renderMatomoErrors, fail);
  router.get('/page', renderPageErrors, fail);
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  const app = createApp(router, {
    logger,
    trustProxy: { kind: 'none' },
    cookieKeys: [Buffer.alloc(32, 1)],
    auditCommitted: async () => {},
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('an unexpected error', () => {
  test.each([
    [
      'POST',
      '/oauth',
      { error: 'server_error', error_description: 'The server could not complete this request' },
    ],
    ['GET', '/api', { result: 'error', message: 'An unexpected error occurred.' }],
    ['GET', '/page', undefined],
  ])(
    '%s %s: 500 that reveals nothing; the error and its request id go to the log',
    async (method, path, body) => {
      // `format=json` for the API, whose default is Matomo's XML; the others ignore it.
      const response = await fetch(`${url}${path}?format=json`, { method });
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(text).not.toContain('secret-path');
      expect(text).not.toContain('at ');
      if (body) expect(JSON.parse(text)).toEqual(body);
      else expect(text).toContain('Something went wrong');

      const id = response.headers.get('X-Request-Id');
      const logged = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.reqId === id);
      const error = logged.find((line) => line.msg === 'unexpected error');
      expect(error).toMatchObject({ level: 50, err: { message: detail } });
      expect(String((error?.err as { stack?: string } | undefined)?.stack)).toContain('failUnexpectedly');
      expect(logged.find((line) => line.msg === 'request')).toMatchObject({ status: 500, route: path });
    },
  );
});
