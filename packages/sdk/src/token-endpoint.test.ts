import { describe, expect, test } from 'vitest';
import { OAuthResponseError, ProtocolError } from './errors';
import {
  processRevocationResponse,
  processTokenResponse,
  revocationRequest,
  tokenRequest,
} from './token-endpoint';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('token requests', () => {
  test('are form POSTs with the grant and the client authentication', async () => {
    const request = tokenRequest(
      'https://auth.test/oauth2/token',
      { clientId: 'spa' },
      {
        grant_type: 'refresh_token',
        refresh_token: 'rt',
      },
    );
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(await request.text()).toBe('grant_type=refresh_token&refresh_token=rt&client_id=spa');
  });

  test('a revocation names the token and hints its type (RFC 7009)', async () => {
    const request = revocationRequest(
      'https://auth.test/oauth2/revoke',
      { clientId: 'c', clientSecret: 's' },
      'rt',
    );
    expect(await request.text()).toBe('token=rt&token_type_hint=refresh_token');
    expect(request.headers.get('authorization')).toBe(`Basic ${btoa('c:s')}`);
  });
});

describe('processTokenResponse', () => {
  test('accepts the plugin response without scope and normalizes token_type', async () => {
    const tokens = await processTokenResponse(
      json({ token_type: 'bearer', expires_in: 3600, access_token: 'at' }),
    );
    expect(tokens).toEqual({ token_type: 'Bearer', expires_in: 3600, access_token: 'at' });
  });

  test('turns {error} into OAuthResponseError with status and Retry-After', async () => {
    const error = await processTokenResponse(
      json({ error: 'temporarily_unavailable', error_description: 'slow down' }, 429, {
        'retry-after': '12',
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      status: 429,
      error: 'temporarily_unavailable',
      error_description: 'slow down',
      retryAfter: 12,
    });
  });

  test('cuts the secrets that were sent out of an echoed description', async () => {
    const error = (await processTokenResponse(
      json({ error: 'invalid_grant', error_description: 'code C0DE-123 with verifier V3RIF13R' }, 400),
      ['C0DE-123', 'V3RIF13R'],
    ).catch((e: unknown) => e)) as OAuthResponseError;
    expect(error.error_description).toBe('code [redacted] with verifier [redacted]');
    expect(JSON.stringify(error)).not.toMatch(/C0DE-123|V3RIF13R/);
  });

  test('rejects what is not a Bearer token response', async () => {
    for (const response of [
      json({ token_type: 'mac', expires_in: 1, access_token: 'x' }),
      json({ token_type: 'Bearer', access_token: 'x' }),
      json({ token_type: 'Bearer', expires_in: 1, access_token: '' }),
      new Response('<html>', { status: 200 }),
      new Response('<html>', { status: 502 }),
    ]) {
      const error = await processTokenResponse(response).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).code).toBe('ERR_INVALID_RESPONSE');
    }
  });
});

describe('processRevocationResponse', () => {
  test('any 2xx is success, even with an empty body', async () => {
    await expect(processRevocationResponse(new Response(null, { status: 200 }))).resolves.toBeUndefined();
  });

  test('an error is an OAuthResponseError', async () => {
    await expect(processRevocationResponse(json({ error: 'invalid_client' }, 401))).rejects.toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'invalid_client',
      status: 401,
    });
  });
});
