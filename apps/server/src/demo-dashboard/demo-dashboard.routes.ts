import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AppContext, AppMiddleware } from '../http/state';
import { sendPage } from '../pages/page-response';
import { dashboardNotBuiltPage } from './not-built.page';

export interface DemoDashboardOptions {
  /** The dashboard's build output (`apps/demo/dist`): `index.html` and hashed files in `assets/`. */
  dir: string;
  issuer: string;
}

/**
 * The dashboard's policy: its own script, style sheet and API calls, nothing inline, nothing from
 * elsewhere; it cannot be framed, and its links send no referrer.
 */
export const dashboardHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
} as const;

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// Vite's file names: letters, digits, `-`, `_` and one extension; nothing that leaves `assets/`.
const assetName = /^[\w-]+(\.[\w-]+)*\.[a-z0-9]+$/;

async function readIfThere(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * `/demo/` (demo mode only): the built dashboard of `apps/demo`, a single-page app that signs in
 * with its own public client. Opened on another address than the issuer's (`localhost` for
 * `127.0.0.1`), it is sent to the issuer's: its storage, redirect URI and discovery are per origin.
 */
export function demoDashboardRoutes({ dir, issuer }: DemoDashboardOptions) {
  const home = `${issuer.replace(/\/+$/, '')}/demo/`;
  const issuerOrigin = new URL(issuer).origin;

  // `/demo`, or another origin than the issuer's: to the one address the dashboard works on.
  const onDashboardAddress: AppMiddleware = async function onDashboardAddress(ctx, next) {
    if (`${ctx.protocol}://${ctx.host}` !== issuerOrigin || !ctx.path.endsWith('/')) {
      ctx.redirect(home);
      return;
    }
    await next();
  };

  const sendIndex: AppMiddleware = async function sendIndex(ctx) {
    const page = await readIfThere(join(dir, 'index.html'));
    if (!page) {
      sendPage(ctx, 503, dashboardNotBuiltPage());
      return;
    }
    ctx.set(dashboardHeaders);
    // The page names its hashed files: always ask for the current one.
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  };

  const sendAsset: AppMiddleware = async function sendAsset(ctx: AppContext) {
    const name = (ctx.params as Record<string, string> | undefined)?.file ?? '';
    const type = contentTypes[extname(name)];
    const file = assetName.test(name) && type ? await readIfThere(join(dir, 'assets', name)) : undefined;
    ctx.set(dashboardHeaders);
    if (!file || !type) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Not found';
      return;
    }
    // The name carries the content's hash: a new build has new names.
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.type = type;
    ctx.body = file;
  };

  return { index: [onDashboardAddress, sendIndex], asset: [sendAsset] };
}
