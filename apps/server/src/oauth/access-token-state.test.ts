import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import * as clients from '../clients/client.repository';
import type { Db } from '../db/database';
import type { GrantType } from '../protocol/grant-types';
import type { IdentityScope } from '../protocol/identity-scopes';
import type { Scope } from '../protocol/scopes';
import type { VerifiedAccessToken } from '../tokens/access-token';
import * as grants from '../tokens/grant.repository';
import { accessTokenState } from './access-token-state';

let db: Db;
let close: () => Promise<void>;

async function client(
  clientId: string,
  {
    type = 'confidential',
    grantTypes,
    scope,
    active = true,
    credentialsId,
    identityScopes = [],
  }: {
    type?: 'confidential' | 'public';
    grantTypes: GrantType[];
    scope: Scope;
    active?: boolean;
    credentialsId?: string;
    identityScopes?: IdentityScope[];
  },
) {
  await clients.insert(db, {
    clientId,
    name: clientId,
    description: '',
    type,
    secretDigest: type === 'public' ? null : 'digest',
    grantTypes,
    scope,
    redirectUris: ['https://app.example/cb'],
    identityScopes,
    active,
    ownerLogin: 'owner',
    createdAt: 0,
    updatedAt: 0,
    lastUsedAt: null,
    ...(credentialsId === undefined ? {} : { credentialsId }),
  });
}

async function grant(grantId: string, clientId: string, jti: string, revokedAt: number | null = null) {
  await grants.insert(db, {
    grant_id: grantId,
    client_id: clientId,
    user_login: 'owner',
    scope: 'matomo:admin',
    created_at: 0,
    expires_at: Number.MAX_SAFE_INTEGER,
    revoked_at: revokedAt,
    access_token_jti: jti,
  });
}

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  await db
    .insertInto('signing_keys')
    .values({ kid: 'k1', public_jwk: '{}', private_key: 'x', created_at: 0, signs_from: 0 })
    .execute();
  const signIn: GrantType[] = ['authorization_code', 'refresh_token'];
  await client('web', { grantTypes: signIn, scope: 'matomo:admin' });
  await client('other', { grantTypes: signIn, scope: 'matomo:admin' });
  await client('paused', { grantTypes: signIn, scope: 'matomo:admin', active: false });
  await client('machine', {
    grantTypes: ['client_credentials'],
    scope: 'matomo:write',
    credentialsId: 'cred-1',
  });
  await client('no_cc', { grantTypes: signIn, scope: 'matomo:write', credentialsId: 'cred-2' });
  await client('public_cc', {
    type: 'public',
    grantTypes: ['client_credentials'],
    scope: 'matomo:write',
    credentialsId: 'cred-3',
  });
  await client('rp', { grantTypes: signIn, scope: 'matomo:admin', identityScopes: ['email', 'openid'] });
  await grant('g-rp', 'rp', 'jti-rp');
  await grant('g-live', 'web', 'jti-live');
  await grant('g-revoked', 'web', 'jti-of-revoked-grant', 1);
  await grant('g-other', 'other', 'jti-other');
  await grant('g-paused', 'paused', 'jti-paused');
  await grant('g-revoked-token', 'web', 'jti-revoked');
  await db
    .insertInto('revoked_tokens')
    .values({ jti: 'jti-revoked', expires_at: Number.MAX_SAFE_INTEGER })
    .execute();
});
afterAll(() => close());

/** A sign-in token of the web client from grant g-live, changed by `changes`. */
function token(changes: Partial<VerifiedAccessToken> = {}): VerifiedAccessToken {
  return {
    iss: 'https://as.example',
    sub: 'owner',
    aud: 'https://as.example',
    client_id: 'web',
    scope: 'matomo:read',
    identityScopes: [],
    iat: 0,
    exp: 1,
    jti: 'jti-live',
    gid: 'g-live',
    kid: 'k1',
    ...changes,
  };
}

/** A client credentials token of the machine client. */
function machineToken(changes: Partial<VerifiedAccessToken> = {}): VerifiedAccessToken {
  const { gid: _, ...base } = token({
    client_id: 'machine',
    sub: 'machine',
    jti: 'jti-cc',
    scope: 'matomo:write',
  });
  return { ...base, owner: 'owner', gid: 'cred-1', ...changes };
}

describe('accessTokenState', () => {
  test.each<[string, VerifiedAccessToken, Scope]>([
    ['the current token of a live grant', token(), 'matomo:read'],
    ['with the client’s scope exactly', token({ scope: 'matomo:admin' }), 'matomo:admin'],
    [
      'with a scope above the client’s (lowered since): capped',
      token({ scope: 'matomo:superuser' }),
      'matomo:admin',
    ],
    ['a client credentials token of the current credentials', machineToken(), 'matomo:write'],
    [
      'a client credentials token above the client’s scope now',
      machineToken({ scope: 'matomo:admin' }),
      'matomo:write',
    ],
  ])('%s is active', async (_, claims, scope) => {
    expect(await accessTokenState(db, claims)).toEqual({ active: true, scope, identityScopes: [] });
  });

  test.each<[string, VerifiedAccessToken]>([
    ['an unknown client', token({ client_id: 'nobody' })],
    ['a paused client', token({ client_id: 'paused', gid: 'g-paused', jti: 'jti-paused' })],
    ['a key that was revoked', token({ kid: 'k-gone' })],
    ['a revoked token', token({ gid: 'g-revoked-token', jti: 'jti-revoked' })],
    ['a revoked grant', token({ gid: 'g-revoked', jti: 'jti-of-revoked-grant' })],
    ['a token the grant replaced (refreshed since)', token({ jti: 'jti-older' })],
    ['an unknown grant', token({ gid: 'g-nothing' })],
    ['no grant at all', token({ gid: undefined })],
    ['another client’s grant', token({ gid: 'g-other', jti: 'jti-other' })],
    ['client credentials replaced since', machineToken({ gid: 'cred-0' })],
    ['client credentials without a gid', machineToken({ gid: undefined })],
    [
      'client credentials of a client no longer allowed them',
      machineToken({ client_id: 'no_cc', gid: 'cred-2' }),
    ],
    ['client credentials of a public client', machineToken({ client_id: 'public_cc', gid: 'cred-3' })],
    // An owner claim turns a sign-in token into nothing: its grant does not count then.
    ['a sign-in token with an owner claim', token({ owner: 'owner' })],
  ])('%s is not active', async (_, claims) => {
    expect(await accessTokenState(db, claims)).toEqual({ active: false });
  });
});

describe('the identity scopes a token may use now', () => {
  const rpToken = (identityScopes: IdentityScope[]) =>
    token({ client_id: 'rp', gid: 'g-rp', jti: 'jti-rp', identityScopes });

  test.each<[string, IdentityScope[], IdentityScope[]]>([
    ['none granted', [], []],
    ['all still allowed', ['openid', 'email'], ['openid', 'email']],
    // The client may no longer ask for profile: its tokens lose it at once.
    ['one the client may no longer ask for', ['openid', 'profile', 'email'], ['openid', 'email']],
    ['only ones the client may no longer ask for', ['profile'], []],
  ])('%s', async (_, granted, allowed) => {
    expect(await accessTokenState(db, rpToken(granted))).toEqual({
      active: true,
      scope: 'matomo:read',
      identityScopes: allowed,
    });
  });

  test('a client registered for none: none', async () => {
    expect(await accessTokenState(db, token({ identityScopes: ['openid', 'profile'] }))).toEqual({
      active: true,
      scope: 'matomo:read',
      identityScopes: [],
    });
  });
});
