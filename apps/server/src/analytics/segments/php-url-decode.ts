const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * PHP's `urldecode`, which Matomo applies to segments: `+` is a space, `%XX` a byte, and a `%`
 * that starts no valid escape stays as it is (where `decodeURIComponent` would throw). Bytes that
 * do not form UTF-8 become U+FFFD.
 */
export function phpUrlDecode(text: string): string {
  if (!/[%+]/.test(text)) return text;
  const bytes: number[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === '+') {
      bytes.push(0x20);
      index += 1;
    } else if (char === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(text.slice(index + 1, index + 3), 16));
      index += 3;
    } else {
      const codePoint = text.codePointAt(index) as number;
      const width = codePoint > 0xffff ? 2 : 1;
      bytes.push(...encoder.encode(text.slice(index, index + width)));
      index += width;
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}
