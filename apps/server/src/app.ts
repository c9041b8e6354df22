import Router from '@koa/router';
import Koa from 'koa';
import { indexPhp } from './http/index-php';
import type { AppMiddleware, AppState } from './http/state';
import { authorizeEndpoint } from './oauth/authorize.endpoint';
import { discoveryEndpoints } from './oauth/discovery.endpoints';
import { introspectionEndpoint } from './oauth/introspection.endpoint';
import { revocationEndpoint } from './oauth/revocation.endpoint';
import { tokenEndpoint } from './oauth/token.endpoint';
import type { Services } from './services';
import { signInRoutes } from './sessions/sign-in.routes';

/** Every response: no MIME sniffing, and nothing of this server's in a referrer. */
const baseHeaders: AppMiddleware = async function baseHeaders(ctx, next) {
  ctx.set('X-Content-Type-Options', 'nosniff');
  await next();
};

export interface AppRoutes {
  /** The Matomo API, mounted at `/api/:method` and `index.php?module=API`. */
  matomoApi?: AppMiddleware[];
}

/**
 * The Koa application: every route of the contract, in both route forms. It never listens;
 * `startServer` does.
 */
export function createApp(services: Services, routes: AppRoutes = {}): Koa<AppState> {
  // Behind one trusted reverse proxy: the client's address is the last X-Forwarded-For entry,
  // the one that proxy added; entries before it are the client's to forge.
  const app = new Koa<AppState>({ proxy: services.settings.trustProxy, maxIpsCount: 1 });
  const router = createRouter(services, routes);
  app.use(baseHeaders);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** Every route, in both route forms. */
export function createRouter(services: Services, routes: AppRoutes = {}): Router<AppState> {
  const router = new Router<AppState>();

  const authorize = authorizeEndpoint(services);
  const token = tokenEndpoint(services);
  const revocation = revocationEndpoint(services);
  const introspection = introspectionEndpoint(services);
  const discovery = discoveryEndpoints(services);
  const signIn = signInRoutes(services);

  router.get('/oauth2/authorize', ...authorize.get);
  router.post('/oauth2/authorize', ...authorize.post);
  router.post('/oauth2/token', ...token.post);
  router.all('/oauth2/token', ...token.other);
  router.post('/oauth2/revoke', ...revocation);
  router.options('/oauth2/revoke', ...revocation.slice(0, 1));
  router.post('/oauth2/introspect', ...introspection);
  router.get('/oauth2/jwks', ...discovery.jwks);
  router.get('/.well-known/oauth-authorization-server', ...discovery.metadata);
  router.get('/login', ...signIn.showSignIn);
  router.post('/login', ...signIn.signIn);
  router.post('/logout', ...signIn.signOut);

  const api = routes.matomoApi ?? [];
  if (api.length > 0) router.all('/api/:method', ...api);
  router.all(
    '/index.php',
    indexPhp({
      oauth2: {
        authorize: { GET: authorize.get, POST: authorize.post },
        token: { POST: token.post, '*': token.other },
        metadata: { GET: discovery.metadata },
      },
      api,
    }),
  );

  return router;
}
