import { html, type SafeHtml, trustedConstant } from './html';

/**
 * Stands for the issuer's path in a page until `sendPage` knows it. It holds `<`, which `html`
 * escapes in every interpolated value: no data (a client's name, a login) can spell it.
 */
const appRoot = '<app-root>';

/**
 * A link or form target to one of this server's own paths (`/admin/clients`), in a page template:
 * `sendPage` puts the issuer's path in front (`/auth/admin/clients`), so templates stay free of it.
 */
export function appHref(path: string): SafeHtml {
  return html`${trustedConstant(appRoot)}${path}`;
}

/** The page with every `appHref` under the issuer's path (`''` at the host's root). */
export function resolveAppHrefs(page: string, basePath: string): string {
  return page.replaceAll(appRoot, basePath);
}
