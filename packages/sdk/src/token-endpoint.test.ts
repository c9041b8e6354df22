import { describe, expect, test } from 'vitest';
import { OAuthResponseError, ProtocolError } from './errors';
import {
  processRevocationResponse,
  processTokenResponse,
  revocationRequest,
  tokenParamPairs,
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

describe('token response rules', () => {
  const valid = { token_type: 'Bearer', expires_in: 60, access_token: 'at' };

  test.each([
    ['a token type other than Bearer', { ...valid, token_type: 'DPoP' }],
    ['a token type that only ends in bearer', { ...valid, token_type: 'notbearer' }],
    ['a token type that only starts with bearer', { ...valid, token_type: 'bearer-ish' }],
    ['no token type', { ...valid, token_type: undefined }],
    ['an access token that is a number', { ...valid, access_token: 12345 }],
    ['an access token that is true', { ...valid, access_token: true }],
    ['an empty access token', { ...valid, access_token: '' }],
    ['expires_in as a string', { ...valid, expires_in: '60' }],
    ['an array', [valid]],
    ['null', null],
  ])('a 200 with %s is ERR_INVALID_RESPONSE, with the status', async (_, body) => {
    const error = await processTokenResponse(json(body)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      status: 200,
      message: expect.stringMatching(/\S/),
    });
    expect((error as ProtocolError).response).toBeInstanceOf(Response);
  });

  test.each(['Bearer', 'bearer', 'BEARER'])('token_type %s is accepted and normalized', async (type) => {
    await expect(processTokenResponse(json({ ...valid, token_type: type }))).resolves.toMatchObject({
      token_type: 'Bearer',
    });
  });

  test.each([
    ['an error that is not a string', { error: 42 }, 400],
    ['no error field', { message: 'bad' }, 400],
    ['an array', [{ error: 'invalid_grant' }], 400],
    ['HTML', '<h1>Bad gateway</h1>', 502],
  ])(
    'a failure with %s is ERR_INVALID_RESPONSE with the status, not an OAuth error',
    async (_, body, status) => {
      const response = typeof body === 'string' ? new Response(body, { status }) : json(body, status);
      const error = await processTokenResponse(response).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status });
      expect((error as ProtocolError).message).toContain(String(status));
      expect((error as ProtocolError).response).toBe(response);
    },
  );

  test('an error_description that is not a string is dropped', async () => {
    const error = await processTokenResponse(
      json({ error: 'invalid_grant', error_description: { html: '<b>x</b>' } }, 400),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(Object.hasOwn(error as object, 'error_description')).toBe(false);
    expect((error as OAuthResponseError).message).toBe('The server answered invalid_grant');
  });

  test('a revocation error cuts the revoked token out of an echoed description', async () => {
    await expect(
      processRevocationResponse(
        json({ error: 'invalid_request', error_description: 'token rt-secret' }, 400),
        ['rt-secret'],
      ),
    ).rejects.toMatchObject({ error_description: 'token [redacted]' });
  });

  test('without Retry-After there is no retryAfter', async () => {
    const error = await processTokenResponse(json({ error: 'invalid_grant' }, 400)).catch((e: unknown) => e);
    expect(Object.hasOwn(error as object, 'retryAfter')).toBe(false);
  });
});

// Regression: RFC 6749 §5.1 only recommends expires_in; a response without it was refused with
// "No Bearer token in the response", which it has.
describe('a token response without expires_in', () => {
  test('is accepted as it is: the lifetime is unknown', async () => {
    const tokens = await processTokenResponse(
      json({ token_type: 'Bearer', access_token: 'at', refresh_token: 'rt' }),
    );
    expect(tokens).toStrictEqual({ token_type: 'Bearer', access_token: 'at', refresh_token: 'rt' });
  });

  test.each([
    ['no access token', { token_type: 'Bearer' }, 'No Bearer token in the response'],
    ['no token type', { access_token: 'at' }, 'No Bearer token in the response'],
    [
      'expires_in as a string',
      { token_type: 'Bearer', access_token: 'at', expires_in: '60' },
      'expires_in is not a number',
    ],
    [
      'expires_in null',
      { token_type: 'Bearer', access_token: 'at', expires_in: null },
      'expires_in is not a number',
    ],
    ['no token and a bad expires_in', { expires_in: '60' }, 'No Bearer token in the response'],
  ])('the message says what is wrong: %s', async (_, body, message) => {
    const error = await processTokenResponse(json(body)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 200, message });
  });
});

describe('extra token parameters (tokenParams: RFC 8707 resource, audience)', () => {
  test('tokenRequest takes name/value pairs, so a name can repeat', async () => {
    const request = tokenRequest('https://auth.test/oauth2/token', { clientId: 'c', clientSecret: 's' }, [
      ['grant_type', 'client_credentials'],
      ['resource', 'https://a.example'],
      ['resource', 'https://b.example'],
    ]);
    expect(await request.text()).toBe(
      'grant_type=client_credentials&resource=https%3A%2F%2Fa.example&resource=https%3A%2F%2Fb.example',
    );
  });

  test('tokenParamPairs sends an array once per value, in order', () => {
    expect(tokenParamPairs({ resource: ['https://a.example', 'https://b.example'], audience: 'x' })).toEqual([
      ['resource', 'https://a.example'],
      ['resource', 'https://b.example'],
      ['audience', 'x'],
    ]);
    expect(tokenParamPairs({ resource: [] })).toEqual([]);
    expect(tokenParamPairs()).toEqual([]);
  });

  test.each([
    'grant_type',
    'code',
    'code_verifier',
    'client_id',
    'client_secret',
    'redirect_uri',
    'refresh_token',
    'scope',
  ])('%s is the SDK’s own: ERR_CONFIGURATION, naming it', (name) => {
    const error = (() => {
      try {
        tokenParamPairs({ audience: 'x', [name]: 'value-not-shown' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', message: expect.stringContaining(name) });
    expect((error as Error).message).not.toContain('value-not-shown');
  });

  test.each(['Scope', 'scopes', 'xcode', 'code_challenge', 'client', 'grant_type_x', 'refresh'])(
    '%s is not one of them',
    (name) => {
      expect(tokenParamPairs({ [name]: 'v' })).toEqual([[name, 'v']]);
    },
  );
});

// Regression: league/oauth2-server (the Matomo plugin's server) puts its most useful text in `hint`,
// which was dropped.
describe("league's hint", () => {
  test('is kept on the error and in its message, secrets cut out', async () => {
    const error = await processTokenResponse(
      json(
        {
          error: 'invalid_grant',
          error_description: 'The refresh token is invalid.',
          hint: 'Token rt-secret has been revoked',
        },
        400,
      ),
      ['rt-secret'],
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({
      error: 'invalid_grant',
      hint: 'Token [redacted] has been revoked',
      message:
        'The server answered invalid_grant: The refresh token is invalid. (Token [redacted] has been revoked)',
    });
  });

  test('without a description the hint is the text; a hint that is no string is left out', async () => {
    await expect(
      processRevocationResponse(
        json({ error: 'invalid_scope', hint: 'Check the `matomo:bogus` scope' }, 400),
      ),
    ).rejects.toMatchObject({
      hint: 'Check the `matomo:bogus` scope',
      message: 'The server answered invalid_scope (Check the `matomo:bogus` scope)',
    });
    const error = await processTokenResponse(json({ error: 'invalid_grant', hint: 42 }, 400)).catch(
      (e: unknown) => e,
    );
    expect(Object.hasOwn(error as object, 'hint')).toBe(false);
    expect((error as Error).message).toBe('The server answered invalid_grant');
  });
});
