import type { AuditLog } from '../../audit/audit-log';
import { createClientLookup } from '../../clients/client-lookup';
import type { Db } from '../../db/database';
import { OAuthError, tooManyRequests } from '../../errors/oauth-error';
import { formOf, queryParams } from '../../http/form-body';
import type { AppMiddleware } from '../../http/state';
import { addressKey, type RateLimiter } from '../../rate-limit/rate-limiter';
import { authenticateClient } from './client-authentication';
import type { ClientState } from './client-state';

export interface ClientAuthenticationDeps {
  db: Db;
  audit: AuditLog;
  /** Counts failed client authentications per source address. */
  limiter: RateLimiter;
}

/**
 * Authenticates the client of a token, revocation or introspection request into
 * `ctx.state.client`, counting failures per source address (RFC 6749 §10.10, 2.1 §2.4.1).
 */
export function authenticateClientMiddleware(
  { db, audit, limiter }: ClientAuthenticationDeps,
  options: { allowPublic: boolean },
): AppMiddleware<ClientState> {
  const authentication = { ...options, findClient: createClientLookup(db) };
  return async function authenticateClientRequest(ctx, next) {
    const address = addressKey(ctx.ip);
    // Counted before the lookup, so that concurrent guesses cannot all pass the check.
    const wait = await limiter.attempt(address);
    if (wait > 0) throw tooManyRequests(wait);
    try {
      const { client } = await authenticateClient(
        { authorization: ctx.get('Authorization') || undefined, form: formOf(ctx), query: queryParams(ctx) },
        db,
        authentication,
      );
      ctx.state.client = client;
      await limiter.succeed(address);
    } catch (error) {
      if (!(error instanceof OAuthError && error.error === 'invalid_client')) await limiter.succeed(address);
      else {
        await limiter.fail(address);
        audit.record('client.authentication_failed', { ip: ctx.ip, detail: { reason: error.message } });
      }
      throw error;
    }
    await next();
  };
}
