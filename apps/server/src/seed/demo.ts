import { addDemoGoalsIfNone, generateDemoData } from '../analytics';
import * as clients from '../clients/client.repository';
import { registerClient } from '../clients/client-registration';
import type { Clock } from '../config/clock';
import { hashPassword } from '../crypto/password';
import type { Db } from '../db/database';
import type { IdentityScope } from '../protocol/identity-scopes';
import * as sites from '../sites/site.repository';
import * as users from '../users/user.repository';

/** The plugin README's example client, so that its curl commands work as written. */
export const demoConfidentialClient = {
  clientId: 'analytics_app',
  secret: '7fa9c0f81b8b4a12',
  redirectUri: 'https://example-app.com/oauth/callback',
  postLogoutRedirectUri: 'https://example-app.com/',
} as const;

/** A public client for browser apps on this machine (PKCE, loopback redirect URIs on any port). */
export const demoPublicClient = {
  clientId: 'matomo_demo_spa',
  redirectUris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
  postLogoutRedirectUris: ['http://127.0.0.1/', 'http://[::1]/'],
} as const;

export const demoUser = { login: 'demo', password: 'demo' } as const;

export const demoSites = [
  {
    name: 'Demo Shop',
    main_url: 'https://shop.example.com',
    timezone: 'UTC',
    currency: 'EUR',
    ecommerce: 1 as const,
  },
  {
    name: 'Tokyo Travel Blog',
    main_url: 'https://travel.example.jp',
    timezone: 'Asia/Tokyo',
    currency: 'JPY',
    ecommerce: 0 as const,
  },
  {
    name: 'Honolulu Surf School',
    main_url: 'https://surf.example.org',
    timezone: 'Pacific/Honolulu',
    currency: 'USD',
    ecommerce: 0 as const,
  },
];

/** What both demo clients may ask for besides their Matomo scope: the user's login, name and email. */
const demoIdentityScopes: IdentityScope[] = ['openid', 'profile', 'email'];

/**
 * Seeds the demo: three sites in far-apart timezones with 180 days of generated visits, the user
 * `demo` (view access to the first site, write access to the second), the README's example
 * client and a public client, both registered for OpenID Connect.
 * Runs once: a database that already has the demo user is left alone, except that its demo clients
 * are registered for OpenID Connect when a demo from before had them without, and its sites get
 * the demo goals when a demo from before had none (`addGoalsToDemoSites`).
 */
export async function seedDemo(
  { db, clock }: { db: Db; clock: Clock },
  adminLogin: string,
  visitsPerDay: number,
): Promise<{ seeded: boolean; siteIds: number[]; visits: number; upgraded: string[] }> {
  if (await users.find(db, demoUser.login)) {
    await addGoalsToDemoSites(db);
    return {
      seeded: false,
      siteIds: [],
      visits: 0,
      upgraded: await registerDemoClientsForOpenId(db, clock()),
    };
  }
  const now = clock();
  // The sites exist since before the first day of the demo data.
  const created = now - 200 * 86_400_000;
  const siteIds: number[] = [];
  for (const site of demoSites) {
    siteIds.push(
      await sites.insert(db, {
        ...site,
        urls: JSON.stringify([site.main_url]),
        ts_created: created,
        creator_login: adminLogin,
      }),
    );
  }
  for (const idsite of siteIds) await addDemoGoalsIfNone(db, idsite);
  await users.insert(db, {
    login: demoUser.login,
    email: 'demo@example.org',
    password_hash: await hashPassword(demoUser.password),
    superuser: 0,
    created_at: now,
  });
  await users.setSiteAccess(db, demoUser.login, siteIds[0] as number, 'view');
  await users.setSiteAccess(db, demoUser.login, siteIds[1] as number, 'write');
  await registerClient(
    db,
    {
      clientId: demoConfidentialClient.clientId,
      name: 'Analytics app',
      description: 'The example client of the Matomo OAuth 2.0 plugin README.',
      secret: demoConfidentialClient.secret,
      grantTypes: ['authorization_code', 'client_credentials', 'refresh_token'],
      scope: 'matomo:read',
      redirectUris: [demoConfidentialClient.redirectUri],
      identityScopes: demoIdentityScopes,
      postLogoutRedirectUris: [demoConfidentialClient.postLogoutRedirectUri],
      ownerLogin: adminLogin,
    },
    now,
  );
  await registerClient(
    db,
    {
      clientId: demoPublicClient.clientId,
      name: 'Matomo demo single-page app',
      description: 'A public client for browser apps served from this machine (PKCE).',
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'matomo:write',
      redirectUris: [...demoPublicClient.redirectUris],
      identityScopes: demoIdentityScopes,
      postLogoutRedirectUris: [...demoPublicClient.postLogoutRedirectUris],
      ownerLogin: adminLogin,
    },
    now,
  );
  const data =
    visitsPerDay > 0
      ? await generateDemoData(db, { now, idSites: siteIds, visitsPerDay, annotationsBy: demoUser.login })
      : { visits: 0 };
  return { seeded: true, siteIds, visits: data.visits, upgraded: [] };
}

/**
 * A demo seeded before goals: its sites (found by their URLs) get the demo goals when they have
 * none. Their past visits are not back-filled with conversions: the goals convert from the next
 * demo data on, as a goal added in Matomo converts from the day it is added.
 */
async function addGoalsToDemoSites(db: Db): Promise<void> {
  const rows = await db
    .selectFrom('sites')
    .select('idsite')
    .where(
      'main_url',
      'in',
      demoSites.map((site) => site.main_url),
    )
    .execute();
  for (const { idsite } of rows) await addDemoGoalsIfNone(db, idsite);
}

/**
 * A demo seeded before OpenID Connect: its two clients get the identity scopes and post-logout
 * redirect URIs a new demo has, when they have neither (never over what someone set). Returns the
 * ids of the clients changed.
 */
async function registerDemoClientsForOpenId(db: Db, now: number): Promise<string[]> {
  const settings = [
    [demoConfidentialClient.clientId, [demoConfidentialClient.postLogoutRedirectUri]],
    [demoPublicClient.clientId, [...demoPublicClient.postLogoutRedirectUris]],
  ] as const;
  const upgraded: string[] = [];
  for (const [clientId, postLogoutRedirectUris] of settings) {
    const client = await clients.find(db, clientId);
    if (!client || client.identityScopes.length > 0 || client.postLogoutRedirectUris.length > 0) continue;
    await clients.update(db, {
      ...client,
      identityScopes: demoIdentityScopes,
      postLogoutRedirectUris: [...postLogoutRedirectUris],
      updatedAt: now,
    });
    upgraded.push(clientId);
  }
  return upgraded;
}
