import { clientRepository, digestClientSecret } from '@matomo-oauth2/server';
import type { TestServer } from './test-server';

const client = { clientId: 'superuser_tool', secret: 'superuser-tool-secret' };

/**
 * A `matomo:superuser` token of the demo's super user (`admin`), through a confidential client
 * registered for it in the database, as an operator would before anything else can be managed.
 */
export async function superuserToken(server: TestServer): Promise<string> {
  if (!(await clientRepository.find(server.db, client.clientId))) {
    const now = server.clock();
    await clientRepository.insert(server.db, {
      clientId: client.clientId,
      name: 'Superuser tool',
      description: '',
      type: 'confidential',
      secretDigest: digestClientSecret(client.secret),
      grantTypes: ['client_credentials'],
      scope: 'matomo:superuser',
      redirectUris: [],
      active: true,
      ownerLogin: 'admin',
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    });
  }
  const response = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no superuser token: ${JSON.stringify(body)}`);
  return body.access_token;
}
