import Router from '@koa/router';
import Keygrip from 'keygrip';
import Koa from 'koa';
import type { AdminState } from './admin/admin-state';
import type { TrustProxy } from './config/trust-proxy';
import { underBasePath } from './http/base-path';
import { clientAddress } from './http/client-address';
import { requestLog } from './http/request-log';
import type { AppMiddleware } from './http/state';
import type { Logger } from './logging/logger';
import { indexPhp } from './matomo/index-php';
import type { AuthorizationState } from './oauth/authorize.endpoint';
import type { ClientState } from './oauth/shared/client-state';
import type { Metrics } from './observability/metrics';
import { requestMetrics } from './observability/request-metrics';
import type { Endpoints } from './services';

/** Everything any middleware leaves on `ctx.state`: the union of what each feature declares. */
export type AppState = AuthorizationState & ClientState & AdminState;

export interface AppOptions {
  logger: Logger;
  /** The reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed. */
  trustProxy: TrustProxy;
  /** Keys Koa signs cookies with (derived from the operator's secret); the first signs. */
  cookieKeys: readonly Buffer[];
  /** Resolves once the audit entries recorded so far are committed: every response waits for it. */
  auditCommitted: () => Promise<void>;
  /** Counts requests by route pattern and status, with their durations. */
  metrics?: Pick<Metrics, 'observeRequest'>;
  /** The issuer's path (`/auth`; `''` at the host's root): every route is served under it. */
  basePath?: string;
}

/** Every response: no MIME sniffing. */
const baseHeaders: AppMiddleware = async function baseHeaders(ctx, next) {
  ctx.set('X-Content-Type-Options', 'nosniff');
  await next();
};

/**
 * The Koa application around the router (`createRouter`): one log line per request, signed
 * cookies, and unexpected errors to the logger. It never listens; `startServer` does.
 */
export function createApp(
  router: Router<AppState>,
  { logger, trustProxy, cookieKeys, auditCommitted, metrics, basePath = '' }: AppOptions,
): Koa<AppState> {
  // Koa's `proxy` would believe X-Forwarded-* from whoever connects: `clientAddress` reads them
  // from the trusted proxies only.
  const app = new Koa<AppState>({ proxy: false });
  app.keys = new Keygrip(
    cookieKeys.map((key) => key.toString('base64url')),
    'sha256',
  );
  // Renderers answer every error themselves; what is unexpected comes here, never to the client.
  app.on('error', (error: unknown, ctx?: { state?: AppState }) => {
    logger.error({ err: error, reqId: ctx?.state?.requestId }, 'unexpected error');
  });
  app.use(clientAddress(trustProxy));
  app.use(requestLog(logger));
  if (metrics) app.use(requestMetrics(metrics));
  app.use(baseHeaders);
  // What a request did is in the audit trail before its response leaves (a crash right after
  // the response loses no entry); concurrent requests share one commit.
  app.use(async function auditBeforeResponse(_ctx, next) {
    try {
      await next();
    } finally {
      await auditCommitted();
    }
  });
  app.use(underBasePath(basePath));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** Every route, in both route forms. */
export function createRouter(endpoints: Endpoints): Router<AppState> {
  const { authorize, token, revocation, introspection, discovery, signIn, account, matomoApi } = endpoints;
  const { userinfo, endSession } = endpoints;
  const router = new Router<AppState>();

  router.get('/oauth2/authorize', ...authorize.get);
  router.post('/oauth2/authorize', ...authorize.post);
  router.post('/oauth2/token', ...token.post);
  router.all('/oauth2/token', ...token.other);
  router.post('/oauth2/revoke', ...revocation.post);
  router.options('/oauth2/revoke', ...revocation.preflight);
  router.post('/oauth2/introspect', ...introspection);
  router.get('/oauth2/jwks', ...discovery.jwks);
  router.get('/.well-known/oauth-authorization-server', ...discovery.metadata);
  router.get('/.well-known/openid-configuration', ...discovery.openidConfiguration);
  router.get('/oauth2/userinfo', ...userinfo.get);
  router.post('/oauth2/userinfo', ...userinfo.post);
  router.options('/oauth2/userinfo', ...userinfo.get);
  router.get('/oauth2/logout', ...endSession.get);
  router.post('/oauth2/logout', ...endSession.post);
  router.get('/login', ...signIn.showSignIn);
  router.post('/login', ...signIn.signIn);
  router.post('/logout', ...signIn.signOut);
  router.get('/account', ...account.show);
  router.post('/account/revoke', ...account.revoke);
  router.all('/api/:method', ...matomoApi);
  if (endpoints.demoDashboard) {
    const { index, asset } = endpoints.demoDashboard;
    router.get('/demo', ...index);
    router.get('/demo/', ...index);
    router.get('/demo/assets/:file', ...asset);
  }
  for (const route of endpoints.admin) {
    if (route.method === 'GET') router.get(route.path, ...(route.handlers as AppMiddleware<AppState>[]));
    else router.post(route.path, ...(route.handlers as AppMiddleware<AppState>[]));
  }
  router.all(
    '/index.php',
    indexPhp({
      oauth2: {
        authorize: { GET: authorize.get, POST: authorize.post },
        token: { POST: token.post, '*': token.other },
        metadata: { GET: discovery.metadata },
      },
      api: matomoApi,
    }),
  );
  return router;
}
