import {
  createUserService,
  type SiteAccessChoice,
  siteAccessChoices,
  type UserService,
  type UserSummary,
} from '../accounts/user.service';
import { NotFoundError } from '../errors/domain-error';
import { CliError, UsageError } from './cli-error';
import { type CommandGroup, type CommandInput, type DatabaseContext, wholeNumber } from './command';
import { details, isoTime, table } from './output';
import { passwordOptions, readNewPassword } from './password-input';

const shownOnce = 'The password is shown once, now: give it to its user.';

function service(context: DatabaseContext): UserService {
  return createUserService({ db: context.db, audit: context.audit, clock: context.clock });
}

/** The user named on the command line, or the one-line error every command gives. */
async function findUser(users: UserService, login: string): Promise<UserSummary> {
  try {
    return await users.get(login);
  } catch (error) {
    if (error instanceof NotFoundError) throw new CliError(`unknown user "${login.slice(0, 100)}"`);
    throw error;
  }
}

function userJson(user: UserSummary) {
  return {
    login: user.login,
    email: user.email,
    superuser: user.superuser,
    created_at: new Date(user.createdAt).toISOString(),
    access: user.access,
  };
}

function accessText(user: UserSummary): string {
  if (user.superuser) return 'every site (super user)';
  return user.access.map(({ idsite, access }) => `${idsite}:${access}`).join(' ') || 'none';
}

function userDetails(user: UserSummary): string {
  return details([
    ['login', user.login],
    ['e-mail', user.email],
    ['super user', user.superuser ? 'yes' : 'no'],
    ['access', accessText(user)],
    ['created', isoTime(user.createdAt)],
  ]);
}

function withPassword(lines: string[], password: { password: string; generated: boolean }): string {
  return [...lines, ...(password.generated ? ['', `password  ${password.password}`, shownOnce] : [])].join(
    '\n',
  );
}

/** What `set-access` was asked to do: one site's access, or super user status. */
function accessChange(
  input: CommandInput,
): { superuser: boolean } | { idsite: number; access: SiteAccessChoice } {
  const site = input.string('site');
  const access = input.string('access');
  const superuser = input.flag('superuser');
  const notSuperuser = input.flag('no-superuser');
  const forms = [site !== undefined || access !== undefined, superuser, notSuperuser].filter(Boolean).length;
  if (forms !== 1)
    throw new UsageError(
      'users set-access: give --site ID --access view|write|admin|none, or --superuser, or --no-superuser',
    );
  if (superuser || notSuperuser) return { superuser };
  if (site === undefined || access === undefined)
    throw new UsageError('users set-access: --site and --access go together');
  const level = siteAccessChoices.find((choice) => choice === access);
  if (level === undefined)
    throw new UsageError(`--access must be ${siteAccessChoices.join(', ')}, got "${access.slice(0, 40)}"`);
  return { idsite: wholeNumber(site, '--site'), access: level };
}

export const usersCommands: CommandGroup = {
  name: 'users',
  summary: 'the users who sign in, and their access',
  commands: [
    {
      name: 'users list',
      summary: 'every user and their access',
      async run(context) {
        const users = await service(context).list();
        context.out.result(users.map(userJson), () =>
          table(
            ['LOGIN', 'E-MAIL', 'ACCESS', 'CREATED'],
            users.map((user) => [user.login, user.email, accessText(user), isoTime(user.createdAt)]),
            'No users.',
          ),
        );
      },
    },
    {
      name: 'users create',
      args: ['LOGIN'],
      summary: 'a new user (at least 12 characters of password, not a common one)',
      options: {
        email: { type: 'string', value: 'EMAIL', description: 'required' },
        superuser: { type: 'boolean', description: 'a super user: every site, and the admin pages' },
        ...passwordOptions,
      },
      notes: [
        'Examples:',
        '  users create alice --email alice@example.org --generate',
        '  users create alice --email alice@example.org --password-file ./alice.txt',
        '  printf %s "$PASSWORD" | users create alice --email alice@example.org',
      ],
      async run(context, input) {
        const login = input.args[0] as string;
        const email = input.string('email');
        if (email === undefined) throw new UsageError('users create: --email is required');
        const password = await readNewPassword(input, context.io, 'users create');
        const user = await service(context).create(
          { login, email, password: password.password, superuser: input.flag('superuser') },
          context.actor,
        );
        context.out.result(
          { user: userJson(user), password: password.generated ? password.password : null },
          () => withPassword([`Created the user "${user.login}".`, '', userDetails(user)], password),
        );
      },
    },
    {
      name: 'users set-password',
      args: ['LOGIN'],
      summary: "a new password; the user's sign-in sessions end",
      options: passwordOptions,
      async run(context, input) {
        const users = service(context);
        const user = await findUser(users, input.args[0] as string);
        const password = await readNewPassword(input, context.io, 'users set-password');
        await users.setPassword(user.login, password.password, context.actor);
        context.out.result(
          { login: user.login, password: password.generated ? password.password : null },
          () => withPassword([`Set a new password for "${user.login}".`], password),
        );
      },
    },
    {
      name: 'users set-access',
      args: ['LOGIN'],
      summary: 'access to one site (view, write, admin, none), or super user status',
      options: {
        site: { type: 'string', value: 'ID', description: 'the site id (`sites list`)' },
        access: { type: 'string', value: 'LEVEL', description: 'view, write, admin, or none (removes it)' },
        superuser: { type: 'boolean', description: 'make the user a super user' },
        'no-superuser': {
          type: 'boolean',
          description: 'take super user status away (never from the last one)',
        },
      },
      notes: [
        'Examples:',
        '  users set-access alice --site 1 --access view',
        '  users set-access bob --superuser',
      ],
      async run(context, input) {
        const users = service(context);
        const user = await findUser(users, input.args[0] as string);
        const change = accessChange(input);
        if ('superuser' in change) await users.setSuperuser(user.login, change.superuser, context.actor);
        else await users.setSiteAccess(user.login, change.idsite, change.access, context.actor);
        const updated = await users.get(user.login);
        context.out.result(userJson(updated), () =>
          [`Access of "${updated.login}": ${accessText(updated)}.`].join('\n'),
        );
      },
    },
    {
      name: 'users delete',
      args: ['LOGIN'],
      summary: 'delete a user: their sign-ins and grants end, and the clients they own are deleted',
      async run(context, input) {
        const users = service(context);
        const user = await findUser(users, input.args[0] as string);
        const { deletedClients } = await users.delete(user.login, context.actor);
        context.out.result({ login: user.login, deleted: true, deleted_clients: deletedClients }, () =>
          [
            `Deleted the user "${user.login}".`,
            ...(deletedClients.length > 0
              ? [`Deleted the clients they owned: ${deletedClients.join(', ')}.`]
              : []),
          ].join('\n'),
        );
      },
    },
  ],
};
