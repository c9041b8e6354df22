import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Keygrip from 'keygrip';
import Koa from 'koa';
import type { AppContext, RequestState } from '../../src/http/state';

export interface TestContextOptions<S> {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  ip?: string;
  state?: Partial<S>;
  /** The keys that sign cookies (as the app's `keys`). */
  keys?: string[];
}

/**
 * A real Koa context for a request that never touches a socket: for the unit tests of a single
 * middleware (what it reads from the request, what it leaves on `ctx.state` and the response).
 */
export function createTestContext<S extends RequestState = RequestState>({
  method = 'GET',
  url = '/',
  headers = {},
  ip = '192.0.2.1',
  state = {},
  keys = ['test-cookie-key'],
}: TestContextOptions<S> = {}): AppContext<S> {
  const app = new Koa<S>();
  app.keys = new Keygrip(keys, 'sha256');
  const request = new IncomingMessage(new Socket());
  request.method = method;
  request.url = url;
  request.headers = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const ctx = app.createContext(request, new ServerResponse(request)) as AppContext<S>;
  ctx.request.ip = ip;
  Object.assign(ctx.state, state);
  return ctx;
}

/** The `Set-Cookie` lines of a context's response. */
export function setCookies(ctx: AppContext<RequestState>): string[] {
  const header = ctx.response.headers['set-cookie'];
  return header === undefined ? [] : ([] as string[]).concat(header as string | string[]);
}
