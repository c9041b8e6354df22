// `users …` against a temporary database: passwords never on the command line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgent } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminPassword, cli, cliError, cliJson, newDatabase, startOn } from './cli-harness';

interface UserJson {
  login: string;
  email: string;
  superuser: boolean;
  access: { idsite: number; access: string }[];
}

let database: Awaited<ReturnType<typeof newDatabase>>;
let env: Record<string, string>;
beforeAll(async () => {
  database = await newDatabase();
  env = database.env;
  await cliJson(env, ['sites', 'add', '--name', 'Shop']);
  await cliJson(env, ['sites', 'add', '--name', 'Blog']);
});
afterAll(() => database.remove());

/** Whether `login` can sign in with `password` on a server over this database. */
async function signsIn(login: string, password: string): Promise<boolean> {
  const server = await startOn(env);
  try {
    const agent = createAgent(server.url);
    const page = await (await agent.get('/login')).text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const response = await agent.postForm('/login', { csrf_token: csrf, login, password });
    return response.status === 303;
  } finally {
    await server.close();
  }
}

describe('users create', () => {
  test('--generate prints the password once, and it works', async () => {
    const created = await cliJson<{ user: UserJson; password: string }>(env, [
      'users',
      'create',
      'alice',
      '--email',
      'alice@example.org',
      '--generate',
    ]);
    expect(created.user).toEqual({
      login: 'alice',
      email: 'alice@example.org',
      superuser: false,
      created_at: expect.any(String),
      access: [],
    });
    expect(created.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await signsIn('alice', created.password)).toBe(true);
    // Nowhere else: not in the list, not in the audit log.
    expect(JSON.stringify(await cliJson(env, ['users', 'list']))).not.toContain(created.password);
    expect(JSON.stringify(await cliJson(env, ['audit', 'tail', '-n', '100']))).not.toContain(
      created.password,
    );
  });

  test('from --password-file (its first line), or from standard input when it is not a terminal', async () => {
    const file = join(database.dir, 'bob.txt');
    writeFileSync(file, 'correct horse battery staple\n');
    const fromFile = await cli(env, [
      'users',
      'create',
      'bob',
      '--email',
      'bob@example.org',
      '--password-file',
      file,
    ]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).not.toContain('correct horse');
    expect(await signsIn('bob', 'correct horse battery staple')).toBe(true);

    const piped = await cliJson<{ password: null }>(
      env,
      ['users', 'create', 'carol', '--email', 'carol@example.org', '--superuser'],
      { stdin: 'a long piped passphrase\nignored second line\n' },
    );
    expect(piped.password).toBeNull();
    expect(await signsIn('carol', 'a long piped passphrase')).toBe(true);
  });

  test.each([
    [
      ['users', 'create', 'dave', '--email', 'dave@example.org'],
      { isTTY: true },
      /--password-file FILE, on standard input, or --generate/,
    ],
    [
      ['users', 'create', 'dave', '--email', 'dave@example.org'],
      { stdin: 'short\n' },
      /at least 12 characters/,
    ],
    [
      ['users', 'create', 'dave', '--email', 'dave@example.org'],
      { stdin: 'password1234\n' },
      /too easy to guess|common/,
    ],
    [['users', 'create', 'dave', '--email', 'dave@example.org'], { stdin: '' }, /the password is empty/],
    [['users', 'create', 'dave', '--generate'], {}, /--email is required/],
    [['users', 'create', 'dave', '--email', 'not-an-address', '--generate'], {}, /valid e-mail/],
    [['users', 'create', 'alice', '--email', 'a@example.org', '--generate'], {}, /already taken/],
    [['users', 'create', 'x y', '--email', 'a@example.org', '--generate'], {}, /The login must be/],
    [
      ['users', 'create', 'dave', '--email', 'dave@example.org', '--password-file', '/nonexistent'],
      {},
      /cannot read \/nonexistent \(ENOENT\)/,
    ],
    [
      ['users', 'create', 'dave', '--email', 'd@example.org', '--generate', '--password-file', '/x'],
      {},
      /not both/,
    ],
    [
      ['users', 'create', 'dave', '--email', 'dave@example.org', '--password', 'on-the-command-line'],
      {},
      /Unknown option '--password'/,
    ],
  ])('%j %j is refused in one line, and creates nobody', async (argv, options, message) => {
    expect((await cliError(env, argv, options)).stderr).toMatch(message);
    const logins = (await cliJson<UserJson[]>(env, ['users', 'list'])).map((user) => user.login);
    expect(logins).not.toContain('dave');
  });
});

