/**
 * Whether a redirect URI sent in an authorization request matches a registered one: exact string
 * comparison, except that for loopback IP literals (`http://127.0.0.1`, `http://[::1]`) any port
 * is accepted, as native apps listen on an ephemeral port (RFC 8252 §7.3). `localhost` gets no
 * such exception (RFC 8252 §8.3).
 */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const loopback = loopbackWithoutPort(registered);
  return loopback !== undefined && loopback === loopbackWithoutPort(requested);
}

/** Finds the registered URI a request may use; undefined when none matches. */
export function findRedirectUri(registered: readonly string[], requested: string): string | undefined {
  return registered.find((uri) => redirectUriMatches(uri, requested));
}

/** A loopback IP literal URI's host and path, its port (1 to 65535) left out; undefined for any other URI. */
function loopbackWithoutPort(uri: string): string | undefined {
  // Parsed by hand so that the comparison stays on the exact characters sent, apart from the port.
  const match = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(\/[^#]*)?$/.exec(uri);
  if (!match) return undefined;
  const [, host, port, path] = match;
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return undefined;
  return `${host}${path ?? '/'}`;
}

export type RedirectUriProblem = string;

/**
 * Checks a redirect URI for registration (RFC 9700 §2.1, §4.1): absolute, no fragment, no
 * wildcard, no whitespace; https, or http on loopback (127.0.0.1, [::1], localhost), or a
 * private-use scheme of a native app (`com.example.app:/callback`). Returns the problem, if any.
 */
export function redirectUriProblem(uri: string): RedirectUriProblem | undefined {
  if (uri.length === 0 || uri.length > 2000) return 'must be 1 to 2000 characters';
  if (/\s/.test(uri)) return 'must not contain whitespace';
  if (uri.includes('*')) return 'must not contain wildcards';
  // split() always gives at least one part.
  const beforeQuery = uri.split('?')[0] as string;
  if (beforeQuery.split('://').length > 2 || beforeQuery.includes(',')) return 'must be a single URI';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  if (url.hash || uri.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain credentials';
  // A DNS name or an IP literal only (the origin also goes into the consent page's CSP). The URL
  // parser has checked IP literals already; an IPv6 one is the whole hostname, in brackets.
  if (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    !(/^([a-z0-9-]+\.)*[a-z0-9-]+$/.test(url.hostname) || url.hostname.startsWith('['))
  ) {
    return 'must name a host by DNS name or IP address';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    const host = url.hostname;
    return host === '127.0.0.1' || host === '[::1]' || host === 'localhost'
      ? undefined
      : 'must use https (http only on loopback)';
  }
  if (
    ['javascript:', 'data:', 'file:', 'vbscript:', 'about:', 'blob:', 'ftp:', 'ws:', 'wss:'].includes(
      url.protocol,
    )
  )
    return 'uses a forbidden scheme';
  // Private-use schemes must be reverse domain names (RFC 8252 §7.1).
  const scheme = url.protocol.slice(0, -1);
  if (!/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(scheme)) {
    return 'must use https, http on loopback, or a reverse-domain private-use scheme';
  }
  return undefined;
}
