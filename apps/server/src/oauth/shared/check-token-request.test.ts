import { describe, expect, test } from 'vitest';
import { createTestContext } from '../../../test/support/koa-context';
import { OAuthError } from '../../errors/oauth-error';
import { Params } from '../../http/params';
import { checkTokenRequest } from './check-token-request';

/** Runs the check on a POST with this form body and query; the description it refuses with, or 'passed'. */
async function check(body: string | undefined, query = ''): Promise<string> {
  const ctx = createTestContext({
    method: 'POST',
    url: `/oauth2/token${query === '' ? '' : `?${query}`}`,
    state: { form: body === undefined ? new Params() : Params.parse(body), hasForm: body !== undefined },
  });
  let passed = false;
  try {
    await checkTokenRequest(ctx, async () => {
      passed = true;
    });
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    expect({ error: error.error, status: error.status }).toEqual({ error: 'invalid_request', status: 400 });
    return error.message;
  }
  expect(passed).toBe(true);
  return 'passed';
}

const good = 'grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fa.example%2Fcb&client_id=app';

describe('checkTokenRequest (RFC 6749 §3.2)', () => {
  test('a form body with each parameter once passes', async () => {
    expect(await check(good)).toBe('passed');
    // Names the server does not read may come in the URL.
    expect(await check(good, 'utm_source=x')).toBe('passed');
  });

  test('a body that is not a form is refused', async () => {
    expect(await check(undefined)).toBe('The body must be application/x-www-form-urlencoded');
  });

  test.each([
    'grant_type',
    'code',
    'code_verifier',
    'refresh_token',
    'redirect_uri',
    'scope',
    'token',
    'client_secret',
  ])('%s in the URL is refused, and named', async (name) => {
    expect(await check(good, `${name}=x`)).toBe(`Send ${name} in the request body, not in the URL`);
  });

  test('every parameter in the URL is named', async () => {
    expect(await check(good, 'code=x&foo=1&scope=y')).toBe(
      'Send code, scope in the request body, not in the URL',
    );
  });

  test.each([
    ['grant_type=a&grant_type=b', 'Parameters may be sent only once: grant_type'],
    [`${good}&code=other`, 'Parameters may be sent only once: code'],
    [`${good}&client_id=other`, 'Parameters may be sent only once: client_id'],
    [
      `${good}&code=x&client_id=x&token=a&token=b`,
      'Parameters may be sent only once: code, token, client_id',
    ],
    // An empty repeat is still a repeat.
    [`${good}&code=`, 'Parameters may be sent only once: code'],
    // A name the server does not know is not echoed back.
    [`${good}&<script>=1&<script>=2`, 'Parameters may be sent only once'],
  ])('%s is refused', async (body, description) => {
    expect(await check(body)).toBe(description);
  });
});
