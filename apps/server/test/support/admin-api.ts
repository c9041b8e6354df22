import { postToken } from '@matomo-oauth2/testing';
import * as clients from '../../src/clients/client.repository';
import { digestClientSecret } from '../../src/clients/client-secret';
import { type ApiResult, callApi } from '../api-fixture';
import { adminPassword, type TestServer } from '../test-server';

const toolClient = { clientId: 'admin_tool', secret: 'admin-tool-secret' };

/**
 * Calls a Matomo API method as the server's first super user, through a `matomo:superuser`
 * client of theirs and with the password confirmation the client management methods ask for:
 * how an operator's tool manages clients.
 */
export async function callAsAdmin(
  server: TestServer,
  method: string,
  params: Record<string, string | string[]>,
): Promise<ApiResult> {
  if (!(await clients.find(server.db, toolClient.clientId))) {
    const now = server.clock();
    await clients.insert(server.db, {
      clientId: toolClient.clientId,
      name: 'Admin tool',
      description: '',
      type: 'confidential',
      secretDigest: digestClientSecret(toolClient.secret),
      grantTypes: ['client_credentials'],
      scope: 'matomo:superuser',
      redirectUris: [],
      active: true,
      ownerLogin: server.config.adminLogin,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    });
  }
  const tokens = await postToken(server.url, {
    grant_type: 'client_credentials',
    client_id: toolClient.clientId,
    client_secret: toolClient.secret,
  });
  const token = String(tokens.body.access_token);
  return callApi(server, method, { ...params, passwordConfirmation: adminPassword }, { token });
}
