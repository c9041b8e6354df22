import { describe, expect, test } from 'vitest';
import { OAuthResponseError, ProtocolError } from './errors';
import { processUserInfoResponse, userInfoRequest } from './user-info';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

test('userInfoRequest is a GET with the access token as a Bearer header, nothing in the URL', async () => {
  const request = userInfoRequest('https://auth.test/oauth2/userinfo', 'at-1');
  expect(request.method).toBe('GET');
  expect(request.url).toBe('https://auth.test/oauth2/userinfo');
  expect(request.headers.get('authorization')).toBe('Bearer at-1');
  expect(await request.text()).toBe('');
});

describe('processUserInfoResponse', () => {
  test('gives the claims', async () => {
    const claims = {
      sub: 'demo',
      preferred_username: 'demo',
      email: 'demo@example.org',
      email_verified: false,
    };
    await expect(processUserInfoResponse(json(claims))).resolves.toEqual(claims);
  });

  test.each([
    [
      401,
      'Bearer realm="matomo", error="invalid_token", error_description="The access token has expired"',
      'invalid_token',
      'The access token has expired',
    ],
    [403, 'Bearer error="insufficient_scope", scope="openid"', 'insufficient_scope', undefined],
  ])(
    '%i with an RFC 6750 challenge is an OAuthResponseError with its error',
    async (status, header, error, description) => {
      const response = new Response(null, { status, headers: { 'www-authenticate': header } });
      const thrown = await errorOf(processUserInfoResponse(response));
      expect(thrown).toBeInstanceOf(OAuthResponseError);
      expect(thrown).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', status, error });
      expect((thrown as OAuthResponseError).error_description).toBe(description);
      expect((thrown as OAuthResponseError).response).toBe(response);
    },
  );

  test('the access token is cut out of what the server echoes', async () => {
    const header = 'Bearer error="invalid_token", error_description="Unknown token at-secret-1"';
    const thrown = (await errorOf(
      processUserInfoResponse(new Response(null, { status: 401, headers: { 'www-authenticate': header } }), [
        'at-secret-1',
      ]),
    )) as OAuthResponseError;
    expect(thrown.error_description).toBe('Unknown token [redacted]');
  });

  test.each([
    [
      'a 401 without an error in its challenge',
      new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="x"' } }),
      401,
    ],
    ['a 500 with claims in its body', json({ sub: 'demo' }, 500), 500],
    ['a 404 page', new Response('<h1>Not found</h1>', { status: 404 }), 404],
    ['a 200 that is not JSON', new Response('<h1>Sign in</h1>'), 200],
    ['a 200 without sub', json({ name: 'demo' }), 200],
    ['a 200 whose sub is a number', json({ sub: 42 }), 200],
    ['a 200 with an array', json([{ sub: 'demo' }]), 200],
    [
      'a Basic challenge',
      new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic error="invalid_token"' } }),
      401,
    ],
  ])('%s is ERR_INVALID_RESPONSE with the status', async (_, response, status) => {
    const thrown = await errorOf(processUserInfoResponse(response));
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect(thrown).toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      status,
      message: `No UserInfo (HTTP ${status})`,
    });
    expect((thrown as ProtocolError).response).toBe(response);
  });
});
