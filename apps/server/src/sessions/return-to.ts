/**
 * Where the sign-in page may send the browser next: only this server's own pages that need a
 * signed-in user (the authorization endpoint in both route forms, the connected applications, the
 * admin pages). Anything else, including absolute URLs and `//host` tricks, is dropped: no open
 * redirector (RFC 9700 §4.11).
 */
export function safeReturnTo(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 4096) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) return undefined;
  if (value.includes('\\') || [...value].some((char) => char.charCodeAt(0) < 0x20)) return undefined;
  // A path that starts with one slash, without backslashes, tabs or newlines, parses against the
  // base and stays on its origin: the two checks below are defence in depth, never reached.
  // Stryker disable next-line ConditionalExpression: defence in depth, never reached (see above)
  if (!URL.canParse(value, 'http://server.invalid')) return undefined;
  const url = new URL(value, 'http://server.invalid');
  // Stryker disable next-line ConditionalExpression: defence in depth, never reached (see above)
  if (url.origin !== 'http://server.invalid') return undefined;
  const { pathname, searchParams } = url;
  const allowed =
    pathname === '/oauth2/authorize' ||
    pathname === '/account' ||
    pathname === '/admin' ||
    pathname.startsWith('/admin/') ||
    (pathname === '/index.php' &&
      searchParams.get('module') === 'OAuth2' &&
      searchParams.get('action') === 'authorize');
  return allowed ? url.pathname + url.search : undefined;
}
