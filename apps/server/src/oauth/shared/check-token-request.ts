import { invalidRequest } from '../../errors/oauth-error';
import { formOf, queryParams } from '../../http/form-body';
import type { AppMiddleware } from '../../http/state';

/** Parameters that belong in the body of a token, revocation or introspection request. */
const bodyOnly = [
  'grant_type',
  'code',
  'code_verifier',
  'refresh_token',
  'redirect_uri',
  'scope',
  'token',
  'client_secret',
];

/**
 * Form-encoded POST only, no OAuth parameter in the URL, none repeated (RFC 6749 §3.2). Only
 * this server's own parameter names are ever named back in a description.
 */
export const checkTokenRequest: AppMiddleware = async function checkTokenRequest(ctx, next) {
  const form = formOf(ctx);
  if (!ctx.state.hasForm) throw invalidRequest('The body must be application/x-www-form-urlencoded');
  const query = queryParams(ctx);
  const inQuery = bodyOnly.filter((name) => query.has(name));
  if (inQuery.length > 0)
    throw invalidRequest(`Send ${inQuery.join(', ')} in the request body, not in the URL`);
  if (form.names().some((name) => form.isRepeated(name))) {
    const known = bodyOnly.concat('client_id').filter((name) => form.isRepeated(name));
    throw invalidRequest(
      known.length > 0
        ? `Parameters may be sent only once: ${known.join(', ')}`
        : 'Parameters may be sent only once',
    );
  }
  await next();
};
