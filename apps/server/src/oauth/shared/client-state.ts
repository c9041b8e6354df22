import type { Client } from '../../clients/client';
import type { RequestState } from '../../http/state';

/** What the back-channel endpoints (token, revocation, introspection) leave on `ctx.state`. */
export interface ClientState extends RequestState {
  /** The authenticated client. */
  client?: Client;
}
