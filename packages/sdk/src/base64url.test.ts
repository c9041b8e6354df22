import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { base64 } from './base64url';

describe('base64', () => {
  const reference = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

  test('matches btoa for any bytes, and base64url only swaps the alphabet and drops padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(base64(bytes)).toBe(reference(bytes));
        expect(base64(bytes, true)).toBe(
          reference(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
        );
      }),
    );
  });
});
