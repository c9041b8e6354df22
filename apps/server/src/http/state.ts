import type { Middleware, ParameterizedContext } from 'koa';
import type { Client } from '../clients/client';
import type { UserRow } from '../db/schema';
import type { AuthorizationRequest } from '../oauth/authorization-request';
import type { Session } from '../sessions/session-store';
import type { Params } from './params';

/** What middleware leaves for the next one on `ctx.state`. */
export interface AppState {
  form?: Params;
  hasForm?: boolean;
  session?: { cookieValue: string; data: Session; user: UserRow };
  authorization?: AuthorizationRequest;
  /** The authenticated client of a token, revocation or introspection request. */
  client?: Client;
}

export type AppContext = ParameterizedContext<AppState>;
export type AppMiddleware = Middleware<AppState>;
