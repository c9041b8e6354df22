// `clients …` against a temporary database: every command, its JSON, and its one-line errors.
import { postToken } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerOnceBoundPassed } from '../support/token-state-bound';
import { cli, cliError, cliJson, newDatabase, startOn } from './cli-harness';

interface ClientJson {
  client_id: string;
  name: string;
  description: string;
  type: string;
  grant_types: string[];
  scope: string;
  redirect_uris: string[];
  identity_scopes: string[];
  post_logout_redirect_uris: string[];
  active: boolean;
  owner_login: string;
  has_secret: boolean;
  updated_at: string;
}
interface WithSecret {
  client: ClientJson;
  secret: string | null;
}

let database: Awaited<ReturnType<typeof newDatabase>>;
let env: Record<string, string>;
beforeAll(async () => {
  database = await newDatabase();
  env = database.env;
  // The Matomo API answers a super user once there is a site to have access to.
  await cliJson(env, ['sites', 'add', '--name', 'Shop', '--url', 'https://shop.example.org']);
});
afterAll(() => database.remove());

const backend = [
  'clients',
  'create',
  '--name',
  'Reporting backend',
  '--grant-types',
  'client_credentials',
  '--scope',
  'matomo:read',
];

describe('clients create, list, show', () => {
  test('an empty list is a sentence for people and [] for tools', async () => {
    const fresh = await newDatabase();
    try {
      expect((await cli(fresh.env, ['clients', 'list'])).stdout).toContain('No clients yet');
      expect(await cliJson(fresh.env, ['clients', 'list'])).toEqual([]);
    } finally {
      fresh.remove();
    }
  });

  test('a confidential client: its secret is printed once, then only "has_secret"', async () => {
    const created = await cliJson<WithSecret>(env, backend);
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(created.client).toMatchObject({
      name: 'Reporting backend',
      type: 'confidential',
      grant_types: ['client_credentials'],
      scope: 'matomo:read',
      owner_login: 'admin',
      active: true,
      has_secret: true,
      identity_scopes: [],
      post_logout_redirect_uris: [],
    });
    const id = created.client.client_id;
    const shown = await cli(env, ['clients', 'show', id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(id);
    expect(shown.stdout).not.toContain(created.secret);
    const listed = await cliJson<ClientJson[]>(env, ['clients', 'list']);
    expect(listed.map((client) => client.client_id)).toContain(id);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const table = (await cli(env, ['clients', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(
      /^CLIENT ID\s+NAME\s+TYPE\s+GRANT TYPES\s+SCOPE\s+IDENTITY SCOPES\s+STATUS\s+CREATED\s+LAST USED$/,
    );
    expect(table.find((line) => line.startsWith(id))).toMatch(
      /Reporting backend\s+confidential\s+client_credentials\s+matomo:read\s+-\s+active/,
    );
  });

  test('the human output of create carries the secret once, with a note to store it', async () => {
    const result = await cli(env, backend);
    expect(result.code).toBe(0);
    const secret = /client_secret\s+(\S+)/.exec(result.stdout)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(result.stdout.split(secret as string)).toHaveLength(2);
    expect(result.stdout).toContain('shown once');
  });

  test('a public client with redirect URIs, owned by the admin', async () => {
    const created = await cliJson<WithSecret>(env, [
      'clients',
      'create',
      '--name',
      'SPA',
      '--type',
      'public',
      '--grant-types',
      'authorization_code,refresh_token',
      '--scope',
      'matomo:write',
      '--redirect-uri',
      'https://app.example.org/callback',
      '--redirect-uri',
      'http://127.0.0.1/callback',
      '--description',
      'the dashboard',
    ]);
    expect(created.secret).toBeNull();
    expect(created.client).toMatchObject({
      type: 'public',
      has_secret: false,
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: ['https://app.example.org/callback', 'http://127.0.0.1/callback'],
      description: 'the dashboard',
    });
  });

  test('OpenID Connect settings: a comma list of identity scopes, repeatable post-logout redirect URIs; shown by show and list', async () => {
    const created = await cliJson<WithSecret>(env, [
      'clients',
      'create',
      '--name',
      'Signed-in SPA',
      '--type',
      'public',
      '--grant-types',
      'authorization_code',
      '--scope',
      'matomo:read',
      '--redirect-uri',
      'http://127.0.0.1/callback',
      '--identity-scopes',
      'email, openid,email',
      '--post-logout-redirect-uri',
      'http://127.0.0.1/',
      '--post-logout-redirect-uri',
      'https://app.example.org/bye',
    ]);
    expect(created.client).toMatchObject({
      identity_scopes: ['openid', 'email'],
      post_logout_redirect_uris: ['http://127.0.0.1/', 'https://app.example.org/bye'],
    });
    const id = created.client.client_id;
    const shown = (await cli(env, ['clients', 'show', id])).stdout;
    expect(shown).toMatch(/^identity scopes\s+openid, email$/m);
    expect(shown).toMatch(/^post-logout URIs\s+http:\/\/127\.0\.0\.1\/ https:\/\/app\.example\.org\/bye$/m);
    expect((await cliJson<ClientJson>(env, ['clients', 'show', id])).identity_scopes).toEqual([
      'openid',
      'email',
    ]);
    const row = (await cli(env, ['clients', 'list'])).stdout.split('\n').find((line) => line.startsWith(id));
    expect(row).toMatch(/matomo:read\s+openid,email\s+active/);
    const listed = await cliJson<ClientJson[]>(env, ['clients', 'list']);
    expect(listed.find((client) => client.client_id === id)?.post_logout_redirect_uris).toEqual([
      'http://127.0.0.1/',
      'https://app.example.org/bye',
    ]);
    // A client without them says so.
    const { client } = await cliJson<WithSecret>(env, backend);
    const plain = (await cli(env, ['clients', 'show', client.client_id])).stdout;
    expect(plain).toMatch(/^identity scopes\s+-$/m);
    expect(plain).toMatch(/^post-logout URIs\s+-$/m);
  });

  test.each([
    [
      ['--name', 'x', '--grant-types', 'password', '--scope', 'matomo:read'],
      /Unsupported grant_types: password/,
    ],
    [['--name', 'x', '--grant-types', 'client_credentials', '--scope', 'matomo:everything'], /Invalid scope/],
    [['--name', 'x', '--grant-types', 'client_credentials'], /Invalid scope/],
    [['--grant-types', 'client_credentials', '--scope', 'matomo:read'], /name/],
    [
      [
        '--name',
        'x',
        '--type',
        'confidentail',
        '--grant-types',
        'client_credentials',
        '--scope',
        'matomo:read',
      ],
      /--type must be confidential or public/,
    ],
    [
      ['--name', 'x', '--type', 'public', '--grant-types', 'client_credentials', '--scope', 'matomo:read'],
      /Public clients cannot use the client_credentials/,
    ],
    [
      ['--name', 'x', '--grant-types', 'authorization_code', '--scope', 'matomo:read'],
      /needs at least one redirect URI/,
    ],
    [
      [
        '--name',
        'x',
        '--grant-types',
        'authorization_code',
        '--scope',
        'matomo:read',
        '--redirect-uri',
        'http://example.org/cb',
      ],
      /Invalid redirect_uri/,
    ],
    [[...backend.slice(2), '--owner', 'nobody'], /^error: unknown user "nobody"$/m],
    [[...backend.slice(2), '--identity-scopes', 'openid,phone'], /^error: Invalid identity scope: phone$/m],
    [[...backend.slice(2), '--identity-scopes', 'profile'], /^error: profile and email need openid$/m],
    [
      [...backend.slice(2), '--post-logout-redirect-uri', 'http://app.example.org/'],
      /^error: Invalid post_logout_redirect_uri: http:\/\/app\.example\.org\/ \(must use https \(http only on loopback\)\)$/m,
    ],
    [
      [...backend.slice(2), '--post-logout-redirect-uri', ' https://app.example.org/'],
      /^error: Invalid post_logout_redirect_uri: {2}https:\/\/app\.example\.org\/ \(must not contain whitespace\)$/m,
    ],
    // The shared rules' message names the flag the operator types, not the API's parameter.
    [['--name', 'x'], /^error: Please provide a value for --grant-types\.$/m],
  ])('create refuses %j with one line', async (flags, message) => {
    const before = (await cliJson<unknown[]>(env, ['clients', 'list'])).length;
    const result = await cliError(env, ['clients', 'create', ...flags]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(await cliJson<unknown[]>(env, ['clients', 'list'])).toHaveLength(before);
  });

  test('an unknown client is one line for every command that takes an id', async () => {
    for (const command of ['show', 'update', 'rotate-secret', 'pause', 'resume', 'delete']) {
      const result = await cliError(env, ['clients', command, 'abc']);
      expect(result.stderr).toBe('error: unknown client "abc"\n');
      expect(result.code).toBe(1);
    }
  });

  test('a wrong command line exits 2: a missing id, an unknown flag, an unknown subcommand', async () => {
    expect((await cliError(env, ['clients', 'show'])).stderr).toBe('error: clients show: ID is missing\n');
    expect((await cliError(env, ['clients', 'list', '--nope'])).stderr).toMatch(/Unknown option '--nope'/);
    expect((await cliError(env, ['clients', 'frobnicate'])).stderr).toMatch(
      /unknown command "clients frobnicate"/,
    );
    expect((await cliError(env, ['clients'])).code).toBe(2);
    expect((await cliError(env, ['clients', 'show', 'a', 'b'])).code).toBe(2);
  });
});

describe('clients update, rotate-secret, pause, resume, delete', () => {
  test('update changes only the flags given', async () => {
    const { client } = await cliJson<WithSecret>(env, [...backend, '--description', 'nightly export']);
    const updated = await cliJson<WithSecret>(env, [
      'clients',
      'update',
      client.client_id,
      '--scope',
      'matomo:write',
    ]);
    expect(updated.secret).toBeNull();
    expect(updated.client).toEqual({
      ...client,
      scope: 'matomo:write',
      updated_at: updated.client.updated_at,
    });
    const renamed = await cliJson<WithSecret>(env, [
      'clients',
      'update',
      client.client_id,
      '--name',
      'Exporter',
    ]);
    expect(renamed.client).toMatchObject({
      name: 'Exporter',
      scope: 'matomo:write',
      description: 'nightly export',
    });
    expect((await cliError(env, ['clients', 'update', client.client_id, '--scope', 'root'])).stderr).toMatch(
      /Invalid scope/,
    );
  });

  test('--help of create and update names the OpenID Connect flags; update says how to remove them', async () => {
    for (const command of ['create', 'update']) {
      const help = (await cli({}, ['clients', command, '--help'])).stdout;
      expect(help).toMatch(
        /^ {2}--identity-scopes a,b\s+OpenID Connect scopes it may ask for: openid, profile, email;/m,
      );
      expect(help).toMatch(/^ {2}--post-logout-redirect-uri URI\s+repeatable;/m);
    }
    expect((await cli({}, ['clients', 'update', '--help'])).stdout).toContain(
      '(--post-logout-redirect-uri "" removes them; --identity-scopes "" removes the identity scopes)',
    );
  });

  test('update keeps the OpenID Connect settings unless given; given, they replace them; "" removes them', async () => {
    const { client } = await cliJson<WithSecret>(env, [
      ...backend,
      '--identity-scopes',
      'openid,profile',
      '--post-logout-redirect-uri',
      'https://app.example.org/bye',
    ]);
    const update = (...flags: string[]) =>
      cliJson<WithSecret>(env, ['clients', 'update', client.client_id, ...flags]);
    expect((await update('--name', 'Renamed')).client).toMatchObject({
      name: 'Renamed',
      identity_scopes: ['openid', 'profile'],
      post_logout_redirect_uris: ['https://app.example.org/bye'],
    });
    expect(
      (
        await update(
          '--identity-scopes',
          'openid',
          '--post-logout-redirect-uri',
          'https://app.example.org/a',
          '--post-logout-redirect-uri',
          'https://app.example.org/b',
        )
      ).client,
    ).toMatchObject({
      identity_scopes: ['openid'],
      post_logout_redirect_uris: ['https://app.example.org/a', 'https://app.example.org/b'],
    });
    expect((await update('--identity-scopes', '', '--post-logout-redirect-uri', '')).client).toMatchObject({
      identity_scopes: [],
      post_logout_redirect_uris: [],
    });
    expect(
      (await cliError(env, ['clients', 'update', client.client_id, '--identity-scopes', 'email'])).stderr,
    ).toBe('error: profile and email need openid\n');
  });

  test('public removes the secret; confidential again prints a new one, once', async () => {
    const { client } = await cliJson<WithSecret>(env, [
      'clients',
      'create',
      '--name',
      'Both ways',
      '--grant-types',
      'authorization_code',
      '--scope',
      'matomo:read',
      '--redirect-uri',
      'https://app.example.org/cb',
    ]);
    const made = await cliJson<WithSecret>(env, ['clients', 'update', client.client_id, '--type', 'public']);
    expect(made.client).toMatchObject({
      type: 'public',
      has_secret: false,
      redirect_uris: ['https://app.example.org/cb'],
    });
    const back = await cliJson<WithSecret>(env, [
      'clients',
      'update',
      client.client_id,
      '--type',
      'confidential',
    ]);
    expect(back.client.has_secret).toBe(true);
    expect(back.secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  test('rotate-secret, pause and resume work on a running server (the API within a second); delete removes it', async () => {
    const server = await startOn(env);
    try {
      const { client, secret } = await cliJson<WithSecret>(env, backend);
      const token = (id: string, password: string) =>
        postToken(server.url, { grant_type: 'client_credentials', client_id: id, client_secret: password });
      expect((await token(client.client_id, secret as string)).status).toBe(200);

      const rotated = await cliJson<{ client_id: string; secret: string }>(env, [
        'clients',
        'rotate-secret',
        client.client_id,
      ]);
      expect(rotated.client_id).toBe(client.client_id);
      expect(rotated.secret).not.toBe(secret);
      expect((await token(client.client_id, secret as string)).status).toBe(401);
      const issued = await token(client.client_id, rotated.secret);
      expect(issued.status).toBe(200);
      const bearer = { Authorization: `Bearer ${String(issued.body.access_token)}` };
      expect((await fetch(`${server.url}/api/API.getMatomoVersion`, { headers: bearer })).status).toBe(200);

      const paused = performance.now();
      expect((await cliJson<ClientJson>(env, ['clients', 'pause', client.client_id])).active).toBe(false);
      // The API remembers a checked token for at most a second (another process made the change).
      const api = () => fetch(`${server.url}/api/API.getMatomoVersion`, { headers: bearer });
      expect((await answerOnceBoundPassed(paused, api, (response) => response.status === 401)).status).toBe(
        401,
      );
      expect((await token(client.client_id, rotated.secret)).status).toBe(401);
      const resumed = await cli(env, ['clients', 'resume', client.client_id]);
      expect(resumed.stdout).toMatch(/^Resumed the client "Reporting backend"/);
      expect((await token(client.client_id, rotated.secret)).status).toBe(200);

      expect(await cliJson(env, ['clients', 'delete', client.client_id])).toEqual({
        client_id: client.client_id,
        deleted: true,
      });
      expect((await cliError(env, ['clients', 'show', client.client_id])).stderr).toMatch(/unknown client/);
      expect((await token(client.client_id, rotated.secret)).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  test('rotate-secret of a public client is refused in one line', async () => {
    const { client } = await cliJson<WithSecret>(env, [
      'clients',
      'create',
      '--name',
      'Public',
      '--type',
      'public',
      '--grant-types',
      'authorization_code',
      '--scope',
      'matomo:read',
      '--redirect-uri',
      'http://[::1]/cb',
    ]);
    expect((await cliError(env, ['clients', 'rotate-secret', client.client_id])).stderr).toMatch(
      /client type/,
    );
  });

  test('every change is in the audit log, with the operator as actor and no secret', async () => {
    const { client, secret } = await cliJson<WithSecret>(env, backend);
    await cliJson(env, ['clients', 'pause', client.client_id]);
    const entries = await cliJson<{ event: string; actor: string; client_id: string }[]>(env, [
      'audit',
      'tail',
      '--client',
      client.client_id,
    ]);
    expect(entries.map((entry) => entry.event)).toEqual(['client.created', 'client.paused']);
    expect(entries.every((entry) => entry.actor === 'admin')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(secret);
  });
});
