import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { base64, base64urlText } from './base64url';

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

describe('base64 test vectors (RFC 4648 §10), and bytes above 127', () => {
  test.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('%j', (text, encoded) => {
    expect(base64(new TextEncoder().encode(text))).toBe(encoded);
  });

  test('every byte value is one Latin-1 character for btoa: 0xfb 0xff is +/8= (base64url -_8)', () => {
    expect(base64(new Uint8Array([251, 255]))).toBe('+/8=');
    expect(base64(new Uint8Array([251, 255]), true)).toBe('-_8');
    expect(base64(new TextEncoder().encode('é:ü'))).toBe('w6k6w7w=');
  });
});

describe('base64urlText', () => {
  test('decodes what base64url encoded, any text (UTF-8), with or without padding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const encoded = base64(new TextEncoder().encode(text), true);
        expect(base64urlText(encoded)).toBe(text);
        expect(base64urlText(encoded.padEnd(Math.ceil(encoded.length / 4) * 4, '='))).toBe(text);
      }),
    );
  });

  test('the base64url alphabet: - and _ stand for + and /', () => {
    expect(base64urlText('-_8')).toBe(new TextDecoder().decode(new Uint8Array([251, 255])));
    expect(base64urlText('eyJzdWIiOiJhbGljZSJ9')).toBe('{"sub":"alice"}');
  });

  test('characters outside the alphabet are refused', () => {
    expect(() => base64urlText('ab$d')).toThrow();
  });
});
