import type { Client } from '../../clients/client';
import { invalidGrant, invalidRequest, invalidScope } from '../../errors/oauth-error';
import type { Params } from '../../http/params';
import type { Services } from '../../services';
import type { Origin, TokenResponse } from '../../tokens/token-service';
import { isScope } from '../scopes';

/** The refresh token grant (RFC 6749 §6), with rotation and reuse detection. */
export function refreshTokenGrant(
  services: Services,
  client: Client,
  form: Params,
  origin: Origin,
): Promise<TokenResponse> {
  const token = form.get('refresh_token');
  if (token === undefined) throw invalidRequest('refresh_token is missing');
  if (token.length > 512) throw invalidGrant('The refresh token is invalid');
  const scope = form.get('scope');
  if (scope !== undefined && !isScope(scope)) {
    throw invalidScope(
      scope.includes(' ') ? 'Only one scope may be requested' : `Unknown scope: ${scope.slice(0, 40)}`,
    );
  }
  return services.tokens.refresh(client, token, scope, origin);
}
