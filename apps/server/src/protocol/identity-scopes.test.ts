import { describe, expect, test } from 'vitest';
import {
  grantedScope,
  type IdentityScope,
  identityScopeDescriptions,
  identityScopes,
  identityScopesFromColumn,
  isIdentityScope,
  parseGrantedScope,
  sortedIdentityScopes,
} from './identity-scopes';
import type { Scope } from './scopes';

describe('identity scopes', () => {
  test('openid, profile and email, in the order a scope string writes them', () => {
    expect(identityScopes).toEqual(['openid', 'profile', 'email']);
  });

  // Shown on the consent page, under the Matomo scope.
  test('each identity scope is described to people', () => {
    expect(identityScopeDescriptions).toEqual({
      openid: 'Know who you are: your Matomo login.',
      profile: 'See your name.',
      email: 'See your email address.',
    });
  });

  test.each<[unknown, boolean]>([
    ['openid', true],
    ['profile', true],
    ['email', true],
    ['OpenID', false],
    ['openid profile', false],
    ['offline_access', false],
    ['matomo:read', false],
    ['', false],
    ['toString', false],
    [undefined, false],
  ])('isIdentityScope(%j) is %s', (value, expected) => {
    expect(isIdentityScope(value)).toBe(expected);
  });
});

describe('sortedIdentityScopes and the column form', () => {
  test.each<[string[], IdentityScope[]]>([
    [[], []],
    [['matomo:read'], []],
    [
      ['email', 'openid'],
      ['openid', 'email'],
    ],
    [
      ['profile', 'email', 'openid', 'profile'],
      ['openid', 'profile', 'email'],
    ],
    [['matomo:write', 'profile', 'bogus'], ['profile']],
  ])('sortedIdentityScopes(%j) is %j', (values, expected) => {
    expect(sortedIdentityScopes(values)).toEqual(expected);
  });

  test.each<[string, IdentityScope[]]>([
    ['', []],
    ['openid', ['openid']],
    ['email openid profile', ['openid', 'profile', 'email']],
    // A column holds only what this server wrote; anything else in it is ignored, not trusted.
    ['openid  bogus', ['openid']],
    ['openid profile', ['openid', 'profile']],
  ])('identityScopesFromColumn(%j) is %j', (text, expected) => {
    expect(identityScopesFromColumn(text)).toEqual(expected);
  });
});

describe('the granted scope string', () => {
  test.each<[Scope, IdentityScope[], string]>([
    ['matomo:read', [], 'matomo:read'],
    ['matomo:write', ['openid'], 'matomo:write openid'],
    ['matomo:admin', ['openid', 'profile', 'email'], 'matomo:admin openid profile email'],
  ])('grantedScope(%s, %j) is %j', (scope, identity, expected) => {
    expect(grantedScope(scope, identity)).toBe(expected);
  });

  test.each<[string, { scope: Scope; identity: IdentityScope[] }]>([
    ['matomo:read', { scope: 'matomo:read', identity: [] }],
    ['matomo:superuser openid', { scope: 'matomo:superuser', identity: ['openid'] }],
    ['email matomo:write openid', { scope: 'matomo:write', identity: ['openid', 'email'] }],
    [
      'openid profile email matomo:admin',
      { scope: 'matomo:admin', identity: ['openid', 'profile', 'email'] },
    ],
  ])('parseGrantedScope(%j) reads %j', (text, expected) => {
    expect(parseGrantedScope(text)).toEqual(expected);
  });

  test.each([
    ['no Matomo scope', 'openid'],
    ['only identity scopes', 'openid profile'],
    ['nothing', ''],
    ['two Matomo scopes', 'matomo:read matomo:write'],
    ['the same Matomo scope twice', 'matomo:read matomo:read'],
    ['an identity scope twice', 'matomo:read openid openid'],
    ['an unknown scope', 'matomo:read offline_access'],
    ['an unknown scope alone', 'matomo:root'],
    ['a double space', 'matomo:read  openid'],
    ['a leading space', ' matomo:read'],
    ['a trailing space', 'matomo:read '],
    ['a scope in another case', 'matomo:read OpenID'],
  ])('parseGrantedScope refuses %s (%j)', (_, text) => {
    expect(parseGrantedScope(text)).toBeUndefined();
  });
});
