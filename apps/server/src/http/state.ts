import type { Middleware, ParameterizedContext } from 'koa';
import type { Logger } from '../logging/logger';
import type { Params } from './params';

/**
 * What the HTTP plumbing leaves on `ctx.state` for the next middleware. Features extend it with
 * their own (the authenticated client, the session, the authorization request); the app's state
 * is the union of them all, assembled where the routes are.
 */
export interface RequestState {
  /** This request's id: in every log line about it and in the `X-Request-Id` header. */
  requestId?: string;
  /** The logger bound to this request's id (made on the first call), for what a handler has to tell the operator. */
  log?: () => Logger;
  /** The form body's parameters (empty unless the body is application/x-www-form-urlencoded). */
  form?: Params;
  /** Whether the request carried a form body. */
  hasForm?: boolean;
  /** What the request asked for, for the log line: the Matomo API method, the index.php action. */
  operation?: string;
  /** The issuer's path (`/auth`, or `''` at the host's root): see `underBasePath`. */
  basePath?: string;
}

export type AppContext<S extends RequestState = RequestState> = ParameterizedContext<S>;
export type AppMiddleware<S extends RequestState = RequestState> = Middleware<S>;
