import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  LoginRequiredError,
  MatomoApiError,
  MatomoOAuth2Error,
  OAuthResponseError,
  ProtocolError,
} from './errors';

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
              error_description: `${noise}${secret}${noise} and ${encodeURIComponent(secret)}`,
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
            }
          }
        },
      ),
    );
  });
});
