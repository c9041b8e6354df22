import { describe, expect, test } from 'vitest';
import { constantTimeEqual } from './constant-time';

describe('constantTimeEqual', () => {
  test.each([
    ['', '', true],
    ['secret', 'secret', true],
    ['pässwörd', 'pässwörd', true],
    ['secret', 'secreT', false],
    ['secret', 'secret ', false],
    ['secret', 'secre', false],
    ['', 'x', false],
    // The same length in characters, not in bytes; and the same bytes count, other characters.
    ['é', 'e', false],
    ['é', 'ab', false],
  ])('%j and %j: %s', (a, b, equal) => {
    expect(constantTimeEqual(a, b)).toBe(equal);
    expect(constantTimeEqual(b, a)).toBe(equal);
  });
});
