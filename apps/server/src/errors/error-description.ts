/**
 * RFC 6749 §5.2 (and RFC 6750 §3) allow `error_description` only the characters
 * %x20-21 / %x23-5B / %x5D-7E: printable ASCII without `"` and `\`. Anything else is dropped.
 */
export function toErrorDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
}
