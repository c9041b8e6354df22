import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Router from '@koa/router';
import { makeTempDir } from '@matomo-oauth2/testing';
import Koa from 'koa';
import { afterAll, describe, expect, test } from 'vitest';
import { demoDashboardRoutes } from './demo-dashboard.routes';

const temp = makeTempDir();
const servers: { close(): void }[] = [];
afterAll(() => {
  for (const server of servers) server.close();
  temp.remove();
});

/** The two dashboard routes alone, over `dir`, on a free port; the issuer is the address it listens on. */
async function serve(dir: string): Promise<string> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { index, asset } = demoDashboardRoutes({ dir, issuer: url });
  const router = new Router();
  router.get('/demo', ...index);
  router.get('/demo/', ...index);
  router.get('/demo/assets/:file', ...asset);
  const app = new Koa();
  app.use(router.routes());
  server.on('request', app.callback());
  return url;
}

describe('the demo dashboard routes', () => {
  test('without a build, /demo/ explains how to build it (503, never a 500)', async () => {
    const url = await serve(join(temp.dir, 'missing'));
    const response = await fetch(`${url}/demo/`);
    expect(response.status).toBe(503);
    const page = await response.text();
    expect(page).toContain('The demo dashboard is not built');
    expect(page).toContain('pnpm --filter @matomo-oauth2/demo build');
  });

  test('with a build: the page under a strict CSP, hashed assets, nothing outside assets/', async () => {
    const dir = join(temp.dir, 'dist');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Dashboard</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(temp.dir, 'secret.js'), 'no');
    const url = await serve(dir);

    const page = await fetch(`${url}/demo/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');

    const script = await fetch(`${url}/demo/assets/index-abc123.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    for (const path of ['..%2F..%2Fsecret.js', '..%2Findex.html', 'nothing.js', 'index-abc123.exe']) {
      expect((await fetch(`${url}/demo/assets/${path}`)).status, path).toBe(404);
    }

    const bare = await fetch(`${url}/demo`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe(`${url}/demo/`);
  });
});
