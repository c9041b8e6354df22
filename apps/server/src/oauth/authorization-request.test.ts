import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import * as clients from '../clients/client.repository';
import { type ClientRegistration, registerClient } from '../clients/client-registration';
import type { Db } from '../db/database';
import { AuthorizationRedirectError } from '../errors/oauth-error';
import { PageError } from '../errors/page-error';
import { Params } from '../http/params';
import {
  authorizationResponseUrl,
  type Prompt,
  validateAuthorizationRequest,
  withoutForcedSignIn,
} from './authorization-request';

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
  await register({
    clientId: 'oidc',
    secret: 'x',
    grantTypes: ['authorization_code', 'refresh_token'],
    scope: 'matomo:write',
    redirectUris: ['https://oidc.example/cb'],
    identityScopes: ['openid', 'profile', 'email'],
  });
  await register({
    clientId: 'oidc_only',
    secret: 'x',
    grantTypes: ['authorization_code'],
    scope: 'matomo:read',
    redirectUris: ['https://oidc.example/cb'],
    identityScopes: ['openid'],
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

/** A good OpenID Connect request of the oidc client (openid, profile, email; up to matomo:write). */
function oidc(changes: Record<string, string | undefined> = {}, extra: Query = []): Params {
  return web(
    { client_id: 'oidc', redirect_uri: 'https://oidc.example/cb', scope: 'matomo:read openid', ...changes },
    extra,
  );
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
    ['an unknown scope', web({ scope: 'matomo:read offline_access' }), 'invalid_scope', 'does not know'],
    [
      'a scope above the client’s',
      web({ scope: 'matomo:superuser' }),
      'invalid_scope',
      'at most matomo:admin',
    ],
    ['only spaces for a scope', web({ scope: '  ' }), 'invalid_scope', 'must ask for a Matomo scope'],
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

describe('OpenID Connect scopes (OpenID Connect Core §3.1.2.1, §5.4)', () => {
  test.each<[string, Params, string[], string[]]>([
    ['openid with a Matomo scope', oidc(), ['matomo:read'], ['openid']],
    [
      'every identity scope, in any order, once each',
      oidc({ scope: 'email matomo:write openid  profile email' }),
      ['matomo:write'],
      ['openid', 'profile', 'email'],
    ],
    ['no identity scope', oidc({ scope: 'matomo:read' }), ['matomo:read'], []],
    ['no scope at all: the client’s, without identity', oidc({ scope: undefined }), ['matomo:write'], []],
    [
      'openid for a client registered for it alone',
      oidc({ client_id: 'oidc_only' }),
      ['matomo:read'],
      ['openid'],
    ],
  ])('%s', async (_, query, scopes, identityScopes) => {
    expect(await validateAuthorizationRequest(query, db)).toMatchObject({ scopes, identityScopes });
  });

  test.each<[string, Params, string]>([
    [
      'openid, for a client not registered for it',
      web({ scope: 'matomo:read openid' }),
      'This client is not registered for the openid scope',
    ],
    [
      'profile, for a client registered for openid alone',
      oidc({ client_id: 'oidc_only', scope: 'matomo:read openid profile' }),
      'This client is not registered for the profile scope',
    ],
    [
      'profile and email, for a client registered for openid alone',
      oidc({ client_id: 'oidc_only', scope: 'email matomo:read profile openid' }),
      'This client is not registered for the profile email scope',
    ],
    [
      'profile without openid',
      oidc({ scope: 'matomo:read profile' }),
      'The profile and email scopes need the openid scope',
    ],
    [
      'email without openid',
      oidc({ scope: 'email matomo:read' }),
      'The profile and email scopes need the openid scope',
    ],
    [
      'openid without a Matomo scope',
      oidc({ scope: 'openid' }),
      'The request must ask for a Matomo scope (such as matomo:read) with the OpenID Connect scopes',
    ],
    [
      'openid with a Matomo scope above the client’s',
      oidc({ scope: 'openid matomo:admin' }),
      'The client may be granted at most matomo:write',
    ],
    [
      'an identity scope in another case',
      oidc({ scope: 'matomo:read OpenID' }),
      'The request asks for a scope this server does not know',
    ],
  ])('%s: invalid_scope', async (_, query, description) => {
    const error = await rejection(query);
    expect(error).toBeInstanceOf(AuthorizationRedirectError);
    expect(error).toMatchObject({
      error: 'invalid_scope',
      redirectUri: query.get('redirect_uri'),
      state: 'xyz',
    });
    expect((error as Error).message).toBe(description);
  });
});

describe('nonce, prompt, max_age and login_hint (OpenID Connect Core §3.1.2.1)', () => {
  test.each<[string, string | undefined]>([
    ['absent', undefined],
    ['short', 'n-0S6_WzA2Mj'],
    ['of the longest length', 'n'.repeat(512)],
  ])('a nonce %s is carried to the code', async (_, nonce) => {
    expect((await validateAuthorizationRequest(oidc({ nonce }), db)).nonce).toBe(nonce);
  });

  test.each<[string | undefined, Prompt[]]>([
    [undefined, []],
    ['', []],
    ['none', ['none']],
    ['none none', ['none']],
    ['login', ['login']],
    ['select_account', ['login']],
    ['consent', ['consent']],
    ['  login   consent ', ['login', 'consent']],
    ['select_account login', ['login']],
  ])('prompt=%j is %j', async (prompt, values) => {
    expect([...(await validateAuthorizationRequest(oidc({ prompt }), db)).prompt]).toEqual(values);
  });

  test.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['0', 0],
    ['3600', 3600],
    ['0000000007', 7],
    ['2147483647', 2_147_483_647],
    // Beyond any session: as good as the longest.
    ['2147483648', 2_147_483_647],
    ['9999999999', 2_147_483_647],
  ])('max_age=%j is %j seconds', async (maxAge, seconds) => {
    expect((await validateAuthorizationRequest(oidc({ max_age: maxAge }), db)).maxAge).toBe(seconds);
  });

  test.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['ann', 'ann'],
    ['  ann smith  ', 'ann smith'],
    ['   ', undefined],
    [`${'x'.repeat(100)}y`, 'x'.repeat(100)],
    [`  ${'x'.repeat(99)}yz`, `${'x'.repeat(99)}y`],
  ])('login_hint=%j fills in %j', async (loginHint, login) => {
    expect((await validateAuthorizationRequest(oidc({ login_hint: loginHint }), db)).loginHint).toBe(login);
  });

  test.each<[string, Params, string]>([
    ['a nonce too long', oidc({ nonce: 'n'.repeat(513) }), 'nonce is longer than 512 characters'],
    [
      'prompt=none with login',
      oidc({ prompt: 'none login' }),
      'prompt=none cannot be combined with other prompt values',
    ],
    [
      'prompt=none with consent',
      oidc({ prompt: 'consent none' }),
      'prompt=none cannot be combined with other prompt values',
    ],
    [
      'prompt=none with select_account',
      oidc({ prompt: 'none select_account' }),
      'prompt=none cannot be combined with other prompt values',
    ],
    [
      'an unknown prompt',
      oidc({ prompt: 'create' }),
      'prompt may only hold none, login, consent and select_account',
    ],
    [
      'an unknown prompt among known ones',
      oidc({ prompt: 'login bogus' }),
      'prompt may only hold none, login, consent and select_account',
    ],
    [
      'a prompt in another case',
      oidc({ prompt: 'Login' }),
      'prompt may only hold none, login, consent and select_account',
    ],
    ['max_age negative', oidc({ max_age: '-1' }), 'max_age must be a number of seconds'],
    ['max_age a fraction', oidc({ max_age: '1.5' }), 'max_age must be a number of seconds'],
    ['max_age with a space', oidc({ max_age: ' 5' }), 'max_age must be a number of seconds'],
    ['max_age followed by letters', oidc({ max_age: '5s' }), 'max_age must be a number of seconds'],
    ['max_age after letters', oidc({ max_age: 's5' }), 'max_age must be a number of seconds'],
    ['max_age of 11 digits', oidc({ max_age: '10000000000' }), 'max_age must be a number of seconds'],
    [
      'nonce repeated',
      oidc({}, [
        ['nonce', 'a'],
        ['nonce', 'b'],
      ]),
      'The nonce parameter is repeated',
    ],
    [
      'prompt repeated',
      oidc({}, [
        ['prompt', 'login'],
        ['prompt', 'login'],
      ]),
      'The prompt parameter is repeated',
    ],
    [
      'max_age repeated',
      oidc({}, [
        ['max_age', '1'],
        ['max_age', '1'],
      ]),
      'The max_age parameter is repeated',
    ],
    [
      'login_hint repeated',
      oidc({}, [
        ['login_hint', 'a'],
        ['login_hint', 'b'],
      ]),
      'The login_hint parameter is repeated',
    ],
  ])('%s: invalid_request', async (_, query, description) => {
    const error = await rejection(query);
    expect(error).toBeInstanceOf(AuthorizationRedirectError);
    expect(error).toMatchObject({
      error: 'invalid_request',
      redirectUri: 'https://oidc.example/cb',
      state: 'xyz',
    });
    expect((error as Error).message).toBe(description);
  });
});

