import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openTestDb } from '../../test/support/database-under-test';
import { createAuditLog } from '../audit/audit-log';
import { registerClient } from '../clients/client-registration';
import { verifyPassword } from '../crypto/password';
import { type Db, migrateToLatest } from '../db/database';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import { createLogger } from '../logging/logger';
import { createSessionStore } from '../sessions/session-store';
import * as sites from '../sites/site.repository';
import * as codes from '../tokens/authorization-code.repository';
import * as grants from '../tokens/grant.repository';
import * as users from '../users/user.repository';
import { createUserService, type UserService } from './user.service';

const actor = { login: 'root', ip: '192.0.2.1' };
let temp: ReturnType<typeof makeTempDir>;
let db: Db;
let service: UserService;
let audit: ReturnType<typeof createAuditLog>;
const clock = () => 1_700_000_000_000;

beforeEach(async () => {
  temp = makeTempDir();
  db = await openTestDb(join(temp.dir, 'users.sqlite'));
  await migrateToLatest(db);
  audit = createAuditLog({ db, clock, logger: createLogger({ level: 'silent' }) });
  service = createUserService({ db, audit, clock });
  await service.create(
    { login: 'root', email: 'root@example.org', password: 'root-password-1', superuser: true },
    actor,
  );
  await sites.insert(db, {
    name: 'Site',
    main_url: 'https://a.example',
    urls: '[]',
    ts_created: clock(),
    timezone: 'UTC',
    currency: 'EUR',
    creator_login: 'root',
  });
});
afterEach(async () => {
  await audit.close();
  await db.destroy();
  temp.remove();
});

async function events() {
  await audit.committed();
  return (await db.selectFrom('audit_log').select(['event', 'detail']).orderBy('id').execute()).map(
    (row) => ({
      event: row.event,
      detail: JSON.parse(row.detail),
    }),
  );
}

async function expectThrows<T extends Error>(
  work: Promise<unknown>,
  type: new (...args: never[]) => T,
  message: string | RegExp,
  field?: string,
) {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  if (field !== undefined) expect((error as ValidationError).field).toBe(field);
}

describe('create', () => {
  test.each([
    ['a', 'login'],
    ['has space', 'login'],
    ['x'.repeat(101), 'login'],
    ['semi;colon', 'login'],
    ['New', 'login'],
  ])('refuses the login %j', async (login, field) => {
    await expectThrows(
      service.create({ login, email: 'a@example.org', password: 'long-enough-pw' }, actor),
      ValidationError,
      /login must be|reserved/,
      field,
    );
  });

  test.each(['no-at', 'a@b', 'a b@example.org', '<a>@example.org'])(
    'refuses the e-mail %j',
    async (email) => {
      await expectThrows(
        service.create({ login: 'alice', email, password: 'long-enough-pw' }, actor),
        ValidationError,
        /e-mail/,
        'email',
      );
    },
  );

  test('refuses a weak password, and a login taken in another case, or by a client id', async () => {
    await expectThrows(
      service.create({ login: 'alice', email: 'a@example.org', password: 'short' }, actor),
      ValidationError,
      /at least 12/,
      'password',
    );
    await expectThrows(
      service.create({ login: 'ROOT', email: 'a@example.org', password: 'long-enough-pw' }, actor),
      ConflictError,
      /already taken/,
    );
    await registerClient(
      db,
      {
        clientId: 'some_client',
        name: 'C',
        ownerLogin: 'root',
        grantTypes: ['client_credentials'],
        scope: 'matomo:read',
        secret: 's',
      },
      clock(),
    );
    await expectThrows(
      service.create({ login: 'some_client', email: 'a@example.org', password: 'long-enough-pw' }, actor),
      ConflictError,
      /already taken/,
    );
  });

  test('stores a password hash, never the password, and records who created whom', async () => {
    const created = await service.create(
      { login: 'alice', email: ' alice@example.org ', password: 'alice-password-1' },
      actor,
    );
    expect(created).toMatchObject({
      login: 'alice',
      email: 'alice@example.org',
      superuser: false,
      access: [],
    });
    const row = await users.find(db, 'alice');
    expect(row?.password_hash).not.toContain('alice-password-1');
    expect(await verifyPassword('alice-password-1', row?.password_hash ?? '')).toBe(true);
    const all = await events();
    expect(all.at(-1)).toEqual({ event: 'user.created', detail: { login: 'alice', superuser: false } });
    expect(JSON.stringify(all)).not.toContain('alice-password-1');
  });
});

