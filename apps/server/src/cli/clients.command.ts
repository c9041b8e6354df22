import type { Client } from '../clients/client';
import { type ClientService, createClientService } from '../clients/client.service';
import { checkClientSettings } from '../clients/client-settings';
import { NotFoundError } from '../errors/domain-error';
import { clientJson } from '../matomo/methods/client-json';
import { grantTypes } from '../protocol/grant-types';
import { identityScopes } from '../protocol/identity-scopes';
import { scopes } from '../protocol/scopes';
import * as users from '../users/user.repository';
import { CliError } from './cli-error';
import type { CommandGroup, CommandInput, CommandOption, DatabaseContext } from './command';
import { details, isoTime, table } from './output';

const settingOptions: Record<string, CommandOption> = {
  name: { type: 'string', value: 'NAME', description: 'the name people see on the consent page' },
  type: { type: 'string', value: 'confidential|public', description: 'a public client has no secret' },
  'grant-types': { type: 'string', value: 'a,b', description: grantTypes.join(', ') },
  scope: { type: 'string', value: 'SCOPE', description: `the client's ceiling: ${scopes.join(', ')}` },
  'redirect-uri': {
    type: 'string',
    multiple: true,
    value: 'URI',
    description: 'repeatable; https, or http on loopback; required with authorization_code',
  },
  'identity-scopes': {
    type: 'string',
    value: 'a,b',
    description: `OpenID Connect scopes it may ask for: ${identityScopes.join(', ')}; the last two need openid`,
  },
  'post-logout-redirect-uri': {
    type: 'string',
    multiple: true,
    value: 'URI',
    description: 'repeatable; where signing out may send people back; rules of --redirect-uri',
  },
  description: { type: 'string', value: 'TEXT', description: 'shown to administrators' },
};

const secretNote = 'The secret is shown once, now: store it where the application reads it.';

function service(context: DatabaseContext): ClientService {
  return createClientService({ db: context.db, audit: context.audit, clock: context.clock });
}

/** The client named on the command line, or the one-line error every command gives. */
async function findClient(clients: ClientService, id: string): Promise<Client> {
  try {
    return await clients.get(id);
  } catch (error) {
    if (error instanceof NotFoundError) throw new CliError(`unknown client "${id.slice(0, 100)}"`);
    throw error;
  }
}

/** A comma-separated flag (`--grant-types a,b`), or undefined when not given; `""` is an empty list. */
function commaList(input: CommandInput, name: string): string[] | undefined {
  const value = input.string(name);
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
}

/** `--post-logout-redirect-uri`, each as typed, or undefined when not given; `""` alone means none. */
function postLogoutRedirectUrisOf(input: CommandInput): string[] | undefined {
  const uris = input.strings('post-logout-redirect-uri');
  return uris.length === 0 ? undefined : uris.filter((uri) => uri !== '');
}

function clientDetails(client: Client): string {
  return details([
    ['client_id', client.clientId],
    ['name', client.name],
    ['type', client.type],
    ['grant types', client.grantTypes.join(', ')],
    ['scope', client.scope],
    ['redirect URIs', client.redirectUris.join(' ') || '-'],
    ['identity scopes', client.identityScopes.join(', ') || '-'],
    ['post-logout URIs', client.postLogoutRedirectUris.join(' ') || '-'],
    ['status', client.active ? 'active' : 'paused'],
    ['secret', client.secretDigest === null ? 'none' : 'set (shown only when created or rotated)'],
    ['owner', client.ownerLogin],
    ['description', client.description || '-'],
    ['created', isoTime(client.createdAt)],
    ['updated', isoTime(client.updatedAt)],
    ['last used', isoTime(client.lastUsedAt)],
  ]);
}

/** A client and, when one was just made, its secret: printed this once and never again. */
function withSecret(heading: string, client: Client, secret: string | null): string {
  const lines = [heading, '', clientDetails(client)];
  if (secret !== null) lines.push('', `client_secret  ${secret}`, secretNote);
  return lines.join('\n');
}

