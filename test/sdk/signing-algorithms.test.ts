// The SDK against servers that sign with ES256 and EdDSA instead of RS256: nothing in it depends
// on the algorithm (access tokens are opaque to a client; ID tokens are checked by their claims,
// as OpenID Connect Core §3.1.3.7 allows for a token received straight from the token endpoint).

import { createMatomoClient, createMemoryStore } from '@matomo-oauth2/sdk';
import { createClientCredentials } from '@matomo-oauth2/sdk/client-credentials';
import { createOpenIdLogin } from '@matomo-oauth2/sdk/openid';
import { authorizeThroughPages, createAgent } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { memoryWebStorage, spaRedirectUri } from '../support/sdk-login';
import { startTestServer, type TestServer } from '../support/test-server';

const algOf = (jwt: string) =>
  (JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()) as { alg: string }).alg;

describe.each(['ES256', 'EdDSA'] as const)('a server that signs with %s', (alg) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demoVisitsPerDay: 5, accessTokenAlg: alg });
  });
  afterAll(() => server.stop());

  test('client credentials: the token is of that algorithm, and the Matomo API answers it', async () => {
    const auth = createClientCredentials({
      baseUrl: server.url,
      clientId: 'analytics_app',
      clientSecret: '7fa9c0f81b8b4a12',
      scope: 'matomo:read',
    });
    expect(algOf(await auth.getAccessToken())).toBe(alg);
    const matomo = createMatomoClient({ baseUrl: server.url, auth });
    const visits = await matomo.call('VisitsSummary.getVisits', {
      idSite: 1,
      period: 'month',
      date: 'today',
    });
    expect(typeof visits.value).toBe('number');
    auth.close();
  });

  test('an OpenID login: the ID token is of that algorithm, and the SDK accepts it and knows who signed in', async () => {
    const navigations: string[] = [];
    const login = createOpenIdLogin({
      baseUrl: server.url,
      clientId: 'matomo_demo_spa',
      redirectUri: spaRedirectUri,
      scope: 'matomo:read openid profile',
      storage: createMemoryStore(),
      transientStorage: memoryWebStorage(),
      navigate: (url) => void navigations.push(url),
      replaceUrl: () => {},
      crossTab: false,
    });
    await login.login();
    const redirect = await authorizeThroughPages(createAgent(server.url), navigations.at(-1) ?? '', {
      login: 'demo',
      password: 'demo',
    });
    const { tokens } = await login.handleRedirectCallback(redirect.href);
    expect(algOf(tokens.id_token ?? '')).toBe(alg);
    expect(algOf(tokens.access_token)).toBe(alg);
    expect(await login.getUser()).toMatchObject({ iss: server.issuer, sub: 'demo', aud: 'matomo_demo_spa' });
    const matomo = createMatomoClient({ baseUrl: server.url, auth: login });
    expect((await matomo.call('API.getMatomoVersion')).value).toMatch(/^\d/);
    login.close();
  });
});