describe('access', () => {
  test('per site: set, change, remove; unknown sites and levels refused; super users need none', async () => {
    await service.create({ login: 'alice', email: 'a@example.org', password: 'alice-password-1' }, actor);
    await service.setSiteAccess('alice', 1, 'view', actor);
    expect((await service.get('alice')).access).toEqual([{ idsite: 1, access: 'view' }]);
    await service.setSiteAccess('alice', 1, 'admin', actor);
    expect((await service.get('alice')).access).toEqual([{ idsite: 1, access: 'admin' }]);
    await service.setSiteAccess('alice', 1, 'none', actor);
    expect((await service.get('alice')).access).toEqual([]);
    await expectThrows(service.setSiteAccess('alice', 99, 'view', actor), NotFoundError, /does not exist/);
    await expectThrows(
      service.setSiteAccess('alice', 1, 'superuser' as 'view', actor),
      ValidationError,
      /none, view, write or admin/,
      'access',
    );
    await expectThrows(service.setSiteAccess('root', 1, 'view', actor), ConflictError, /super user/);
    await expectThrows(service.setSiteAccess('nobody', 1, 'view', actor), NotFoundError, /does not exist/);
  });

  test('the last super user can neither lose super user access nor be deleted; another one can', async () => {
    await expectThrows(service.setSuperuser('root', false, actor), ConflictError, /last super user/);
    await expectThrows(service.delete('root', actor), ConflictError, /last super user/);
    await service.create(
      { login: 'second', email: 's@example.org', password: 'second-password', superuser: true },
      actor,
    );
    await service.setSuperuser('root', false, actor);
    expect((await service.get('root')).superuser).toBe(false);
    await expectThrows(service.delete('second', actor), ConflictError, /last super user/);
  });
});

describe('ending access', () => {
  async function signedInWithGrant(login: string) {
    const sessions = createSessionStore({ db, clock, ttlMs: 60_000 });
    const { cookieValue } = await sessions.create(login);
    await registerClient(
      db,
      {
        clientId: `${login}_app`,
        name: 'App',
        ownerLogin: login,
        grantTypes: ['client_credentials'],
        scope: 'matomo:read',
        secret: 'x',
      },
      clock(),
    );
    await registerClient(
      db,
      {
        clientId: 'spa',
        name: 'SPA',
        ownerLogin: 'root',
        grantTypes: ['authorization_code'],
        scope: 'matomo:read',
        redirectUris: ['https://a.example/cb'],
      },
      clock(),
    ).catch(() => undefined);
    await grants.insert(db, {
      grant_id: `g-${login}`,
      client_id: 'spa',
      user_login: login,
      scope: 'matomo:read',
      created_at: clock(),
      expires_at: clock() + 60_000,
      revoked_at: null,
      access_token_jti: 'j',
    });
    return { sessions, cookieValue };
  }

  test('a new password ends the user’s sessions, and must follow the policy', async () => {
    await service.create({ login: 'alice', email: 'a@example.org', password: 'alice-password-1' }, actor);
    const { sessions, cookieValue } = await signedInWithGrant('alice');
    await expectThrows(
      service.setPassword('alice', 'tiny', actor),
      ValidationError,
      /at least 12/,
      'password',
    );
    expect(await sessions.find(cookieValue)).toBeDefined();
    await service.setPassword('alice', 'alice-password-2', actor);
    expect(await sessions.find(cookieValue)).toBeUndefined();
    expect(
      await verifyPassword('alice-password-2', (await users.find(db, 'alice'))?.password_hash ?? ''),
    ).toBe(true);
  });

  test('deleting a user ends their sessions and grants, and deletes the clients they own', async () => {
    await service.create({ login: 'alice', email: 'a@example.org', password: 'alice-password-1' }, actor);
    const { sessions, cookieValue } = await signedInWithGrant('alice');
    const { deletedClients } = await service.delete('alice', actor);
    expect(deletedClients).toEqual(['alice_app']);
    expect(await sessions.find(cookieValue)).toBeUndefined();
    expect(
      await db.selectFrom('grants').select('grant_id').where('user_login', '=', 'alice').execute(),
    ).toEqual([]);
    expect(await db.selectFrom('clients').select('client_id').orderBy('client_id').execute()).toEqual([
      { client_id: 'spa' },
    ]);
    await expectThrows(service.get('alice'), NotFoundError, /does not exist/);
    const names = (await events()).map((entry) => entry.event);
    expect(names.slice(-2)).toEqual(['client.deleted', 'user.deleted']);
  });
});

