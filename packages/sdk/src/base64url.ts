/**
 * Encodes bytes as base64 (RFC 4648 §4), or as base64url without padding (§5) when `url` is true.
 * `btoa` takes a string of Latin-1 characters: one per byte, which is what `fromCharCode` builds; it
 * exists in browsers, Node and edge runtimes (`Buffer` is Node-only).
 *
 * @example
 * ```ts
 * base64(new TextEncoder().encode('a:b')); // 'YTpi'
 * base64(new Uint8Array([251, 255]), true); // '-_8'
 * ```
 */
export function base64(bytes: Uint8Array, url = false): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const out = btoa(binary);
  // '=' only ever pads the end: the URL form is what comes before it.
  return url ? (out.replace(/\+/g, '-').replace(/\//g, '_').split('=')[0] as string) : out;
}

/**
 * Decodes base64url (RFC 4648 §5, padding optional) to UTF-8 text, e.g. a JWT's payload. `atob` takes
 * base64 with its forgiving rules (padding may be left out) and gives one Latin-1 character per byte.
 * Throws on characters outside the alphabet.
 *
 * @example
 * ```ts
 * base64urlText('eyJzdWIiOiJhbGljZSJ9'); // '{"sub":"alice"}'
 * ```
 */
export function base64urlText(encoded: string): string {
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
