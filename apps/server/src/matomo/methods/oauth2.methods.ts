import { clientJson, readClientInput } from '../../clients/client.service';
import { BusyError } from '../../crypto/concurrency-gate';
import { verifyPassword } from '../../crypto/password';
import { MatomoApiError } from '../../errors/matomo-api-error';
import { scopeDescriptions } from '../../oauth/scopes';
import { addressKey } from '../../rate-limit/rate-limiter';
import type { MethodContext, MethodTable } from '../method-registry';

function clientId(context: MethodContext): string {
  const id = context.params.get('clientId');
  if (id === undefined) throw new MatomoApiError("Please specify a value for 'clientId'.");
  return id;
}

/** The client named by `clientId`, which must exist, once the caller's password is confirmed. */
async function confirmedClientId(context: MethodContext): Promise<string> {
  const id = clientId(context);
  await context.services.clientService.get(id);
  await confirmPassword(context);
  return id;
}

/**
 * A sensitive change needs the signed-in user's password (as the plugin asks since 5.1.0), read
 * from the POST body only. Failures count against the login, like sign-in failures.
 */
async function confirmPassword({ services, caller, postBody, ip }: MethodContext): Promise<void> {
  const password = postBody?.get('passwordConfirmation');
  if (password === undefined) {
    throw new MatomoApiError("Please confirm your password: send 'passwordConfirmation' in the POST body.");
  }
  const limiter = services.limits.loginPerUser;
  const key = `${caller.login.toLowerCase()}|${addressKey(ip)}`;
  // Reserved before the check, so that concurrent guesses cannot all pass it.
  if (limiter.attempt(key) > 0)
    throw new MatomoApiError('Too many wrong password confirmations; try again later.', 429);
  const user = await services.users.find(caller.login);
  let valid = false;
  try {
    valid =
      user !== undefined && password.length <= 1024 && (await verifyPassword(password, user.password_hash));
  } catch (error) {
    limiter.succeed(key);
    if (error instanceof BusyError)
      throw new MatomoApiError('The server is busy; try again in a moment.', 429);
    throw error;
  }
  if (!valid) {
    limiter.fail(key);
    throw new MatomoApiError('The current password you entered is not correct.');
  }
  limiter.succeed(key);
}

/** The plugin's client management module: super users only, through a matomo:superuser token. */
export const oauth2Methods: MethodTable = {
  'OAuth2.getClients': {
    access: 'superuser',
    run: ({ services }) => services.clientService.list(),
  },

  'OAuth2.getClient': {
    access: 'superuser',
    async run(context) {
      return clientJson(await context.services.clientService.get(clientId(context)));
    },
  },

  'OAuth2.getScopes': {
    access: 'superuser',
    async run() {
      return { ...scopeDescriptions };
    },
  },

  'OAuth2.createClient': {
    access: 'superuser',
    postOnly: true,
    async run(context) {
      const input = readClientInput(context.params);
      await confirmPassword(context);
      return context.services.clientService.create(input, context.caller.login, context.ip);
    },
  },

  'OAuth2.updateClient': {
    access: 'superuser',
    postOnly: true,
    async run(context) {
      const input = readClientInput(context.params);
      const id = await confirmedClientId(context);
      return context.services.clientService.update(id, input, context.caller.login, context.ip);
    },
  },

  'OAuth2.rotateSecret': {
    access: 'superuser',
    postOnly: true,
    async run(context) {
      const id = await confirmedClientId(context);
      return context.services.clientService.rotateSecret(id, context.caller.login, context.ip);
    },
  },

  'OAuth2.setClientActive': {
    access: 'superuser',
    async run(context) {
      const active = context.params.get('active');
      if (active !== '1' && active !== '0') throw new MatomoApiError('The parameter active must be 1 or 0.');
      const client = await context.services.clientService.setActive(
        clientId(context),
        active === '1',
        context.caller.login,
        context.ip,
      );
      return { client };
    },
  },

  'OAuth2.deleteClient': {
    access: 'superuser',
    postOnly: true,
    async run(context) {
      const id = await confirmedClientId(context);
      await context.services.clientService.delete(id, context.caller.login, context.ip);
      return { deleted: true };
    },
  },
};
