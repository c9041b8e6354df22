import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import * as clients from '../clients/client.repository';
import { type ClientRegistration, registerClient } from '../clients/client-registration';
import type { Db } from '../db/database';
import { AuthorizationRedirectError } from '../errors/oauth-error';
import { PageError } from '../errors/page-error';
import { Params } from '../http/params';
import { authorizationResponseUrl, validateAuthorizationRequest } from './authorization-request';

const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const longId = 'l'.repeat(80);

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  const register = (registration: Omit<ClientRegistration, 'ownerLogin' | 'name'>) =>
    registerClient(db, { name: registration.clientId, ownerLogin: 'owner', ...registration }, 0);
  await register({
    clientId: 'web',
    secret: 'web-secret',
    grantTypes: ['authorization_code', 'refresh_token'],
    scope: 'matomo:admin',
    redirectUris: ['https://web.example/cb'],
  });
  await register({
    clientId: 'native',
    grantTypes: ['authorization_code'],
    scope: 'matomo:write',
    redirectUris: ['http://127.0.0.1/cb', 'com.example.app:/cb'],
  });
  await register({
    clientId: 'machine',
    secret: 'machine-secret',
    grantTypes: ['client_credentials'],
    scope: 'matomo:read',
    redirectUris: ['https://machine.example/cb'],
  });
  await register({
    clientId: 'no_uri',
    secret: 'x',
    grantTypes: ['client_credentials'],
    scope: 'matomo:read',
  });
  await register({
    clientId: longId,
    secret: 'x',
    grantTypes: ['authorization_code'],
    scope: 'matomo:read',
    redirectUris: ['https://long.example/cb'],
  });
  await register({
    clientId: 'paused',
    secret: 'x',
    grantTypes: ['authorization_code'],
    scope: 'matomo:read',
    redirectUris: ['https://paused.example/cb'],
  });
  // Longer than any id this server gives: refused before any lookup, even if such a client existed.
  await register({
    clientId: `${longId}l`,
    secret: 'x',
    grantTypes: ['authorization_code'],
    scope: 'matomo:read',
    redirectUris: ['https://web.example/cb'],
  });
  const paused = await clients.find(db, 'paused');
  if (paused) await clients.update(db, { ...paused, active: false });
});
afterAll(() => close());

type Query = [string, string][];

/** A good request of the confidential web client, with `changes` applied (undefined drops a name). */
function web(changes: Record<string, string | undefined> = {}, extra: Query = []): Params {
  const base: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: 'web',
    redirect_uri: 'https://web.example/cb',
    scope: 'matomo:read',
    state: 'xyz',
    ...changes,
  };
  const entries = Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return new Params([...entries, ...extra]);
}