describe('users set-password, set-access, delete', () => {
  test('set-password: the new password works, the old one no longer', async () => {
    const { password } = await cliJson<{ password: string }>(env, [
      'users',
      'create',
      'erin',
      '--email',
      'erin@example.org',
      '--generate',
    ]);
    const changed = await cliJson<{ login: string; password: string }>(env, [
      'users',
      'set-password',
      'erin',
      '--generate',
    ]);
    expect(changed.login).toBe('erin');
    expect(await signsIn('erin', changed.password)).toBe(true);
    expect(await signsIn('erin', password)).toBe(false);
    expect((await cliError(env, ['users', 'set-password', 'nobody', '--generate'])).stderr).toBe(
      'error: unknown user "nobody"\n',
    );
  });

  test('set-access per site, and super user status', async () => {
    await cliJson(env, ['users', 'create', 'frank', '--email', 'frank@example.org', '--generate']);
    expect(
      await cliJson<UserJson>(env, ['users', 'set-access', 'frank', '--site', '1', '--access', 'view']),
    ).toMatchObject({
      access: [{ idsite: 1, access: 'view' }],
    });
    await cliJson(env, ['users', 'set-access', 'frank', '--site', '2', '--access', 'write']);
    await cliJson(env, ['users', 'set-access', 'frank', '--site', '1', '--access', 'none']);
    const table = (await cli(env, ['users', 'list'])).stdout;
    expect(table).toMatch(/^frank\s+frank@example\.org\s+2:write\s/m);
    expect(await cliJson<UserJson>(env, ['users', 'set-access', 'frank', '--superuser'])).toMatchObject({
      superuser: true,
    });
    expect(await cliJson<UserJson>(env, ['users', 'set-access', 'frank', '--no-superuser'])).toMatchObject({
      superuser: false,
    });
  });

  test.each([
    [['users', 'set-access', 'frank', '--site', '1'], /--site and --access go together/],
    [
      ['users', 'set-access', 'frank', '--site', '1', '--access', 'owner'],
      /--access must be none, view, write, admin/,
    ],
    [
      ['users', 'set-access', 'frank', '--site', '99', '--access', 'view'],
      /The website id = 99 does not exist/,
    ],
    [['users', 'set-access', 'frank'], /give --site ID --access/],
    [
      ['users', 'set-access', 'frank', '--superuser', '--site', '1', '--access', 'view'],
      /give --site ID --access/,
    ],
    [
      ['users', 'set-access', 'admin', '--site', '1', '--access', 'view'],
      /super user and has access to every site/,
    ],
    [['users', 'set-access', 'nobody', '--superuser'], /^error: unknown user "nobody"$/m],
  ])('set-access %j is refused in one line', async (argv, message) => {
    expect((await cliError(env, argv)).stderr).toMatch(message);
  });

  test('delete: the user and the clients they own; never the last super user', async () => {
    await cliJson(env, ['users', 'create', 'grace', '--email', 'grace@example.org', '--generate']);
    const { client } = await cliJson<{ client: { client_id: string } }>(env, [
      'clients',
      'create',
      '--name',
      "Grace's export",
      '--grant-types',
      'client_credentials',
      '--scope',
      'matomo:read',
      '--owner',
      'grace',
    ]);
    expect(await cliJson(env, ['users', 'delete', 'grace'])).toEqual({
      login: 'grace',
      deleted: true,
      deleted_clients: [client.client_id],
    });
    expect((await cliError(env, ['clients', 'show', client.client_id])).stderr).toMatch(/unknown client/);
    expect((await cliError(env, ['users', 'delete', 'grace'])).stderr).toBe('error: unknown user "grace"\n');

    // carol is a super user too (created above); once she is gone, admin is the last one.
    await cliJson(env, ['users', 'delete', 'carol']);
    expect((await cliError(env, ['users', 'delete', 'admin'])).stderr).toMatch(/last super user/);
    expect((await cliError(env, ['users', 'set-access', 'admin', '--no-superuser'])).stderr).toMatch(
      /last super user/,
    );
    expect(await signsIn('admin', adminPassword)).toBe(true);
  });
});
