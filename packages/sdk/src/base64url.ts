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