async function rejection(query: Params): Promise<unknown> {
  try {
    await validateAuthorizationRequest(query, db);
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to be refused');
}

describe('until the client and its redirect URI are known good: a page, never a redirect', () => {
  test.each<[string, Params, string]>([
    ['client_id repeated', web({}, [['client_id', 'web']]), 'repeats client_id or redirect_uri'],
    [
      'redirect_uri repeated',
      web({}, [['redirect_uri', 'https://web.example/cb']]),
      'repeats client_id or redirect_uri',
    ],
    [
      'redirect_uri repeated, the second an attacker’s',
      web({}, [['redirect_uri', 'https://evil.example/cb']]),
      'repeats',
    ],
    ['client_id missing', web({ client_id: undefined }), 'client_id is missing'],
    ['client_id empty', web({ client_id: '' }), 'client_id is missing'],
    ['an unknown client', web({ client_id: 'nobody' }), 'not registered with this Matomo'],
    ['a client id longer than any', web({ client_id: `${longId}l` }), 'not registered with this Matomo'],
    ['a paused client', web({ client_id: 'paused', redirect_uri: 'https://paused.example/cb' }), 'paused'],
    [
      'no redirect_uri, several registered',
      web({ client_id: 'native', redirect_uri: undefined }),
      'has several',
    ],
    [
      'no redirect_uri, none registered',
      web({ client_id: 'no_uri', redirect_uri: undefined }),
      'has several',
    ],
    [
      'an unregistered redirect_uri',
      web({ redirect_uri: 'https://evil.example/cb' }),
      'not registered for it',
    ],
    [
      'a registered URI as a prefix',
      web({ redirect_uri: 'https://web.example/cb/../x' }),
      'not registered for it',
    ],
    [
      'a loopback URI inside another',
      web({ client_id: 'native', redirect_uri: 'https://evil.example/x?http://127.0.0.1/cb' }),
      'not registered for it',
    ],
  ])('%s', async (_, query, message) => {
    const error = await rejection(query);
    expect(error).toBeInstanceOf(PageError);
    expect(error).toMatchObject({ status: 400, title: 'This sign-in link is not valid' });
    expect((error as PageError).message).toContain(message);
  });

  test('the message a person reads when the application is unknown', async () => {
    expect(await rejection(web({ client_id: 'nobody' }))).toHaveProperty(
      'message',
      'The application that sent you here is not registered with this Matomo.',
    );
  });
});

describe('after that: an error sent back to the client’s redirect URI, with its state', () => {
  test.each<[string, Params, string, string]>([
    [
      'response_type repeated',
      web({}, [['response_type', 'code']]),
      'invalid_request',
      'response_type parameter is repeated',
    ],
    [
      'scope repeated',
      web({}, [['scope', 'matomo:admin']]),
      'invalid_request',
      'scope parameter is repeated',
    ],
    [
      'code_challenge repeated',
      web({ code_challenge: challenge, code_challenge_method: 'S256' }, [['code_challenge', challenge]]),
      'invalid_request',
      'code_challenge parameter is repeated',
    ],
    [
      'code_challenge_method repeated',
      web({ code_challenge: challenge, code_challenge_method: 'S256' }, [['code_challenge_method', 'S256']]),
      'invalid_request',
      'code_challenge_method parameter is repeated',
    ],
    [
      'response_type missing',
      web({ response_type: undefined }),
      'invalid_request',
      'response_type is missing',
    ],
    [
      'response_type=token',
      web({ response_type: 'token' }),
      'unsupported_response_type',
      'Only response_type=code',
    ],
    [
      'response_type=code id_token',
      web({ response_type: 'code id_token' }),
      'unsupported_response_type',
      'Only response_type=code',
    ],
    [
      'code_challenge_method=plain',
      web({ code_challenge: challenge, code_challenge_method: 'plain' }),
      'invalid_request',
      'must be S256',
    ],
    [
      'code_challenge_method=s256',
      web({ code_challenge: challenge, code_challenge_method: 's256' }),
      'invalid_request',
      'must be S256',
    ],
    [
      'code_challenge_method alone',
      web({ code_challenge_method: 'S256' }),
      'invalid_request',
      'without code_challenge',
    ],
    [
      'code_challenge without its method',
      web({ code_challenge: challenge }),
      'invalid_request',
      'is required with code_challenge',
    ],
    [
      'a code_challenge too short',
      web({ code_challenge: challenge.slice(1), code_challenge_method: 'S256' }),
      'invalid_request',
      '43 to 128 characters',
    ],
    ['an unknown scope', web({ scope: 'matomo:read openid' }), 'invalid_scope', 'does not know'],
    [
      'a scope above the client’s',
      web({ scope: 'matomo:superuser' }),
      'invalid_scope',
      'at most matomo:admin',
    ],
    ['only spaces for a scope', web({ scope: '  ' }), 'invalid_scope', 'at most matomo:admin'],
  ])('%s', async (_, query, code, description) => {
    const error = await rejection(query);
    expect(error).toBeInstanceOf(AuthorizationRedirectError);
    expect(error).toMatchObject({
      error: code,
      status: 302,
      redirectUri: 'https://web.example/cb',
      state: 'xyz',
    });
    expect((error as AuthorizationRedirectError).message).toContain(description);
  });

  test('a client without the authorization code grant: unauthorized_client', async () => {
    const error = await rejection(web({ client_id: 'machine', redirect_uri: 'https://machine.example/cb' }));
    expect(error).toMatchObject({
      error: 'unauthorized_client',
      redirectUri: 'https://machine.example/cb',
      state: 'xyz',
    });
    expect((error as Error).message).toContain('may not use the authorization code grant');
  });

  test('a public client must use PKCE', async () => {
    const error = await rejection(web({ client_id: 'native', redirect_uri: 'com.example.app:/cb' }));
    expect(error).toMatchObject({ error: 'invalid_request', redirectUri: 'com.example.app:/cb' });
    expect((error as Error).message).toContain('required for public clients');
  });

  test('a state longer than 2048 characters', async () => {
    const error = await rejection(web({ state: 's'.repeat(2049) }));
    expect(error).toMatchObject({ error: 'invalid_request', redirectUri: 'https://web.example/cb' });
    expect((error as Error).message).toContain('state is longer than 2048');
  });

  test('a repeated state is not sent back', async () => {
    const error = await rejection(web({}, [['state', 'other']]));
    expect(error).toMatchObject({ error: 'invalid_request', state: undefined });
    expect((error as Error).message).toContain('state parameter is repeated');
  });

  test('the error goes to the redirect URI sent, loopback port included', async () => {
    const query = web({
      client_id: 'native',
      redirect_uri: 'http://127.0.0.1:4711/cb',
      response_type: 'token',
    });
    expect(await rejection(query)).toMatchObject({ redirectUri: 'http://127.0.0.1:4711/cb' });
  });
});

describe('a valid request', () => {
  test('carries what the consent page and the code need', async () => {
    const request = await validateAuthorizationRequest(
      web({ state: 's'.repeat(2048), code_challenge: challenge, code_challenge_method: 'S256' }),
      db,
    );
    expect(request).toMatchObject({
      redirectUri: 'https://web.example/cb',
      redirectUriSent: true,
      state: 's'.repeat(2048),
      scopes: ['matomo:read'],
      codeChallenge: challenge,
    });
    expect(request.client.clientId).toBe('web');
  });

  test('without redirect_uri, the client’s only one', async () => {
    const request = await validateAuthorizationRequest(
      web({ redirect_uri: undefined, state: undefined }),
      db,
    );
    expect(request).toMatchObject({
      redirectUri: 'https://web.example/cb',
      redirectUriSent: false,
      state: undefined,
      codeChallenge: undefined,
    });
  });

  test('a public client with PKCE, at a loopback port of its choosing', async () => {
    const request = await validateAuthorizationRequest(
      web({
        client_id: 'native',
        redirect_uri: 'http://127.0.0.1:51004/cb',
        scope: undefined,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      db,
    );
    expect(request).toMatchObject({ redirectUri: 'http://127.0.0.1:51004/cb', scopes: ['matomo:write'] });
  });

  test('a client id of the longest length', async () => {
    const request = await validateAuthorizationRequest(
      web({ client_id: longId, redirect_uri: 'https://long.example/cb' }),
      db,
    );
    expect(request.client.clientId).toBe(longId);
  });

  test.each<[string | undefined, string[]]>([
    [undefined, ['matomo:admin']],
    ['', ['matomo:admin']],
    ['matomo:write matomo:read', ['matomo:read', 'matomo:write']],
    ['  matomo:admin  matomo:read ', ['matomo:read', 'matomo:admin']],
    // Scopes above the client's ceiling are left out when some are within it.
    ['matomo:superuser matomo:write', ['matomo:write']],
  ])('scope=%j offers %j', async (scope, offered) => {
    expect((await validateAuthorizationRequest(web({ scope }), db)).scopes).toEqual(offered);
  });
});

describe('authorizationResponseUrl', () => {
  test.each<[string, Record<string, string | undefined>, string]>([
    [
      'https://a.example/cb',
      { code: 'c', state: undefined, iss: 'https://as.example' },
      'https://a.example/cb?code=c&iss=https%3A%2F%2Fas.example',
    ],
    [
      'https://a.example/cb?x=1',
      { code: 'c', state: 'a b&c=d' },
      'https://a.example/cb?x=1&code=c&state=a%20b%26c%3Dd',
    ],
    ['com.example.app:/cb', { 'a&b': 'v' }, 'com.example.app:/cb?a%26b=v'],
  ])('%s with %j', (uri, params, expected) => {
    expect(authorizationResponseUrl(uri, params)).toBe(expected);
  });
});
