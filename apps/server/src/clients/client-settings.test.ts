import { describe, expect, test } from 'vitest';
import { ValidationError } from '../errors/domain-error';
import { type ClientSettingsInput, checkClientSettings, MAX_REDIRECT_URIS } from './client-settings';

const good: ClientSettingsInput = {
  name: 'Reporting app',
  description: 'Reads reports',
  grantTypes: ['authorization_code', 'refresh_token'],
  scope: 'matomo:read',
  type: undefined,
  redirectUris: ['https://app.example/cb'],
  identityScopes: undefined,
  postLogoutRedirectUris: undefined,
};

const uris = (count: number) => Array.from({ length: count }, (_, i) => `https://app.example/cb${i}`);

function problem(changes: Partial<ClientSettingsInput>): { field: string | undefined; message: string } {
  try {
    checkClientSettings({ ...good, ...changes });
  } catch (error) {
    if (error instanceof ValidationError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('checkClientSettings accepts', () => {
  test('good settings, as checked values; OpenID Connect settings not sent stay unset', () => {
    expect(checkClientSettings(good)).toStrictEqual({
      name: 'Reporting app',
      description: 'Reads reports',
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'matomo:read',
      redirectUris: ['https://app.example/cb'],
      type: 'confidential',
      identityScopes: undefined,
      postLogoutRedirectUris: undefined,
    });
  });

  test('a name with spaces around it, trimmed; no description', () => {
    expect(checkClientSettings({ ...good, name: '  App  ', description: undefined })).toMatchObject({
      name: 'App',
      description: '',
    });
  });

  test('the longest name and description', () => {
    const settings = checkClientSettings({ ...good, name: 'n'.repeat(255), description: 'd'.repeat(2000) });
    expect([settings.name.length, settings.description.length]).toEqual([255, 2000]);
  });

  test.each<[string | undefined, 'public' | 'confidential']>([
    ['public', 'public'],
    [undefined, 'confidential'],
    ['confidential', 'confidential'],
    ['Public', 'confidential'],
  ])('type %j is %s', (type, expected) => {
    expect(checkClientSettings({ ...good, type }).type).toBe(expected);
  });

  test('grant types and redirect URIs, each once', () => {
    expect(
      checkClientSettings({
        ...good,
        grantTypes: ['refresh_token', 'authorization_code', 'refresh_token'],
        redirectUris: ['https://app.example/a', 'https://app.example/b', 'https://app.example/a'],
      }),
    ).toMatchObject({
      grantTypes: ['refresh_token', 'authorization_code'],
      redirectUris: ['https://app.example/a', 'https://app.example/b'],
    });
  });

  test(`${MAX_REDIRECT_URIS} redirect URIs`, () => {
    expect(MAX_REDIRECT_URIS).toBe(20);
    expect(checkClientSettings({ ...good, redirectUris: uris(20) }).redirectUris).toHaveLength(20);
  });

  test.each<[string[], string[]]>([
    [[], []],
    [['openid'], ['openid']],
    [
      ['openid', 'profile'],
      ['openid', 'profile'],
    ],
    [
      ['email', 'openid'],
      ['openid', 'email'],
    ],
    [
      ['email', 'profile', 'openid'],
      ['openid', 'profile', 'email'],
    ],
    [
      ['openid', 'email', 'openid', 'email'],
      ['openid', 'email'],
    ],
  ])('identity scopes %j, in their canonical order and each once: %j', (identityScopes, expected) => {
    expect(checkClientSettings({ ...good, identityScopes }).identityScopes).toEqual(expected);
  });

  test.each<[string, string[], string[]]>([
    ['none', [], []],
    [
      'https and loopback http, as sent',
      ['https://app.example/signed-out?from=matomo', 'http://127.0.0.1:8080/', 'http://[::1]/'],
      ['https://app.example/signed-out?from=matomo', 'http://127.0.0.1:8080/', 'http://[::1]/'],
    ],
    [
      'each once',
      ['https://app.example/a', 'https://app.example/b', 'https://app.example/a'],
      ['https://app.example/a', 'https://app.example/b'],
    ],
    ['the most there may be', uris(20), uris(20)],
  ])('post-logout redirect URIs: %s', (_, postLogoutRedirectUris, expected) => {
    expect(checkClientSettings({ ...good, postLogoutRedirectUris }).postLogoutRedirectUris).toEqual(expected);
  });

  test('post-logout redirect URIs need no grant type and no redirect URI of their own', () => {
    const settings = checkClientSettings({
      ...good,
      grantTypes: ['client_credentials'],
      redirectUris: [],
      postLogoutRedirectUris: ['https://app.example/bye'],
    });
    expect([settings.redirectUris, settings.postLogoutRedirectUris]).toEqual([
      [],
      ['https://app.example/bye'],
    ]);
  });

  test('a client credentials client without redirect URIs; a public client with PKCE’s grant', () => {
    expect(
      checkClientSettings({ ...good, grantTypes: ['client_credentials'], redirectUris: [] }).redirectUris,
    ).toEqual([]);
    expect(checkClientSettings({ ...good, type: 'public', grantTypes: ['authorization_code'] }).type).toBe(
      'public',
    );
  });
});

describe('checkClientSettings refuses, with the plugin’s messages', () => {
  test.each<[string, Partial<ClientSettingsInput>, string, string]>([
    ['no name', { name: undefined }, 'name', 'Please provide a value for "name".'],
    ['a blank name', { name: '   ' }, 'name', 'Please provide a value for "name".'],
    ['a name too long', { name: 'n'.repeat(256) }, 'name', 'The name must be at most 255 characters.'],
    [
      'a description too long',
      { description: 'd'.repeat(2001) },
      'description',
      'The description must be at most 2000 characters.',
    ],
    ['no grant type', { grantTypes: [] }, 'grantTypes', 'Please provide a value for "grantTypes".'],
    [
      'unknown grant types',
      { grantTypes: ['authorization_code', 'implicit', 'password'] },
      'grantTypes',
      'Unsupported grant_types: implicit, password',
    ],
    [
      'an unknown grant type, cut short',
      { grantTypes: ['x'.repeat(300)] },
      'grantTypes',
      `Unsupported grant_types: ${'x'.repeat(200)}`,
    ],
    ['no scope', { scope: undefined }, 'scope', 'Invalid scope value.'],
    ['an unknown scope', { scope: 'matomo:root' }, 'scope', 'Invalid scope value.'],
    ['two scopes', { scope: 'matomo:read matomo:write' }, 'scope', 'Invalid scope value.'],
    [
      'a public client with client credentials',
      { type: 'public', grantTypes: ['authorization_code', 'client_credentials'] },
      'grantTypes',
      'Public clients cannot use the client_credentials grant type',
    ],
    [
      'a redirect URI with a stray space',
      { redirectUris: ['https://app.example/cb', ' https://app.example/cb2'] },
      'redirectUris',
      'Invalid redirect_uri:  https://app.example/cb2 (must not contain whitespace)',
    ],
    [
      'a long bad redirect URI, cut short',
      { redirectUris: [`http://app.example/${'a'.repeat(300)}`] },
      'redirectUris',
      `Invalid redirect_uri: http://app.example/${'a'.repeat(181)} (must use https (http only on loopback))`,
    ],
    [
      'the authorization code grant without a redirect URI',
      { redirectUris: [] },
      'redirectUris',
      'Invalid redirect_uri: the authorization_code grant needs at least one redirect URI.',
    ],
    [
      'too many redirect URIs',
      { redirectUris: uris(21) },
      'redirectUris',
      'Invalid redirect_uri: at most 20 redirect URIs.',
    ],
  ])('%s', (_, changes, field, message) => {
    expect(problem(changes)).toEqual({ field, message });
  });

  test('twenty-one copies of one URI are still too many', () => {
    expect(problem({ redirectUris: Array(21).fill('https://app.example/cb') }).message).toBe(
      'Invalid redirect_uri: at most 20 redirect URIs.',
    );
    expect(problem({ postLogoutRedirectUris: Array(21).fill('https://app.example/cb') }).message).toBe(
      'Invalid post_logout_redirect_uri: at most 20 post-logout redirect URIs.',
    );
  });
});

describe('checkClientSettings refuses OpenID Connect settings', () => {
  test.each<[string, Partial<ClientSettingsInput>, string, string]>([
    [
      'an unknown identity scope',
      { identityScopes: ['openid', 'address'] },
      'identityScopes',
      'Invalid identity scope: address',
    ],
    [
      'a Matomo scope among the identity scopes',
      { identityScopes: ['openid', 'matomo:read'] },
      'identityScopes',
      'Invalid identity scope: matomo:read',
    ],
    [
      'an identity scope in capitals',
      { identityScopes: ['OpenID'] },
      'identityScopes',
      'Invalid identity scope: OpenID',
    ],
    [
      'an identity scope with a space, not trimmed',
      { identityScopes: [' openid'] },
      'identityScopes',
      'Invalid identity scope:  openid',
    ],
    ['an empty identity scope', { identityScopes: [''] }, 'identityScopes', 'Invalid identity scope: '],
    [
      'a long unknown identity scope, cut short',
      { identityScopes: ['x'.repeat(300)] },
      'identityScopes',
      `Invalid identity scope: ${'x'.repeat(100)}`,
    ],
    [
      'the first of several unknown identity scopes',
      { identityScopes: ['phone', 'address'] },
      'identityScopes',
      'Invalid identity scope: phone',
    ],
    [
      'profile without openid',
      { identityScopes: ['profile'] },
      'identityScopes',
      'profile and email need openid',
    ],
    [
      'email without openid',
      { identityScopes: ['email'] },
      'identityScopes',
      'profile and email need openid',
    ],
    [
      'profile and email without openid',
      { identityScopes: ['email', 'profile', 'email'] },
      'identityScopes',
      'profile and email need openid',
    ],
    [
      'a post-logout redirect URI with a stray space',
      { postLogoutRedirectUris: ['https://app.example/', 'https://app.example/bye '] },
      'postLogoutRedirectUris',
      'Invalid post_logout_redirect_uri: https://app.example/bye  (must not contain whitespace)',
    ],
    [
      'a post-logout redirect URI with a fragment',
      { postLogoutRedirectUris: ['https://app.example/#bye'] },
      'postLogoutRedirectUris',
      'Invalid post_logout_redirect_uri: https://app.example/#bye (must not contain a fragment)',
    ],
    [
      'an empty post-logout redirect URI',
      { postLogoutRedirectUris: [''] },
      'postLogoutRedirectUris',
      'Invalid post_logout_redirect_uri:  (must be 1 to 2000 characters)',
    ],
    [
      'a long bad post-logout redirect URI, cut short',
      { postLogoutRedirectUris: [`http://app.example/${'a'.repeat(300)}`] },
      'postLogoutRedirectUris',
      `Invalid post_logout_redirect_uri: http://app.example/${'a'.repeat(181)} (must use https (http only on loopback))`,
    ],
    [
      'too many post-logout redirect URIs',
      { postLogoutRedirectUris: uris(21) },
      'postLogoutRedirectUris',
      'Invalid post_logout_redirect_uri: at most 20 post-logout redirect URIs.',
    ],
  ])('%s', (_, changes, field, message) => {
    expect(problem(changes)).toEqual({ field, message });
  });

  test('the plugin’s settings are checked first; then identity scopes, then post-logout redirect URIs', () => {
    const bad = { identityScopes: ['profile'], postLogoutRedirectUris: ['ftp://x'] };
    expect(problem({ ...bad, scope: 'matomo:root' }).field).toBe('scope');
    expect(problem({ ...bad, redirectUris: ['ftp://x'] }).field).toBe('redirectUris');
    expect(problem(bad).field).toBe('identityScopes');
    expect(problem({ ...bad, identityScopes: ['openid'] }).field).toBe('postLogoutRedirectUris');
  });
});
