import { createTestClock } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import { registerClient } from '../clients/client-registration';
import type { Db } from '../db/database';
import { BearerError } from '../errors/bearer-error';
import { Params } from '../http/params';
import { createTokenStateCache, TOKEN_STATE_TTL_MS, type TokenStateCache } from '../oauth/token-state-cache';
import * as sites from '../sites/site.repository';
import { type AccessTokenCodec, createAccessTokenCodec } from '../tokens/access-token';
import * as grants from '../tokens/grant.repository';
import { openSigningKeyStore } from '../tokens/signing-keys';
import type { ApiCaller } from '../users/api-caller';
import * as users from '../users/user.repository';
import { authenticateBearer } from './bearer-authentication';

const clock = createTestClock(1_800_000_000_000);
let db: Db;
let close: () => Promise<void>;
let codec: AccessTokenCodec;
const siteIds: number[] = [];

/** A migrated database with a signing key, the super user `root`, `owner` and the client `app`: no site. */
async function openState(): Promise<{ db: Db; close: () => Promise<void>; codec: AccessTokenCodec }> {
  const { db, close } = await openTestDatabase();
  const keys = await openSigningKeyStore({
    db,
    masterSecret: Buffer.alloc(32, 1),
    clock,
    accessTokenTtlMs: 300_000,
  });
  const codec = createAccessTokenCodec({
    keys,
    clock,
    issuer: 'https://as.example',
    audience: 'https://as.example',
    ttlSeconds: 300,
  });
  await users.insert(db, {
    login: 'root',
    email: 'r@example.org',
    password_hash: 'x',
    superuser: 1,
    created_at: 0,
  });
  await registerClient(
    db,
    {
      clientId: 'app',
      name: 'App',
      secret: 's',
      grantTypes: ['authorization_code', 'client_credentials'],
      scope: 'matomo:write',
      redirectUris: ['https://app.example/cb'],
      ownerLogin: 'owner',
    },
    0,
  );
  return { db, close, codec };
}

beforeAll(async () => {
  ({ db, close, codec } = await openState());
  for (const name of ['One', 'Two', 'Three']) {
    siteIds.push(
      await sites.insert(db, {
        name,
        main_url: 'https://site.example',
        urls: '[]',
        ts_created: 0,
        timezone: 'UTC',
        currency: 'EUR',
        creator_login: 'root',
      }),
    );
  }
  await users.setSiteAccess(db, 'owner', siteIds[1] as number, 'admin');
});
afterAll(() => close());

type Scope = 'matomo:read' | 'matomo:write' | 'matomo:admin';

/** A live token of `clientId` (in `to`, by default the shared state) for `login` from a new grant, with `scope`. */
async function grantedToken(
  login: string,
  scope: Scope = 'matomo:read',
  clientId = 'app',
  to = { db, codec },
) {
  const grantId = `g-${login}-${Math.random()}`;
  const jti = to.codec.newJti();
  await grants.insert(to.db, {
    grant_id: grantId,
    client_id: clientId,
    user_login: login,
    scope,
    created_at: 0,
    expires_at: Number.MAX_SAFE_INTEGER,
    revoked_at: null,
    access_token_jti: jti,
  });
  return { grantId, token: (await to.codec.sign({ sub: login, clientId, scope, grantId, jti })).token };
}

async function tokenFor(login: string, scope: Scope = 'matomo:read') {
  return (await grantedToken(login, scope)).token;
}

