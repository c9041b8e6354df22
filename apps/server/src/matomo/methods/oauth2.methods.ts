import type { ClientService } from '../../clients/client.service';
import { MatomoApiError } from '../../errors/matomo-api-error';
import { scopeDescriptions } from '../../protocol/scopes';
import type { MethodContext, MethodTable } from '../method-registry';
import type { ConfirmCallerPassword } from '../password-confirmation';
import { clientJson } from './client-json';
import { readCheckedClientSettings } from './client-params';

function clientId(context: MethodContext): string {
  const id = context.params.get('clientId');
  if (id === undefined) throw new MatomoApiError("Please specify a value for 'clientId'.");
  return id;
}

const actorOf = ({ caller, ip }: MethodContext) => ({ login: caller.login, ip });

/** The plugin's client management module: super users only, through a matomo:superuser token. */
export function oauth2Methods({
  clients,
  confirmPassword,
}: {
  clients: ClientService;
  confirmPassword: ConfirmCallerPassword;
}): MethodTable {
  /** The client named by `clientId`, which must exist, once the caller's password is confirmed. */
  async function confirmedClientId(context: MethodContext): Promise<string> {
    const id = clientId(context);
    await clients.get(id);
    await confirmPassword(context);
    return id;
  }

  return {
    'OAuth2.getClients': {
      access: 'superuser',
      run: async () => (await clients.list()).map(clientJson),
    },

    'OAuth2.getClient': {
      access: 'superuser',
      run: async (context) => clientJson(await clients.get(clientId(context))),
    },

    'OAuth2.getScopes': {
      access: 'superuser',
      run: async () => ({ ...scopeDescriptions }),
    },

    'OAuth2.createClient': {
      access: 'superuser',
      postOnly: true,
      async run(context) {
        const settings = readCheckedClientSettings(context.params);
        await confirmPassword(context);
        const { client, secret } = await clients.create(settings, actorOf(context));
        return { client: clientJson(client), secret };
      },
    },

    'OAuth2.updateClient': {
      access: 'superuser',
      postOnly: true,
      async run(context) {
        const settings = readCheckedClientSettings(context.params);
        const id = await confirmedClientId(context);
        const { client, secret } = await clients.update(id, settings, actorOf(context));
        return { client: clientJson(client), secret };
      },
    },

    'OAuth2.rotateSecret': {
      access: 'superuser',
      postOnly: true,
      async run(context) {
        const id = await confirmedClientId(context);
        const { client, secret } = await clients.rotateSecret(id, actorOf(context));
        return { client_id: client.clientId, secret };
      },
    },

    'OAuth2.setClientActive': {
      access: 'superuser',
      async run(context) {
        const active = context.params.get('active');
        if (active !== '1' && active !== '0')
          throw new MatomoApiError('The parameter active must be 1 or 0.');
        const client = await clients.setActive(clientId(context), active === '1', actorOf(context));
        return { client: clientJson(client) };
      },
    },

    'OAuth2.deleteClient': {
      access: 'superuser',
      postOnly: true,
      async run(context) {
        const id = await confirmedClientId(context);
        await clients.delete(id, actorOf(context));
        return { deleted: true };
      },
    },
  };
}
