import * as clients from '../clients/client.repository';
import { registerClient } from '../clients/client-registration';
import type { Db } from '../db/database';

/** The demo dashboard's public client (`apps/demo`, served at `<issuer>/demo/` in demo mode). */
export const demoDashboardClient = {
  clientId: 'matomo_demo_dashboard',
  name: 'Matomo demo dashboard',
  path: '/demo/',
} as const;

/** Where the dashboard lives for this issuer: its redirect URI and post-logout redirect URI, exactly. */
export function demoDashboardUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}${demoDashboardClient.path}`;
}

/**
 * Registers the dashboard's client for this issuer's `/demo/` (PKCE, `matomo:read`, OpenID Connect),
 * or adds this issuer's address to it when the database was seeded under another issuer. Never
 * removes what an operator changed. Says what it did.
 */
export async function ensureDemoDashboardClient(
  db: Db,
  { issuer, ownerLogin, now }: { issuer: string; ownerLogin: string; now: number },
): Promise<'registered' | 'updated' | 'unchanged'> {
  const url = demoDashboardUrl(issuer);
  const client = await clients.find(db, demoDashboardClient.clientId);
  if (!client) {
    await registerClient(
      db,
      {
        clientId: demoDashboardClient.clientId,
        name: demoDashboardClient.name,
        description: 'The demo dashboard served at /demo/ in demo mode (a public client with PKCE).',
        grantTypes: ['authorization_code', 'refresh_token'],
        scope: 'matomo:read',
        redirectUris: [url],
        identityScopes: ['openid', 'profile', 'email'],
        postLogoutRedirectUris: [url],
        ownerLogin,
      },
      now,
    );
    return 'registered';
  }
  if (client.redirectUris.includes(url) && client.postLogoutRedirectUris.includes(url)) return 'unchanged';
  await clients.update(db, {
    ...client,
    redirectUris: [...new Set([...client.redirectUris, url])],
    postLogoutRedirectUris: [...new Set([...client.postLogoutRedirectUris, url])],
    updatedAt: now,
  });
  return 'updated';
}
