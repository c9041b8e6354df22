// The README's examples, kept compiling.
import { expectTypeOf, test } from 'vitest';
import { createClientCredentials } from './client-credentials';
import type { components } from './generated/openapi';
import {
  createBrowserLogin,
  createMatomoClient,
  LoginRequiredError,
  MatomoApiError,
  matomoEndpoints,
} from './index';

type S = components['schemas'];

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
