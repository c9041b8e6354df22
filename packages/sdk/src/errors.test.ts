import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  LoginRequiredError,
  MatomoApiError,
  MatomoOAuth2Error,
  OAuthResponseError,
  ProtocolError,
} from './errors';
import { formEncode } from './form';

const everyText = (error: MatomoOAuth2Error) => [
  error.message,
  String(error),
  error.toString(),
  JSON.stringify(error),
  // the stack's header (its frames are file and function names, not data)
  (error.stack ?? '').split('\n    at ')[0] ?? '',
  error.error_description ?? '',
];

describe('errors', () => {
  test('carry a stable code, the status, the OAuth fields and the cause', () => {
    const cause = new TypeError('fetch failed');
    const error = new OAuthResponseError('ERR_OAUTH_RESPONSE', {
      status: 429,
      error: 'temporarily_unavailable',
      error_description: 'Too many failed client authentications',
      retryAfter: 30,
      cause,
    });
    expect(error).toBeInstanceOf(MatomoOAuth2Error);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OAuthResponseError');
    expect(error.code).toBe('ERR_OAUTH_RESPONSE');
    expect(error.status).toBe(429);
    expect(error.error).toBe('temporarily_unavailable');
    expect(error.retryAfter).toBe(30);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'The server answered temporarily_unavailable: Too many failed client authentications',
    );
  });

  test('keep the raw Response out of enumeration and JSON', () => {
    const response = new Response('{"result":"error","message":"nope"}', { status: 400 });
    const error = new MatomoApiError('ERR_MATOMO_API', 'nope', { status: 400, response });
    expect(error.response).toBe(response);
    expect(Object.keys(error)).not.toContain('response');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'MatomoApiError',
      code: 'ERR_MATOMO_API',
      status: 400,
      message: 'nope',
    });
  });

  test('JSON has the scope of an insufficient_scope error and leaves the cause out', () => {
    const error = new MatomoApiError('ERR_INSUFFICIENT_SCOPE', 'needs write', {
      status: 403,
      error: 'insufficient_scope',
      scope: 'matomo:write',
      cause: new Error('inner'),
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'MatomoApiError',
      code: 'ERR_INSUFFICIENT_SCOPE',
      status: 403,
      error: 'insufficient_scope',
      scope: 'matomo:write',
      message: 'needs write',
    });
  });

  test('never show a secret the server echoed, in any text or encoding', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 60, unit: 'grapheme' }),
        fc.string({ maxLength: 20 }),
        (secret, noise) => {
          const errors = [
            new OAuthResponseError('ERR_OAUTH_RESPONSE', {
              error: 'invalid_grant',
              error_description: `${noise}${secret}${noise} and ${encodeURIComponent(secret)} or ${formEncode(secret)}`,
              secrets: [secret],
            }),
            new MatomoApiError('ERR_MATOMO_API', `Bad token ${secret}`, {
              status: 200,
              secrets: [undefined, secret],
            }),
            new LoginRequiredError(`The session with ${secret} ended`, { secrets: [secret] }),
            new ProtocolError('ERR_INVALID_RESPONSE', `${secret}`, { secrets: [secret] }),
          ];
          for (const error of errors) {
            for (const text of everyText(error)) {
              expect(text).not.toContain(secret);
              expect(text).not.toContain(encodeURIComponent(secret));
              expect(text).not.toContain(formEncode(secret));
            }
          }
        },
      ),
    );
  });
});

describe('redaction', () => {
  // Regression: a secret sent in a form body (client_secret_post) and echoed by the server kept its
  // form encoding (`a+b%21`), which is neither the secret nor encodeURIComponent's `a%20b!`.
  test('a secret echoed in form encoding is cut out', () => {
    const secret = "wrong secret (it's) ~fine!";
    const error = new OAuthResponseError('ERR_OAUTH_RESPONSE', {
      error: 'invalid_client',
      error_description: `You sent client_secret=${formEncode(secret)}&x=1`,
      secrets: [secret],
    });
    expect(error.error_description).toBe('You sent client_secret=[redacted]&x=1');
  });

  test.each([
    ['as sent', (s: string) => s],
    ['URL-encoded', encodeURIComponent],
    ['form-encoded', formEncode],
  ])('each occurrence of a secret %s becomes [redacted]', (_, encode) => {
    const secret = 'rt: 1/2';
    const error = new ProtocolError('ERR_INVALID_RESPONSE', `a ${encode(secret)} b ${encode(secret)} c`, {
      secrets: [secret],
    });
    expect(error.message).toBe('a [redacted] b [redacted] c');
  });

  test('missing, empty and two-character secrets leave the text alone (no garbling between letters)', () => {
    const text = 'undefined is ab, not abc';
    const error = new ProtocolError('ERR_INVALID_RESPONSE', text, { secrets: [undefined, '', 'ab'] });
    expect(error.message).toBe(text);
    const three = new ProtocolError('ERR_INVALID_RESPONSE', text, { secrets: ['abc'] });
    expect(three.message).toBe('undefined is ab, not [redacted]');
  });

  test('every string field is redacted, other fields are kept as they are', () => {
    const error = new MatomoApiError('ERR_INSUFFICIENT_SCOPE', 'm tok-123', {
      status: 403,
      error: 'e tok-123',
      error_description: 'd tok-123',
      scope: 's tok-123',
      secrets: ['tok-123'],
    });
    expect(error).toMatchObject({
      message: 'm [redacted]',
      error: 'e [redacted]',
      error_description: 'd [redacted]',
      scope: 's [redacted]',
      status: 403,
    });
  });
});

describe('error shape', () => {
  test.each([
    [new ProtocolError('ERR_STATE_MISMATCH', 'x'), 'ProtocolError'],
    [new LoginRequiredError('x'), 'LoginRequiredError'],
    [new OAuthResponseError('ERR_OAUTH_RESPONSE', { error: 'x' }), 'OAuthResponseError'],
    [new MatomoApiError('ERR_MATOMO_API', 'x'), 'MatomoApiError'],
    [new MatomoOAuth2Error('ERR_CONFIGURATION', 'x'), 'MatomoOAuth2Error'],
  ])('%s is named %s in String(error) and JSON', (error, name) => {
    expect(error.name).toBe(name);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
    expect(error.toJSON()).toMatchObject({ name });
  });

  test('an ID token error names the claim, in JSON too', () => {
    const error = new ProtocolError('ERR_INVALID_ID_TOKEN', 'Unexpected nonce in the ID token', {
      claim: 'nonce',
    });
    expect(error.claim).toBe('nonce');
    expect(error.toJSON()).toEqual({
      name: 'ProtocolError',
      code: 'ERR_INVALID_ID_TOKEN',
      claim: 'nonce',
      message: 'Unexpected nonce in the ID token',
    });
  });

  test('fields given as undefined are not set (no empty keys in logs)', () => {
    const error = new ProtocolError('ERR_INVALID_RESPONSE', 'x', { status: undefined, error: undefined });
    expect(Object.keys(error)).toEqual(['name', 'code']);
  });

  test('the message people see: the OAuth error, and its description when there is one', () => {
    expect(new OAuthResponseError('ERR_OAUTH_RESPONSE', { error: 'invalid_grant' }).message).toBe(
      'The server answered invalid_grant',
    );
    expect(
      new OAuthResponseError('ERR_AUTHORIZATION_RESPONSE', {
        error: 'access_denied',
        error_description: 'The user said no',
      }).message,
    ).toBe('The server answered access_denied: The user said no');
  });
});
