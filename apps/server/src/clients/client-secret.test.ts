import { describe, expect, test } from 'vitest';
import { clientSecretMatches, digestClientSecret, generateClientSecret } from './client-secret';

describe('client secrets', () => {
  test('are 256 random bits, base64url', () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateClientSecret()).not.toBe(secret);
  });

  test('are stored as their SHA-256, hex', () => {
    expect(digestClientSecret('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  test.each([
    ['s3cret', true],
    ['s3creT', false],
    ['s3cret ', false],
    ['', false],
  ])('the digest of s3cret matches %j: %s', (sent, matches) => {
    expect(clientSecretMatches(sent, digestClientSecret('s3cret'))).toBe(matches);
  });

  test('a digest never matches itself as a secret', () => {
    const digest = digestClientSecret('s3cret');
    expect(clientSecretMatches(digest, digest)).toBe(false);
  });
});