test('two changes at once cannot take away the last two super users (regression: count and change raced)', async () => {
  await service.create(
    { login: 'second', email: 's@example.org', password: 'second-password', superuser: true },
    actor,
  );
  const results = await Promise.allSettled([
    service.setSuperuser('root', false, actor),
    service.setSuperuser('second', false, actor),
  ]);
  expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  expect(await users.countSuperusers(db)).toBe(1);

  await service.create(
    { login: 'third', email: 't@example.org', password: 'third-password', superuser: true },
    actor,
  );
  const superusers = (await service.list()).filter((user) => user.superuser).map((user) => user.login);
  const deletions = await Promise.allSettled(superusers.map((login) => service.delete(login, actor)));
  expect(deletions.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  expect(await users.countSuperusers(db)).toBe(1);
});

async function entries() {
  await audit.committed();
  return (
    await db
      .selectFrom('audit_log')
      .select(['event', 'actor', 'ip', 'client_id', 'detail'])
      .orderBy('id')
      .execute()
  ).map((row) => ({ ...row, detail: JSON.parse(row.detail) }));
}

async function addSite() {
  await sites.insert(db, {
    name: 'Site 2',
    main_url: 'https://b.example',
    urls: '[]',
    ts_created: clock(),
    timezone: 'UTC',
    currency: 'EUR',
    creator_login: 'root',
  });
}

const alice = { login: 'alice', email: 'alice@example.org', password: 'alice-password-1' };

describe('messages people see', () => {
  test.each([
    [{ login: 'a' }, 'The login must be 2 to 100 characters: letters, digits, or _ - . @ +', 'login'],
    [{ login: 'new' }, 'The login "new" is reserved; choose another.', 'login'],
    [{ email: 'nope' }, 'Please enter a valid e-mail address.', 'email'],
  ])('create %j: %s', async (change, message, field) => {
    await expectThrows(service.create({ ...alice, ...change }, actor), ValidationError, message, field);
    const error = await service.create({ ...alice, ...change }, actor).catch((caught: Error) => caught);
    expect((error as Error).message).toBe(message);
  });

  test('the rest, word for word', async () => {
    const message = async (work: Promise<unknown>) =>
      (
        (await work.then(
          () => undefined,
          (caught: unknown) => caught,
        )) as Error | undefined
      )?.message;
    expect(await message(service.create({ ...alice, login: 'ROOT' }, actor))).toBe(
      'The login "ROOT" is already taken.',
    );
    await registerClient(
      db,
      {
        clientId: 'my_client',
        name: 'C',
        ownerLogin: 'root',
        grantTypes: ['client_credentials'],
        scope: 'matomo:read',
        secret: 's',
      },
      clock(),
    );
    expect(await message(service.create({ ...alice, login: 'my_client' }, actor))).toBe(
      'The login "my_client" is already taken.',
    );
    expect(await message(service.get('nobody'))).toBe('The user "nobody" does not exist.');
    expect(await message(service.get(`${'x'.repeat(100)}yz`))).toBe(
      `The user "${'x'.repeat(100)}" does not exist.`,
    );
    await service.create(alice, actor);
    expect(await message(service.setSiteAccess('alice', 99, 'view', actor))).toBe(
      'The website id = 99 does not exist.',
    );
    expect(await message(service.setSiteAccess('alice', 1, 'owner' as 'view', actor))).toBe(
      'The access must be none, view, write or admin.',
    );
    expect(await message(service.setSiteAccess('root', 1, 'view', actor))).toBe(
      '"root" is a super user and has access to every site.',
    );
    expect(await message(service.setSuperuser('root', false, actor))).toBe(
      'The last super user cannot lose super user access.',
    );
    expect(await message(service.delete('root', actor))).toBe('The last super user cannot be deleted.');
    expect(await message(service.setEmail('alice', 'bad', actor))).toBe(
      'Please enter a valid e-mail address.',
    );
  });

  test('a user deleted twice at once: the second finds no user', async () => {
    await service.create(alice, actor);
    const results = await Promise.allSettled([
      service.delete('alice', actor),
      service.delete('alice', actor),
    ]);
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const reason = (rejected[0] as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(NotFoundError);
    expect(reason.message).toBe('The user "alice" does not exist.');
  });
});

describe('logins and e-mails', () => {
  test.each(['ab', 'A1', 'x'.repeat(100), 'a_b.c@d+e-f', 'newer', 'renew', 'Zz09'])(
    'accepts the login %j',
    async (login) => {
      const created = await service.create({ ...alice, login }, actor);
      expect(created.login).toBe(login);
      expect((await service.get(login)).login).toBe(login);
    },
  );

  test.each(['a', 'x'.repeat(101), '!ab', 'ab!', 'a b', 'a\nb', 'a/b', 'ab#', 'NEW', 'new', 'nEw'])(
    'refuses the login %j',
    async (login) => {
      await expectThrows(service.create({ ...alice, login }, actor), ValidationError, /login/, 'login');
    },
  );

  test('trims the login and the e-mail', async () => {
    const created = await service.create({ ...alice, login: '  bob  ', email: '\tb@example.org ' }, actor);
    expect(created).toMatchObject({ login: 'bob', email: 'b@example.org' });
    expect((await users.find(db, 'bob'))?.email).toBe('b@example.org');
  });

  test.each([
    'a@b.cd',
    `${'x'.repeat(64)}@example.org`,
    `a@${'b'.repeat(249)}.org`,
    'first.last+tag@sub.example.org',
    'a@b-c.museum',
  ])('accepts the e-mail %j', async (email) => {
    expect((await service.create({ ...alice, email }, actor)).email).toBe(email);
  });

  test.each([
    '',
    '@example.org',
    `${'x'.repeat(65)}@example.org`,
    `a@${'b'.repeat(250)}.org`,
    'a@b.c',
    'a@b.c.d',
    'a@.org',
    'a@example.',
    'a@example',
    'a@@example.org',
    'a@exa mple.org',
    'a@example.o"g',
    'a"b@example.org',
    'a@example.org>',
    '<a@example.org',
    'a@exa<mple.org',
    'a@exa>mple.org',
    'a@exa"mple.org',
    'a b@example.org',
    'a@example.o g',
    'a@example.o@g',
    'a@example.o<g',
    'a@example.o>g',
    'x@a@example.org',
    'ab',
    'a@b.c\u00a0d',
  ])('refuses the e-mail %j', async (email) => {
    await expectThrows(service.create({ ...alice, email }, actor), ValidationError, /e-mail/, 'email');
  });

  test('a login is taken whatever its case', async () => {
    await service.create(alice, actor);
    for (const login of ['ALICE', 'Alice', 'alice'])
      await expectThrows(service.create({ ...alice, login }, actor), ConflictError, /already taken/);
  });
});

describe('reading users', () => {
  test('get and list show each user, with site access unless a super user', async () => {
    await addSite();
    await service.create(alice, actor);
    await service.create({ login: 'bob', email: 'bob@example.org', password: 'bob-password-12' }, actor);
    await service.create({ login: 'carol', email: 'carol@example.org', password: 'carol-password-1' }, actor);
    await service.setSiteAccess('alice', 2, 'write', actor);
    await service.setSiteAccess('alice', 1, 'view', actor);
    await service.setSiteAccess('bob', 2, 'admin', actor);
    await service.setSiteAccess('carol', 1, 'view', actor);
    await service.setSuperuser('carol', true, actor);
    const createdAt = clock();
    expect(await service.get('alice')).toEqual({
      login: 'alice',
      email: 'alice@example.org',
      superuser: false,
      createdAt,
      access: expect.arrayContaining([
        { idsite: 1, access: 'view' },
        { idsite: 2, access: 'write' },
      ]),
    });
    expect((await service.get('alice')).access).toHaveLength(2);
    expect(await service.get('carol')).toEqual({
      login: 'carol',
      email: 'carol@example.org',
      superuser: true,
      createdAt,
      access: [],
    });
    expect(await service.list()).toEqual([
      {
        login: 'alice',
        email: 'alice@example.org',
        superuser: false,
        createdAt,
        access: [
          { idsite: 1, access: 'view' },
          { idsite: 2, access: 'write' },
        ],
      },
      {
        login: 'bob',
        email: 'bob@example.org',
        superuser: false,
        createdAt,
        access: [{ idsite: 2, access: 'admin' }],
      },
      { login: 'carol', email: 'carol@example.org', superuser: true, createdAt, access: [] },
      { login: 'root', email: 'root@example.org', superuser: true, createdAt, access: [] },
    ]);
  });

  test('a login of exactly 100 characters is found', async () => {
    const login = 'y'.repeat(100);
    await service.create({ ...alice, login }, actor);
    expect((await service.get(login)).login).toBe(login);
    await service.setEmail(login, 'y@example.org', actor);
    expect((await service.get(login)).email).toBe('y@example.org');
  });

  test('create returns the new user, super user or not', async () => {
    expect(await service.create({ ...alice, superuser: true }, actor)).toEqual({
      login: 'alice',
      email: 'alice@example.org',
      superuser: true,
      createdAt: clock(),
      access: [],
    });
    expect((await users.find(db, 'alice'))?.superuser).toBe(1);
    await service.create({ login: 'bob', email: 'bob@example.org', password: 'bob-password-12' }, actor);
    expect((await users.find(db, 'bob'))?.superuser).toBe(0);
    expect((await users.find(db, 'bob'))?.created_at).toBe(clock());
  });

  test.each([
    ['alone', [], 'root', true],
    ['not a super user', [], 'alice', false],
    ['unknown', [], 'nobody', false],
    ['with another super user', ['alice'], 'root', false],
    ['the other super user', ['alice'], 'alice', false],
  ] as const)('isLastSuperuser: %s', async (_, promote, login, expected) => {
    await service.create(alice, actor);
    for (const other of promote) await service.setSuperuser(other, true, actor);
    expect(await service.isLastSuperuser(login)).toBe(expected);
  });
});

describe('changes', () => {
  test('setEmail trims and stores the address, refuses a bad one or an unknown user', async () => {
    await service.create(alice, actor);
    await service.setEmail('alice', '  new@example.org ', actor);
    expect((await service.get('alice')).email).toBe('new@example.org');
    await expectThrows(service.setEmail('alice', 'a@b', actor), ValidationError, /e-mail/, 'email');
    expect((await service.get('alice')).email).toBe('new@example.org');
    await expectThrows(service.setEmail('nobody', 'n@example.org', actor), NotFoundError, /does not exist/);
    await expectThrows(
      service.setPassword('nobody', 'nobody-password', actor),
      NotFoundError,
      /does not exist/,
    );
    await expectThrows(service.setSuperuser('nobody', true, actor), NotFoundError, /does not exist/);
    await expectThrows(service.delete('nobody', actor), NotFoundError, /does not exist/);
  });

  test('setPassword refuses the login as password', async () => {
    await service.create({ ...alice, login: 'alice-long-login' }, actor);
    await expectThrows(
      service.setPassword('alice-long-login', 'ALICE-LONG-LOGIN', actor),
      ValidationError,
      /not be the login/,
      'password',
    );
  });

  test('setSuperuser to the same value changes nothing and records nothing', async () => {
    await service.create(alice, actor);
    const before = (await entries()).length;
    await service.setSuperuser('alice', false, actor);
    await service.setSuperuser('root', true, actor);
    expect(await entries()).toHaveLength(before);
    await service.setSuperuser('alice', true, actor);
    expect((await service.get('alice')).superuser).toBe(true);
    await service.setSuperuser('alice', false, actor);
    expect((await service.get('alice')).superuser).toBe(false);
  });

  test('every change is recorded: who, from where, and what', async () => {
    const other = { login: 'admin2', ip: '198.51.100.7' };
    await service.create(alice, other);
    await service.setEmail('alice', 'a2@example.org', other);
    await service.setPassword('alice', 'alice-password-2', other);
    await service.setSiteAccess('alice', 1, 'write', other);
    await service.setSiteAccess('alice', 1, 'none', other);
    await service.setSuperuser('alice', true, other);
    await service.setSuperuser('alice', false, other);
    await registerClient(
      db,
      {
        clientId: 'alice_app',
        name: 'Alice App',
        ownerLogin: 'alice',
        grantTypes: ['client_credentials'],
        scope: 'matomo:read',
        secret: 'x',
      },
      clock(),
    );
    expect(await service.delete('alice', other)).toEqual({ deletedClients: ['alice_app'] });
    const base = { actor: 'admin2', ip: '198.51.100.7', client_id: null };
    const all = await entries();
    const mine = all.filter((entry) => entry.actor === 'admin2' && entry.event !== 'client.created');
    expect(mine).toEqual([
      { ...base, event: 'user.created', detail: { login: 'alice', superuser: false } },
      { ...base, event: 'user.updated', detail: { login: 'alice' } },
      { ...base, event: 'user.password_changed', detail: { login: 'alice' } },
      { ...base, event: 'user.access_changed', detail: { login: 'alice', idsite: 1, access: 'write' } },
      { ...base, event: 'user.access_changed', detail: { login: 'alice', idsite: 1, access: 'none' } },
      { ...base, event: 'user.access_changed', detail: { login: 'alice', superuser: true } },
      { ...base, event: 'user.access_changed', detail: { login: 'alice', superuser: false } },
      {
        ...base,
        client_id: 'alice_app',
        event: 'client.deleted',
        detail: { name: 'Alice App', reason: 'owner deleted' },
      },
      { ...base, event: 'user.deleted', detail: { login: 'alice' } },
    ]);
    expect(all[0]).toMatchObject({ event: 'user.created', detail: { login: 'root', superuser: true } });
  });

  test('deleting a user leaves other users’ clients, grants and sessions', async () => {
    await service.create(alice, actor);
    await service.create({ login: 'bob', email: 'bob@example.org', password: 'bob-password-12' }, actor);
    for (const [clientId, owner] of [
      ['alice_a', 'alice'],
      ['bob_b', 'bob'],
      ['alice_c', 'alice'],
    ] as const)
      await registerClient(
        db,
        {
          clientId,
          name: clientId,
          ownerLogin: owner,
          grantTypes: ['client_credentials'],
          scope: 'matomo:read',
          secret: 'x',
        },
        clock(),
      );
    const sessions = createSessionStore({ db, clock, ttlMs: 60_000 });
    const bobSession = await sessions.create('bob');
    await grants.insert(db, {
      grant_id: 'g-bob',
      client_id: 'alice_a',
      user_login: 'bob',
      scope: 'matomo:read',
      created_at: clock(),
      expires_at: clock() + 60_000,
      revoked_at: null,
      access_token_jti: 'j',
    });
    await grants.insert(db, {
      grant_id: 'g-bob2',
      client_id: 'bob_b',
      user_login: 'bob',
      scope: 'matomo:read',
      created_at: clock(),
      expires_at: clock() + 60_000,
      revoked_at: null,
      access_token_jti: 'j2',
    });
    // Bob's pending code for alice's client goes with the client, as bob's grant to it does.
    for (const [digest, clientId] of [
      ['code-a', 'alice_a'],
      ['code-b', 'bob_b'],
    ] as const)
      await codes.insert(db, {
        code_digest: digest,
        client_id: clientId,
        user_login: 'bob',
        redirect_uri: 'https://a.example/cb',
        redirect_uri_sent: 1,
        scope: 'matomo:read',
        code_challenge: null,
        created_at: clock(),
        expires_at: clock() + 60_000,
        consumed_at: null,
        grant_id: null,
      });
    const { deletedClients } = await service.delete('alice', actor);
    expect([...deletedClients].sort()).toEqual(['alice_a', 'alice_c']);
    expect(await db.selectFrom('authorization_codes').select('code_digest').execute()).toEqual([
      { code_digest: 'code-b' },
    ]);
    expect(await sessions.find(bobSession.cookieValue)).toBeDefined();
    expect(await db.selectFrom('clients').select('client_id').execute()).toEqual([{ client_id: 'bob_b' }]);
    expect(
      await db.selectFrom('grants').select(['grant_id', 'revoked_at']).orderBy('grant_id').execute(),
    ).toEqual([{ grant_id: 'g-bob2', revoked_at: null }]);
    expect((await service.get('bob')).login).toBe('bob');
    const deleted = (await entries()).filter((entry) => entry.event === 'client.deleted');
    expect(deleted.map((entry) => entry.client_id).sort()).toEqual(['alice_a', 'alice_c']);
  });
});
