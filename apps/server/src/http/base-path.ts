import type { AppContext, AppMiddleware } from './state';

/** Where RFC 8414 §3.1 puts the metadata: the well-known segment, then the issuer's path. */
const metadataPath = '/.well-known/oauth-authorization-server';

/**
 * The path of the issuer's URL, without a trailing slash: `/auth` for `https://example.org/auth`,
 * `''` when the server sits at its host's root.
 */
export function basePathOf(issuer: string): string {
  return new URL(issuer).pathname.replace(/\/+$/, '');
}

/**
 * The authorization server metadata's address for an issuer with a path (RFC 8414 §3.1): at the
 * host's root, `/.well-known/oauth-authorization-server/auth`, outside the issuer's path.
 */
export function hostRootMetadataPath(basePath: string): string {
  return `${metadataPath}${basePath}`;
}

/**
 * Serves the routes under the issuer's path: a request for `/auth/login` reaches the router as
 * `/login` (`ctx.originalUrl` keeps what was asked), anything outside `/auth` is not found, except
 * the metadata at the host's root where RFC 8414 puts it. The routes, `ctx.path` and every path
 * the server keeps (`return_to`) are relative to the issuer's path; `appPath` (redirects) and
 * `appHref` (pages) put it back in front of the paths the browser sees.
 */
export function underBasePath(basePath: string): AppMiddleware {
  const rootMetadata = hostRootMetadataPath(basePath);
  return async function underBasePath(ctx, next) {
    ctx.state.basePath = basePath;
    if (basePath === '') return next();
    if (ctx.path === rootMetadata) {
      ctx.path = metadataPath;
      return next();
    }
    if (ctx.path === basePath || ctx.path.startsWith(`${basePath}/`)) {
      ctx.path = ctx.path.slice(basePath.length) || '/';
      return next();
    }
    ctx.status = 404;
  };
}

/** One of this server's own paths (`/login?…`) as the browser must ask for it: under the issuer's path. */
export function appPath(ctx: AppContext, path: string): string {
  return `${ctx.state.basePath ?? ''}${path}`;
}
