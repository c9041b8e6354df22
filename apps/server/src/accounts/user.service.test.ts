import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAuditLog } from '../audit/audit-log';
import { registerClient } from '../clients/client-registration';
import { verifyPassword } from '../crypto/password';
import { type Db, migrateToLatest, openDatabase } from '../db/database';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import { createLogger } from '../logging/logger';
import { createSessionStore } from '../sessions/session-store';
import * as sites from '../sites/site.repository';
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
  db = openDatabase(join(temp.dir, 'users.sqlite'));
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