async function refusal(authorization: string, params = new Params()) {
  try {
    await authenticateBearer({ db, codec }, authorization, params);
  } catch (error) {
    if (error instanceof BearerError)
      return { status: error.status, error: error.error, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('authenticateBearer', () => {
  test('a live token gives its user, with the access the scope leaves', async () => {
    const token = await tokenFor('owner', 'matomo:write');
    const caller = await authenticateBearer({ db, codec }, `Bearer ${token}`, new Params([['idSite', '2']]));
    expect({
      login: caller.login,
      clientId: caller.clientId,
      scope: caller.scope,
      superuser: caller.superuser,
    }).toEqual({
      login: 'owner',
      clientId: 'app',
      scope: 'matomo:write',
      superuser: false,
    });
    expect(caller.sitesWith('view')).toEqual([siteIds[1]]);
    expect(caller.accessOf(siteIds[1] as number)).toBe('write');
  });

  test('a super user’s token reaches every site', async () => {
    const caller = await authenticateBearer({ db, codec }, `Bearer ${await tokenFor('root')}`, new Params());
    expect(caller.sitesWith('view')).toEqual(siteIds);
  });

  test('a client credentials token acts as the client’s owner', async () => {
    const [client] = await db
      .selectFrom('clients')
      .select('credentials_id')
      .where('client_id', '=', 'app')
      .execute();
    const { token } = await codec.sign({
      sub: 'app',
      clientId: 'app',
      scope: 'matomo:write',
      owner: 'owner',
      grantId: client?.credentials_id,
    });
    const caller = await authenticateBearer({ db, codec }, `Bearer ${token}`, new Params());
    expect(caller.login).toBe('owner');
    expect(caller.sitesWith('write')).toEqual([siteIds[1]]);
  });

  test.each(['bearer', 'BEARER', 'Bearer  ', '  Bearer\t'])(
    'the scheme %j, any case and spacing',
    async (scheme) => {
      const token = await tokenFor('owner');
      expect((await authenticateBearer({ db, codec }, `${scheme} ${token} `, new Params())).login).toBe(
        'owner',
      );
    },
  );

  test.each(['', 'Basic YTpi', 'Bearertoken', 'x Bearer token', 'Token abc'])(
    'no bearer token (%j): 401 without an error code',
    async (authorization) => {
      expect(await refusal(authorization)).toEqual({
        status: 401,
        error: undefined,
        message: 'An access token is required: send it as Authorization: Bearer <token>.',
      });
    },
  );

  test('a token also sent as a parameter: 400 invalid_request', async () => {
    const token = await tokenFor('owner');
    expect(await refusal(`Bearer ${token}`, new Params([['access_token', token]]))).toEqual({
      status: 400,
      error: 'invalid_request',
      message: 'Send the access token in one place only: the Authorization header.',
    });
  });

  test.each([
    ['an empty token', 'Bearer'],
    ['two tokens', 'Bearer abc def'],
    ['characters outside the token syntax', 'Bearer abc,def'],
    ['padding inside', 'Bearer ab=c'],
    ['a token longer than any this server signs', `Bearer ${'a'.repeat(4097)}`],
  ])('%s: 400 invalid_request', async (_, authorization) => {
    expect(await refusal(authorization)).toEqual({
      status: 400,
      error: 'invalid_request',
      message: 'The Authorization header is malformed.',
    });
  });

  test.each([
    [
      'a token of the longest length, not a JWT',
      `Bearer ${'a'.repeat(4096)}`,
      'The access token is malformed',
    ],
    ['a token with padding at the end', 'Bearer abc==', 'The access token is malformed'],
  ])('%s is read, and refused: 401 invalid_token', async (_, authorization, message) => {
    expect(await refusal(authorization)).toEqual({ status: 401, error: 'invalid_token', message });
  });

  test('a revoked grant’s token: 401 invalid_token', async () => {
    const token = await tokenFor('owner');
    await db.updateTable('grants').set({ revoked_at: 1 }).where('user_login', '=', 'owner').execute();
    expect(await refusal(`Bearer ${token}`)).toEqual({
      status: 401,
      error: 'invalid_token',
      message: 'The access token has been revoked, or its client is paused or deleted.',
    });
  });

  test('a failure that is not the token’s is not answered as invalid_token', async () => {
    const failing: AccessTokenCodec = {
      ...codec,
      verify: async () => {
        throw new TypeError('the key store failed');
      },
    };
    await expect(authenticateBearer({ db, codec: failing }, 'Bearer abc', new Params())).rejects.toThrow(
      TypeError,
    );
  });

  test('a token whose user no longer exists: 401 invalid_token', async () => {
    const [client] = await db
      .selectFrom('clients')
      .select('credentials_id')
      .where('client_id', '=', 'app')
      .execute();
    const { token } = await codec.sign({
      sub: 'app',
      clientId: 'app',
      scope: 'matomo:read',
      owner: 'ghost',
      grantId: client?.credentials_id,
    });
    expect(await refusal(`Bearer ${token}`)).toEqual({
      status: 401,
      error: 'invalid_token',
      message: 'The user of the access token no longer exists.',
    });
  });
});

describe('whose access a token gives', () => {
  test('a user’s token never lifts their level on a site: view stays view under matomo:write', async () => {
    await users.insert(db, {
      login: 'viewer',
      email: 'v@example.org',
      password_hash: 'x',
      superuser: 0,
      created_at: 0,
    });
    await users.setSiteAccess(db, 'viewer', siteIds[0] as number, 'view');
    const token = await tokenFor('viewer', 'matomo:write');
    const caller = await authenticateBearer({ db, codec }, `Bearer ${token}`, new Params());
    expect(caller.accessOf(siteIds[0] as number)).toBe('view');
    expect(caller.sitesWith('view')).toEqual([siteIds[0]]);
    expect(caller.sitesWith('write')).toEqual([]);
  });

  test('a super user’s token on a server without sites reaches none', async () => {
    const empty = await openState();
    try {
      const { token } = await grantedToken('root', 'matomo:read', 'app', empty);
      const caller = await authenticateBearer(empty, `Bearer ${token}`, new Params());
      expect(caller.login).toBe('root');
      expect(caller.sitesWith('view')).toEqual([]);
    } finally {
      await empty.close();
    }
  });

  test('a token of a deleted client: 401 invalid_token', async () => {
    await registerClient(
      db,
      {
        clientId: 'gone',
        name: 'Gone',
        secret: 's',
        grantTypes: ['authorization_code'],
        scope: 'matomo:read',
        redirectUris: ['https://gone.example/cb'],
        ownerLogin: 'owner',
      },
      0,
    );
    const { token } = await grantedToken('owner', 'matomo:read', 'gone');
    await db.deleteFrom('clients').where('client_id', '=', 'gone').execute();
    expect(await refusal(`Bearer ${token}`)).toEqual({
      status: 401,
      error: 'invalid_token',
      message: 'The access token has been revoked, or its client is paused or deleted.',
    });
  });
});

describe('with the memory of token states', () => {
  const real = { now: 0 };
  let tokenStates: TokenStateCache<ApiCaller>;
  /** The database as this process writes it: through the memory's plugin. */
  let thisProcess: Db;
  const check = (token: string) =>
    authenticateBearer({ db: thisProcess, codec, tokenStates }, `Bearer ${token}`, new Params());

  beforeAll(() => {
    tokenStates = createTokenStateCache<ApiCaller>({ clock, monotonic: () => real.now });
    thisProcess = db.withPlugin(tokenStates.plugin);
  });

  test('a revocation made through this process ends a remembered token at once', async () => {
    const { token, grantId } = await grantedToken('owner');
    await check(token);
    await thisProcess.updateTable('grants').set({ revoked_at: 1 }).where('grant_id', '=', grantId).execute();
    await expect(check(token)).rejects.toMatchObject({ status: 401, error: 'invalid_token' });
  });

  test('after such a write, answers are remembered again: a change made elsewhere shows once the bound has passed', async () => {
    await thisProcess.deleteFrom('revoked_tokens').where('jti', '=', 'none').execute();
    const { token, grantId } = await grantedToken('owner');
    const caller = await check(token);
    // Another instance, or the CLI: not through this process's plugin.
    await db.updateTable('grants').set({ revoked_at: 1 }).where('grant_id', '=', grantId).execute();
    expect(await check(token)).toBe(caller);
    real.now += TOKEN_STATE_TTL_MS;
    await expect(check(token)).rejects.toMatchObject({ status: 401, error: 'invalid_token' });
  });

  test('a remembered token ends at its exp, within the bound', async () => {
    const token = await tokenFor('owner');
    await check(token);
    clock.advance(300_000);
    try {
      await expect(check(token)).rejects.toMatchObject({
        status: 401,
        error: 'invalid_token',
        message: 'The access token has expired',
      });
    } finally {
      clock.advance(-300_000);
    }
  });

  test('a refusal is not remembered', async () => {
    await expect(check('abc')).rejects.toMatchObject({ status: 401 });
    expect(tokenStates.get('abc')).toBeUndefined();
  });
});
