import { describe, expect, test } from 'vitest';
import { createFakeServer } from '../test/fake-server';
import { discover, matomoEndpoints, serverResolver } from './discovery';

describe('discover', () => {
  test('reads RFC 8414 metadata from the well-known URL', async () => {
    const server = createFakeServer();
    const metadata = await discover('https://auth.test/', { fetch: server.fetch });
    expect(metadata.token_endpoint).toBe('https://auth.test/oauth2/token');
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(server.requests.map((r) => r.url)).toEqual([
      'https://auth.test/.well-known/oauth-authorization-server',
    ]);
  });

  test("falls back to the plugin's index.php?module=OAuth2&action=metadata", async () => {
    const server = createFakeServer({ matomoStyle: true });
    const metadata = await discover('https://auth.test', { fetch: server.fetch });
    expect(metadata.token_endpoint).toBe('https://auth.test/index.php?module=OAuth2&action=token');
    expect(metadata.revocation_endpoint).toBeUndefined();
  });

  test('refuses metadata whose issuer is another server', async () => {
    const server = createFakeServer({ issuer: 'https://auth.test' });
    const fetch = async (request: Request) => {
      const response = await server.fetch(request);
      return new Response(JSON.stringify({ ...(await response.json()), issuer: 'https://evil.test' }));
    };
    await expect(discover('https://auth.test', { fetch })).rejects.toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
    });
  });

  test('says so when there is no metadata', async () => {
    const fetch = async () => new Response('Not found', { status: 404 });
    await expect(discover('https://nothing.test', { fetch })).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      status: 404,
    });
  });

  test('a failed discovery is retried, a successful one is not repeated', async () => {
    const server = createFakeServer();
    let down = true;
    const resolve = serverResolver({
      baseUrl: 'https://auth.test',
      fetch: (request) => (down ? Promise.reject(new TypeError('offline')) : server.fetch(request)),
    });
    await expect(resolve()).rejects.toThrow('offline');
    down = false;
    await resolve();
    await resolve();
    expect(server.calls.metadata).toBe(1);
  });
});

test('matomoEndpoints gives the Matomo-style routes and no revocation', () => {
  expect(matomoEndpoints('https://matomo.example.com/')).toEqual({
    authorization_endpoint: 'https://matomo.example.com/index.php?module=OAuth2&action=authorize',
    token_endpoint: 'https://matomo.example.com/index.php?module=OAuth2&action=token',
  });
});
