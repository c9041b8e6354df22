import { base64 } from './base64url';
import { formEncode } from './form';

/**
 * How a client authenticates at the token and revocation endpoints. Without `method`: HTTP Basic
 * (`client_secret_basic`) when there is a secret, otherwise `none` (a public client sends only
 * `client_id`). The two confidential methods are never combined.
 *
 * @example
 * ```ts
 * const backend: ClientAuth = { clientId: 'reports', clientSecret: process.env.SECRET };
 * const spa: ClientAuth = { clientId: 'dashboard' };
 * ```
 */
export interface ClientAuth {
  clientId: string;
  clientSecret?: string;
  method?: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** Adds the client's credentials to a token or revocation request, as header or body fields. */
export function authenticateClient(auth: ClientAuth, headers: Headers, body: URLSearchParams): void {
  // Stryker disable next-line StringLiteral: any method name but the two confidential ones sends only client_id
  const method = auth.method ?? (auth.clientSecret === undefined ? 'none' : 'client_secret_basic');
  if (method === 'client_secret_basic') {
    // RFC 6749 §2.3.1: each part form-urlencoded before they are joined and base64-encoded.
    const pair = `${formEncode(auth.clientId)}:${formEncode(auth.clientSecret ?? '')}`;
    headers.set('authorization', `Basic ${base64(new TextEncoder().encode(pair))}`);
  } else {
    body.set('client_id', auth.clientId);
    if (method === 'client_secret_post') body.set('client_secret', auth.clientSecret ?? '');
  }
}
