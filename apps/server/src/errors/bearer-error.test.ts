import { validateHeaderValue } from 'node:http';
import { describe, expect, test } from 'vitest';
import { BearerError } from './bearer-error';

describe('the WWW-Authenticate challenge', () => {
  test('is a valid header whatever the message holds (regression: a typographic apostrophe made a 500)', () => {
    const error = new BearerError(401, 'The token’s "user" \\ is gone — é\r\n', 'invalid_token');
    const challenge = error.challenge('matomo');
    expect(() => validateHeaderValue('WWW-Authenticate', challenge)).not.toThrow();
    expect(challenge).toBe(
      'Bearer realm="matomo", error="invalid_token", error_description="The tokens user  is gone  "',
    );
  });

  test('carries the scope of insufficient_scope, and no error code without a token', () => {
    expect(new BearerError(403, 'x', 'insufficient_scope', 'matomo:write').challenge('m')).toBe(
      'Bearer realm="m", error="insufficient_scope", error_description="x", scope="matomo:write"',
    );
    expect(new BearerError(401, 'x').challenge('m')).toBe('Bearer realm="m"');
  });
});
