// Every operation of the contract has a route, and every route is in the contract.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';
import { loadSpec, operations } from './spec';

const spec = loadSpec();
const ops = operations(spec);
let server: TestServer;
let routes: { path: string; methods: string[] }[];

beforeAll(async () => {
  server = await startTestServer();
  routes = server.routes;
});
afterAll(() => server.stop());

// `index.php` and `/api/:method` dispatch to the operations by parameter, checked below.
const dispatchers = new Set(['/index.php', '/api/:method']);
// The operator's pages are this server's own screens (as the plugin's admin screen is Matomo's),
// not part of the contract that the SDK and a Matomo with the plugin share.
const isAdminPage = (path: string) => path === '/admin' || path.startsWith('/admin/');
// So is the demo dashboard (demo mode only): a static single-page app that uses the contract.
const isDemoDashboard = (path: string) => path === '/demo' || path.startsWith('/demo/');

describe('routes', () => {
  test('every operation outside the Matomo API has a route with its method', () => {
    const missing = ops
      .filter(({ path }) => !path.startsWith('/api/'))
      .filter(
        ({ path, verb }) =>
          !routes.some((route) => route.path === path && route.methods.includes(verb.toUpperCase())),
      );
    expect(missing.map(({ path, verb }) => `${verb} ${path}`)).toEqual([]);
  });

  test('every route is in the contract', () => {
    const specPaths = new Set(Object.keys(spec.paths));
    const extra = routes.filter(
      (route) =>
        !dispatchers.has(route.path) &&
        !specPaths.has(route.path) &&
        !isAdminPage(route.path) &&
        !isDemoDashboard(route.path),
    );
    expect(extra).toEqual([]);
    // The exception is for the admin pages only: they are there, and nothing else hides behind it.
    expect(routes.some((route) => route.path === '/admin/clients')).toBe(true);
  });

  test('the Matomo API answers exactly the contract’s methods, at the contract’s access levels', () => {
    const fromSpec = Object.fromEntries(
      ops
        .filter(({ path, verb }) => path.startsWith('/api/') && verb === 'post')
        .map(({ op }) => [
          op['x-matomo-method'],
          { access: op['x-matomo-access'], scope: op['x-matomo-scope'] ?? op['x-matomo-access'] },
        ]),
    );
    const fromServer = Object.fromEntries(
      server.apiMethods.map(({ name, access, scope }) => [name, { access, scope }]),
    );
    expect(fromServer).toEqual(fromSpec);
  });

  test('a method is POST-only on the server exactly when the contract has no GET for it', () => {
    for (const { name, postOnly } of server.apiMethods) {
      const hasGet = spec.paths[`/api/${name}`]?.get !== undefined;
      expect(postOnly, name).toBe(!hasGet);
    }
  });

  test('every Matomo-style alias (x-matomo-route) is answered', async () => {
    for (const { verb, op } of ops) {
      const route = op['x-matomo-route'];
      if (!route) continue;
      const response = await fetch(`${server.url}${route}`, {
        method: verb.toUpperCase(),
        redirect: 'manual',
      });
      expect(response.status, `${verb} ${route}`).not.toBe(404);
      expect(response.status, `${verb} ${route}`).not.toBe(405);
      await response.arrayBuffer();
    }
  });
});
