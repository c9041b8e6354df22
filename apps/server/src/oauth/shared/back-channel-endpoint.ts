import type { Client } from '../../clients/client';
import { formOf, readForm } from '../../http/form-body';
import type { Params } from '../../http/params';
import type { AppContext, AppMiddleware } from '../../http/state';
import { authenticateClientMiddleware, type ClientAuthenticationDeps } from './authenticate-client';
import { checkTokenRequest } from './check-token-request';
import type { ClientState } from './client-state';
import { allowCors } from './cors';
import { noStore } from './no-store';
import { renderOAuthErrors } from './render-oauth-errors';

/** The work of a back-channel endpoint, once the request is checked and its client authenticated. */
export type BackChannelHandler = (
  ctx: AppContext<ClientState>,
  client: Client,
  form: Params,
) => Promise<void>;

export interface BackChannelOptions {
  /** Browser apps call it: answer CORS (token, revocation; not introspection). */
  cors: boolean;
  /** Public clients may call it (they send only their client_id). */
  allowPublic: boolean;
}

/**
 * The middleware chain of the token, revocation and introspection endpoints, which differ only
 * in their last step: OAuth errors as JSON, no caching, a form body checked for RFC 6749 §3.2,
 * then client authentication.
 */
export function backChannelEndpoint(
  deps: ClientAuthenticationDeps,
  options: BackChannelOptions,
  handler: BackChannelHandler,
): AppMiddleware<ClientState>[] {
  const handle: AppMiddleware<ClientState> = async function handleAuthenticatedRequest(ctx) {
    const { client } = ctx.state;
    if (!client) throw new Error('the client was not authenticated');
    await handler(ctx, client, formOf(ctx));
  };
  return [
    ...(options.cors ? [allowCors] : []),
    renderOAuthErrors,
    noStore,
    readForm,
    checkTokenRequest,
    authenticateClientMiddleware(deps, { allowPublic: options.allowPublic }),
    handle,
  ];
}
