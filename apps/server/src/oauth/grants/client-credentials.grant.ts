import type { Client } from '../../clients/client';
import { invalidScope, unauthorizedClient } from '../../errors/oauth-error';
import type { Params } from '../../http/params';
import type { Services } from '../../services';
import type { Origin, TokenResponse } from '../../tokens/token-service';

/**
 * The client credentials grant (RFC 6749 §4.4), for confidential clients only. The token gets
 * exactly the client's scope (no `scope` means the client's), and acts with the client owner's
 * Matomo access, capped by that scope.
 */
export function clientCredentialsGrant(
  services: Services,
  client: Client,
  form: Params,
  origin: Origin,
): Promise<TokenResponse> {
  if (client.type !== 'confidential')
    throw unauthorizedClient('Only confidential clients may use client_credentials');
  const scope = form.get('scope');
  if (scope !== undefined && scope !== client.scope) {
    throw invalidScope(
      scope.includes(' ')
        ? 'Only one scope may be requested'
        : `client_credentials tokens carry exactly the client's scope (${client.scope})`,
    );
  }
  return services.tokens.clientCredentials(client, client.scope, origin);
}
