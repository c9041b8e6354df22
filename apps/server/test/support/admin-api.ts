import { clientCredentialsToken } from '@matomo-oauth2/testing';
import * as clients from '../../src/clients/client.repository';
import { registerClient } from '../../src/clients/client-registration';
import { type ApiResult, callApi } from '../api-fixture';
import { adminPassword, type TestServer } from '../test-server';

const tool = { clientId: 'admin_tool', secret: 'admin-tool-secret' };

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
  if (!(await clients.find(server.db, tool.clientId))) {
    const registration = { ...tool, name: 'Admin tool', ownerLogin: server.config.adminLogin };
    await registerClient(
      server.db,
      { ...registration, grantTypes: ['client_credentials'], scope: 'matomo:superuser' },
      server.clock(),
    );
  }
  const token = await clientCredentialsToken(server.url, tool.clientId, tool.secret);
  return callApi(server, method, { ...params, passwordConfirmation: adminPassword }, { token });
}
