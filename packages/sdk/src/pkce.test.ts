import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ProtocolError } from './errors';
import { computeCodeChallenge, generateCodeVerifier } from './pkce';

describe('PKCE', () => {
  test('RFC 7636 Appendix B: the S256 challenge of the example verifier', async () => {
    await expect(computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  test('verifiers are 43 unreserved characters carrying 256 bits, and differ every time', () => {
    const verifiers = new Set(Array.from({ length: 200 }, generateCodeVerifier));
    expect(verifiers.size).toBe(200);
    for (const verifier of verifiers) {
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
      // 43 base64url characters without padding are exactly 32 bytes = 256 bits
      expect(atob(verifier.replace(/-/g, '+').replace(/_/g, '/'))).toHaveLength(32);
    }
  });

  test('rejects verifiers outside RFC 7636 §4.1 without echoing them', async () => {
    for (const bad of ['short', 'x'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(43)} `]) {
      const error = await computeCodeChallenge(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', message: expect.stringMatching(/\S/) });
      expect(String(error)).not.toContain(bad);
    }
  });

  test('accepts verifiers of 43 to 128 unreserved characters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...'abcXYZ019-._~'), minLength: 43, maxLength: 128 }),
        async (verifier) => {
          expect(await computeCodeChallenge(verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);
        },
      ),
      { numRuns: 50 },
    );
  });
});
