import type { AuditLog } from '../../audit/audit-log';
import { invalidScope, unauthorizedClient } from '../../errors/oauth-error';
import type { AccessTokenCodec } from '../../tokens/access-token';
import { type Grant, tokenResponse } from './grant';

/**
 * The client credentials grant (RFC 6749 §4.4), for confidential clients only. The token gets
 * exactly the client's scope (no `scope` means the client's), and acts with the client owner's
 * Matomo access, capped by that scope. No grant and no refresh token: the token carries the
 * client's credentials id as `gid`, so rotating the secret or pausing the client ends it.
 */
export function createClientCredentialsGrant({
  codec,
  audit,
}: {
  codec: AccessTokenCodec;
  audit: AuditLog;
}): Grant {
  return async function clientCredentialsGrant(client, form, origin) {
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
    const { token, claims } = await codec.sign({
      sub: client.clientId,
      clientId: client.clientId,
      scope: client.scope,
      owner: client.ownerLogin,
      grantId: client.credentialsId,
    });
    audit.record('token.issued', {
      actor: client.ownerLogin,
      clientId: client.clientId,
      ip: origin.ip,
      detail: { grant_type: 'client_credentials', scope: client.scope, jti: claims.jti },
    });
    return tokenResponse(token, codec.ttlSeconds, client.scope);
  };
}
