// The README's examples, kept compiling.
import { expectTypeOf, test } from 'vitest';
import { createClientCredentials } from './client-credentials';
import type { components } from './generated/openapi';
import {
  createBrowserLogin,
  createMatomoClient,
  LoginRequiredError,
  MatomoApiError,
  type MatomoScope,
  matomoEndpoints,
  OAuthResponseError,
  ProtocolError,
  type ScopeList,
} from './index';
import { createOpenIdLogin, type IdTokenClaims, type UserInfo } from './openid';

type S = components['schemas'];

test('scope lists: several Matomo scopes, space-separated; a typo is an error', () => {
  expectTypeOf<'matomo:read matomo:write'>().toExtend<ScopeList<MatomoScope>>();
  expectTypeOf<'matomo:read openid profile email'>().toExtend<ScopeList>();
  expectTypeOf<'matomo:raed'>().not.toExtend<ScopeList>();
  expectTypeOf<'matomo:read openid'>().not.toExtend<ScopeList<MatomoScope>>();
});

test('the README examples type-check', async () => {
  const login = createBrowserLogin({
    baseUrl: 'https://auth.example.com',
    clientId: 'dashboard',
    redirectUri: 'https://app.example.com/callback',
    scope: 'matomo:read',
    storage: 'localStorage',
  });
  createBrowserLogin({
    server: matomoEndpoints('https://matomo.example.com'),
    clientId: 'analytics_app',
    redirectUri: 'https://example-app.com/oauth/callback',
  });
  const matomo = createMatomoClient({ baseUrl: 'https://matomo.example.com', auth: login });
  try {
    const summary = await matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today' });
    expectTypeOf(Array.isArray(summary) ? 0 : summary.nb_visits).toEqualTypeOf<number>();
  } catch (error) {
    if (error instanceof LoginRequiredError) await login.login({ returnTo: '/reports' });
  }

  const auth = createClientCredentials({
    baseUrl: 'https://auth.example.com',
    clientId: 'id',
    clientSecret: 'secret',
    scope: 'matomo:read',
  });
  createClientCredentials({
    baseUrl: 'https://auth.example.com',
    clientId: 'nightly-export',
    clientSecret: 'secret',
    scope: 'matomo:read',
    tokenParams: { resource: ['https://matomo.example.com'], audience: 'matomo' },
  });
  const backend = createMatomoClient({ baseUrl: 'https://matomo.example.com', auth });
  const pages = await backend.call('Actions.getPageUrls', {
    idSite: 1,
    period: 'month',
    date: '2026-10-01',
    flat: 1,
    filter_limit: -1,
  });
  expectTypeOf(pages.map((row) => `${row.label},${row.nb_hits}`)).toEqualTypeOf<string[]>();

  const week = await matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'last7' });
  for (const [, summary] of Object.entries(week)) {
    expectTypeOf(summary).toEqualTypeOf<S['VisitsSummary'] | []>();
  }
  const sites = await matomo.call('VisitsSummary.get', { idSite: 'all', period: 'day', date: 'last7' });
  expectTypeOf(sites).toEqualTypeOf<{ [idSite: string]: S['VisitsSummaryByPeriod'] }>();
  const { value } = await matomo.call('API.getMatomoVersion');
  expectTypeOf(value).toEqualTypeOf<string>();

  try {
    await matomo.call('SitesManager.addSite', { siteName: 'Shop', urls: ['https://shop.example.com'] });
  } catch (error) {
    if (error instanceof MatomoApiError && error.code === 'ERR_INSUFFICIENT_SCOPE') {
      await login.login({ scope: error.scope });
    }
  }
});

test('the OpenID Connect examples type-check', async () => {
  const login = createOpenIdLogin({
    baseUrl: 'https://auth.example.com',
    clientId: 'dashboard',
    redirectUri: 'https://app.example.com/callback',
    scope: 'matomo:read openid profile',
    storage: 'localStorage',
  });
  if (!(await login.isAuthenticated())) await login.login({ returnTo: '/' });
  expectTypeOf(login.isAuthenticated()).resolves.toEqualTypeOf<boolean>();
  const user = await login.getUser();
  expectTypeOf(user).toEqualTypeOf<IdTokenClaims | UserInfo>();
  expectTypeOf(user.sub).toEqualTypeOf<string>();
  expectTypeOf(user.email).toEqualTypeOf<string | undefined>();
  expectTypeOf(await login.getUserInfo()).toEqualTypeOf<UserInfo>();
  createMatomoClient({ baseUrl: 'https://matomo.example.com', auth: login });

  await login.login({ returnTo: '/', prompt: 'login', maxAge: 300, loginHint: 'alice' });
  await login.login({ prompt: ['login', 'consent'] });
  // @ts-expect-error: not a prompt value
  await login.login({ prompt: 'silent' });
  // @ts-expect-error: max_age is a number of seconds
  await login.login({ maxAge: '300' });

  try {
    const { returnTo } = await login.handleRedirectCallback();
    expectTypeOf(returnTo).toEqualTypeOf<string | undefined>();
  } catch (error) {
    if (error instanceof OAuthResponseError && error.code === 'ERR_INTERACTION_REQUIRED') {
      await login.login({ returnTo: '/' });
    }
    if (error instanceof ProtocolError && error.code === 'ERR_INVALID_ID_TOKEN') {
      expectTypeOf(error.claim).toEqualTypeOf<string | undefined>();
    }
  }

  await login.logout();
  await login.logout({ endSession: true, postLogoutRedirectUri: 'https://app.example.com/signed-out' });
  await login.logout({ endSession: true, state: 'back' }).catch((error: unknown) => {
    if (error instanceof ProtocolError && error.code === 'ERR_NOT_SUPPORTED') return;
    throw error;
  });
  // The plain browser login has neither getUser() nor logout options.
  // @ts-expect-error: getUser is on the OpenID login
  void createBrowserLogin({ baseUrl: '', clientId: '', redirectUri: '' }).getUser;
});