export const clientsCommands: CommandGroup = {
  name: 'clients',
  summary: 'OAuth clients (applications)',
  commands: [
    {
      name: 'clients list',
      summary: 'every client, the most recently changed first',
      async run(context) {
        const clients = await service(context).list();
        context.out.result(clients.map(clientJson), () =>
          table(
            [
              'CLIENT ID',
              'NAME',
              'TYPE',
              'GRANT TYPES',
              'SCOPE',
              'IDENTITY SCOPES',
              'STATUS',
              'CREATED',
              'LAST USED',
            ],
            clients.map((client) => [
              client.clientId,
              client.name,
              client.type,
              client.grantTypes.join(','),
              client.scope,
              client.identityScopes.join(',') || '-',
              client.active ? 'active' : 'paused',
              isoTime(client.createdAt),
              isoTime(client.lastUsedAt),
            ]),
            'No clients yet: add one with `clients create`.',
          ),
        );
      },
    },
    {
      name: 'clients show',
      args: ['ID'],
      summary: 'one client (never its secret)',
      async run(context, input) {
        const client = await findClient(service(context), input.args[0] as string);
        context.out.result(clientJson(client), () => clientDetails(client));
      },
    },
    {
      name: 'clients create',
      summary: 'a new client; a confidential client gets a secret, printed once',
      options: {
        ...settingOptions,
        owner: {
          type: 'string',
          value: 'LOGIN',
          description:
            'the user whose access a client credentials token uses (default: ADMIN_LOGIN; must exist)',
        },
      },
      notes: [
        'Example:',
        '  clients create --name "Reporting backend" --grant-types client_credentials --scope matomo:read',
        '  clients create --name "Dashboard" --type public --grant-types authorization_code,refresh_token \\',
        '    --scope matomo:read --redirect-uri https://dashboard.example.org/callback \\',
        '    --identity-scopes openid,profile --post-logout-redirect-uri https://dashboard.example.org/',
      ],
      async run(context, input) {
        const owner = input.string('owner') ?? context.config.adminLogin;
        if (!(await users.find(context.db, owner)))
          throw new CliError(`unknown user "${owner.slice(0, 100)}"`);
        checkType(input);
        const settings = checkClientSettings({
          name: input.string('name'),
          description: input.string('description'),
          grantTypes: commaList(input, 'grant-types') ?? [],
          scope: input.string('scope'),
          type: input.string('type'),
          redirectUris: input.strings('redirect-uri'),
          identityScopes: commaList(input, 'identity-scopes'),
          postLogoutRedirectUris: postLogoutRedirectUrisOf(input),
        });
        const { client, secret } = await service(context).create(settings, context.actor, owner);
        context.out.result({ client: clientJson(client), secret }, () =>
          withSecret(`Created the client "${client.name}".`, client, secret),
        );
      },
    },
    {
      name: 'clients update',
      args: ['ID'],
      summary: 'change a client; a flag not given keeps its value',
      options: settingOptions,
      notes: [
        '--redirect-uri replaces every redirect URI, and --post-logout-redirect-uri every post-logout one',
        '(--post-logout-redirect-uri "" removes them; --identity-scopes "" removes the identity scopes).',
        'Making a client public removes its secret and ends its tokens; making it confidential generates',
        'a secret, printed once.',
      ],
      async run(context, input) {
        const clients = service(context);
        const current = await findClient(clients, input.args[0] as string);
        checkType(input);
        const uris = input.strings('redirect-uri');
        const settings = checkClientSettings({
          name: input.string('name') ?? current.name,
          description: input.string('description') ?? current.description,
          grantTypes: commaList(input, 'grant-types') ?? current.grantTypes,
          scope: input.string('scope') ?? current.scope,
          type: input.string('type') ?? current.type,
          redirectUris: uris.length > 0 ? uris : current.redirectUris,
          // Unset keeps the client's own (`ClientService.update`).
          identityScopes: commaList(input, 'identity-scopes'),
          postLogoutRedirectUris: postLogoutRedirectUrisOf(input),
        });
        const { client, secret } = await clients.update(current.clientId, settings, context.actor);
        context.out.result({ client: clientJson(client), secret }, () =>
          withSecret(`Updated the client "${client.name}".`, client, secret),
        );
      },
    },
    {
      name: 'clients rotate-secret',
      args: ['ID'],
      summary: 'a new secret, printed once; the old one fails at once, with its tokens',
      async run(context, input) {
        const clients = service(context);
        const current = await findClient(clients, input.args[0] as string);
        const { client, secret } = await clients.rotateSecret(current.clientId, context.actor);
        context.out.result({ client_id: client.clientId, secret }, () =>
          [`New secret for "${client.name}" (${client.clientId}):`, '', secret, '', secretNote].join('\n'),
        );
      },
    },
    {
      name: 'clients pause',
      args: ['ID'],
      summary: 'refuse the client; ends every token and login it has (resuming brings none back)',
      run: (context, input) => setActive(context, input, false),
    },
    {
      name: 'clients resume',
      args: ['ID'],
      summary: 'accept a paused client again',
      run: (context, input) => setActive(context, input, true),
    },
    {
      name: 'clients delete',
      args: ['ID'],
      summary: 'delete a client, with every grant and token it has',
      async run(context, input) {
        const clients = service(context);
        const current = await findClient(clients, input.args[0] as string);
        await clients.delete(current.clientId, context.actor);
        context.out.result(
          { client_id: current.clientId, deleted: true },
          () => `Deleted the client "${current.name}" (${current.clientId}).`,
        );
      },
    },
  ],
};

/** `checkClientSettings` takes anything but `public` for confidential (the plugin's rule); a person's typo is refused. */
function checkType(input: CommandInput): void {
  const type = input.string('type');
  if (type !== undefined && type !== 'confidential' && type !== 'public')
    throw new CliError(`--type must be confidential or public, got "${type.slice(0, 40)}"`);
}

async function setActive(context: DatabaseContext, input: CommandInput, active: boolean): Promise<void> {
  const clients = service(context);
  const current = await findClient(clients, input.args[0] as string);
  const client = await clients.setActive(current.clientId, active, context.actor);
  context.out.result(
    clientJson(client),
    () => `${active ? 'Resumed' : 'Paused'} the client "${client.name}" (${client.clientId}).`,
  );
}