describe('request objects (OpenID Connect Core §6): refused, never silently ignored', () => {
  test.each<[string, Params, string, string]>([
    [
      'request',
      oidc({ request: 'eyJhbGciOiJub25lIn0.e30.' }),
      'request_not_supported',
      'Request objects are not supported',
    ],
    [
      'request, empty',
      oidc({}, [['request', '']]),
      'request_not_supported',
      'Request objects are not supported',
    ],
    [
      'request_uri',
      oidc({ request_uri: 'https://oidc.example/request.jwt' }),
      'request_uri_not_supported',
      'request_uri is not supported',
    ],
    [
      'request_uri, empty',
      oidc({}, [['request_uri', '']]),
      'request_uri_not_supported',
      'request_uri is not supported',
    ],
  ])('%s', async (_, query, code, description) => {
    const error = await rejection(query);
    expect(error).toBeInstanceOf(AuthorizationRedirectError);
    expect(error).toMatchObject({ error: code, redirectUri: 'https://oidc.example/cb', state: 'xyz' });
    expect((error as Error).message).toBe(description);
  });
});

describe('withoutForcedSignIn: where the sign-in page returns to', () => {
  test.each<[string, string]>([
    ['/oauth2/authorize', '/oauth2/authorize'],
    ['/oauth2/authorize?', '/oauth2/authorize?'],
    ['/oauth2/authorize?client_id=a&state=s', '/oauth2/authorize?client_id=a&state=s'],
    ['/oauth2/authorize?client_id=a&max_age=0&state=s', '/oauth2/authorize?client_id=a&state=s'],
    ['/oauth2/authorize?prompt=login&client_id=a', '/oauth2/authorize?client_id=a'],
    ['/oauth2/authorize?prompt=select_account&client_id=a', '/oauth2/authorize?client_id=a'],
    ['/oauth2/authorize?client_id=a&prompt=login+consent', '/oauth2/authorize?client_id=a&prompt=consent'],
    [
      '/oauth2/authorize?prompt=%20select_account%20%20consent%20&max_age=5',
      '/oauth2/authorize?prompt=consent',
    ],
    ['/oauth2/authorize?prompt=consent&client_id=a', '/oauth2/authorize?prompt=consent&client_id=a'],
    ['/oauth2/authorize?prompt=none', '/oauth2/authorize?prompt=none'],
    ['/oauth2/authorize?prompt=&client_id=a', '/oauth2/authorize?client_id=a'],
    ['/oauth2/authorize?prompt=bogus+login', '/oauth2/authorize?prompt=bogus'],
    // Only the values that force a sign-in go; the others stay, as they were, apart.
    ['/oauth2/authorize?prompt=consent+login+none', '/oauth2/authorize?prompt=consent+none'],
    [
      '/oauth2/authorize?scope=matomo%3Aread+openid&prompt=login',
      '/oauth2/authorize?scope=matomo%3Aread+openid',
    ],
  ])('%s becomes %s', (url, expected) => {
    expect(withoutForcedSignIn(url)).toBe(expected);
  });
});
