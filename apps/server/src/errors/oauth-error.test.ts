import { describe, expect, test } from 'vitest';
import { AuthorizationRedirectError, OAuthError } from './oauth-error';

describe('OAuthError', () => {
  test('drops from error_description every character RFC 6749 §5.2 does not allow', () => {
    const error = new OAuthError('invalid_request', 'The client’s "scope" \\ is é\r\n\t wrong~');
    expect(error.toJSON()).toEqual({
      error: 'invalid_request',
      error_description: 'The clients scope  is  wrong~',
    });
    expect(
      new AuthorizationRedirectError('invalid_scope', 'a "b"', 'https://a.example/cb', undefined).message,
    ).toBe('a b');
  });

  test('is an HttpError with a stable code, shown to the client below 500 only', () => {
    const error = new OAuthError('invalid_client', 'x', 401, { 'WWW-Authenticate': 'Basic' });
    expect([error.code, error.status, error.expose, error.headers]).toEqual([
      'invalid_client',
      401,
      true,
      { 'WWW-Authenticate': 'Basic' },
    ]);
    expect(new OAuthError('server_error', 'x', 500).expose).toBe(false);
  });
});
