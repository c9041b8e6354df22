import { expect, test } from 'vitest';
import { randomToken } from './random-token';

test('randomToken gives base64url of the requested number of bytes', () => {
  expect(randomToken(12)).toMatch(/^[A-Za-z0-9_-]{16}$/);
});
