import { clientRepository, registerClient } from '@matomo-oauth2/server';
import { clientCredentialsToken } from '@matomo-oauth2/testing';
import type { TestServer } from './test-server';

const superuserClient = {
  clientId: 'superuser_tool',
  secret: 'superuser-tool-secret',
  name: 'Superuser tool',
  grantTypes: ['client_credentials' as const],
  scope: 'matomo:superuser' as const,
  ownerLogin: 'admin',
};

/**
 * A `matomo:superuser` token of the demo's super user (`admin`), through a confidential client
 * registered for it in the database, as an operator would before anything else can be managed.
 */
export async function superuserToken(server: TestServer): Promise<string> {
  const { clientId, secret } = superuserClient;
  if (!(await clientRepository.find(server.db, clientId)))
    await registerClient(server.db, superuserClient, server.clock());
  return clientCredentialsToken(server.url, clientId, secret);
}
