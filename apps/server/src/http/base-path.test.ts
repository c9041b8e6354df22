import { describe, expect, test } from 'vitest';
import { createTestContext } from '../../test/support/koa-context';
import { appPath, basePathOf, underBasePath } from './base-path';

describe('basePathOf', () => {
  test.each([
    ['https://example.org', ''],
    ['https://example.org/', ''],
    ['http://127.0.0.1:8080', ''],
    ['https://example.org/auth', '/auth'],
    ['https://example.org/auth/', '/auth'],
    ['https://example.org/a/b', '/a/b'],
  ])('%s: %j', (issuer, path) => {
    expect(basePathOf(issuer)).toBe(path);
  });
});

/** What the router sees of `url` (undefined when the request is answered before it). */
async function routed(basePath: string, url: string) {
  const ctx = createTestContext({ url });
  let seen: { path: string; url: string } | undefined;
  await underBasePath(basePath)(ctx, async () => {
    seen = { path: ctx.path, url: ctx.url };
  });
  return { seen, status: ctx.status, originalUrl: ctx.originalUrl, basePath: ctx.state.basePath };
}

describe('underBasePath', () => {
  test('at the host root every path reaches the router unchanged', async () => {
    expect(await routed('', '/login?x=1')).toMatchObject({
      seen: { path: '/login', url: '/login?x=1' },
      basePath: '',
    });
  });

  test.each([
    ['/auth/login?return_to=%2Faccount', '/login', '/login?return_to=%2Faccount'],
    ['/auth/oauth2/token', '/oauth2/token', '/oauth2/token'],
    [
      '/auth/.well-known/openid-configuration',
      '/.well-known/openid-configuration',
      '/.well-known/openid-configuration',
    ],
    ['/auth', '/', '/'],
    ['/auth/', '/', '/'],
  ])('%s reaches the router as %s, originalUrl kept', async (url, path, routerUrl) => {
    const result = await routed('/auth', url);
    expect(result).toMatchObject({ seen: { path, url: routerUrl }, originalUrl: url, basePath: '/auth' });
  });

  test('the RFC 8414 metadata at the host root reaches the router as the metadata route', async () => {
    expect((await routed('/auth', '/.well-known/oauth-authorization-server/auth')).seen?.path).toBe(
      '/.well-known/oauth-authorization-server',
    );
  });

  test.each([
    '/login',
    '/authx/login',
    '/Auth/login',
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/other',
    '/.well-known/openid-configuration',
    '/other/auth/login',
  ])('%s, outside the issuer path: 404, the router never sees it', async (url) => {
    expect(await routed('/auth', url)).toMatchObject({ seen: undefined, status: 404 });
  });
});

describe('appPath', () => {
  test('puts the issuer path in front of a server path', () => {
    expect(appPath(createTestContext({ state: { basePath: '/auth' } }), '/login?x=1')).toBe(
      '/auth/login?x=1',
    );
    expect(appPath(createTestContext({ state: { basePath: '' } }), '/login')).toBe('/login');
    expect(appPath(createTestContext(), '/login')).toBe('/login');
  });
});
