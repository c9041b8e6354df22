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
  test('good settings, as checked values', () => {
    expect(checkClientSettings(good)).toEqual({
      name: 'Reporting app',
      description: 'Reads reports',
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'matomo:read',
      redirectUris: ['https://app.example/cb'],
      type: 'confidential',
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
  });
});
