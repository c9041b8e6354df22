import { appPath } from '../http/base-path';
import type { AdminDeps } from './admin-deps';
import { type AdminRoute, adminChain } from './admin-route';
import { auditPages } from './audit.pages';
import { clientPages } from './clients.pages';
import { sitePages } from './sites.pages';
import { userPages } from './users.pages';

/** Every admin page and form action, each with its middleware chain. */
export function adminRoutes(deps: AdminDeps) {
  const index: AdminRoute = {
    method: 'GET',
    path: '/admin',
    handler: async (ctx) => {
      ctx.status = 303;
      ctx.redirect(appPath(ctx, '/admin/clients'));
    },
  };
  const routes: AdminRoute[] = [
    index,
    ...clientPages(deps),
    ...userPages(deps),
    ...sitePages(deps),
    ...auditPages(deps),
  ];
  return routes.map((route) => ({
    method: route.method,
    path: route.path,
    handlers: adminChain(deps.session, route),
  }));
}

export type AdminEndpoints = ReturnType<typeof adminRoutes>;
