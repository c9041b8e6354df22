import { describe, expect, test } from 'vitest';
import type { UserRow } from '../db/schema';
import type { AccessLevel, Scope } from '../protocol/scopes';
import { createApiCaller } from './api-caller';

function user(superuser: boolean): UserRow {
  return {
    login: 'ann',
    email: 'ann@example.org',
    password_hash: 'x',
    superuser: superuser ? 1 : 0,
    created_at: 0,
  };
}

// Listed out of order, so that the answers' order comes from the caller, not from the input.
const siteAccess: { idsite: number; access: AccessLevel }[] = [
  { idsite: 3, access: 'admin' },
  { idsite: 1, access: 'view' },
  { idsite: 2, access: 'write' },
];
/** What bearer authentication loads for a super user: every site, at the super user level. */
const everySite: { idsite: number; access: AccessLevel }[] = [9, 2, 5].map((idsite) => ({
  idsite,
  access: 'superuser',
}));

function caller(superuser: boolean, scope: Scope) {
  return createApiCaller({
    user: user(superuser),
    clientId: 'app',
    scope,
    siteAccess: superuser ? everySite : siteAccess,
  });
}

describe('a user without super user access: each site capped by the scope', () => {
  test.each<[Scope, Record<number, AccessLevel | undefined>]>([
    ['matomo:read', { 1: 'view', 2: 'view', 3: 'view', 4: undefined }],
    ['matomo:write', { 1: 'view', 2: 'write', 3: 'write', 4: undefined }],
    ['matomo:admin', { 1: 'view', 2: 'write', 3: 'admin', 4: undefined }],
    // matomo:superuser grants nothing more than the user holds.
    ['matomo:superuser', { 1: 'view', 2: 'write', 3: 'admin', 4: undefined }],
  ])('with %s', (scope, expected) => {
    const api = caller(false, scope);
    expect(Object.fromEntries([1, 2, 3, 4].map((id) => [id, api.accessOf(id)]))).toEqual(expected);
    expect(api.superuser).toBe(false);
  });

  test.each<[Scope, AccessLevel, number[]]>([
    ['matomo:admin', 'view', [1, 2, 3]],
    ['matomo:admin', 'write', [2, 3]],
    ['matomo:admin', 'admin', [3]],
    ['matomo:admin', 'superuser', []],
    ['matomo:write', 'write', [2, 3]],
    ['matomo:write', 'admin', []],
    ['matomo:read', 'view', [1, 2, 3]],
    ['matomo:read', 'write', []],
  ])('with %s, the sites with %s access are %j', (scope, level, expected) => {
    expect(caller(false, scope).sitesWith(level)).toEqual(expected);
  });

  test('the caller says who calls, through which client and scope', () => {
    const api = caller(false, 'matomo:write');
    expect({ login: api.login, clientId: api.clientId, scope: api.scope }).toEqual({
      login: 'ann',
      clientId: 'app',
      scope: 'matomo:write',
    });
  });

  test('the super user level on sites does not make a super user', () => {
    const api = createApiCaller({
      user: user(false),
      clientId: 'app',
      scope: 'matomo:superuser',
      siteAccess: everySite,
    });
    expect(api.superuser).toBe(false);
  });
});

describe('a super user: every site, at the scope’s level', () => {
  test.each<[Scope, AccessLevel, boolean]>([
    ['matomo:superuser', 'superuser', true],
    ['matomo:admin', 'admin', false],
    ['matomo:write', 'write', false],
    ['matomo:read', 'view', false],
  ])('with %s, %s on every site; super user through the token: %s', (scope, level, superuser) => {
    const api = caller(true, scope);
    expect(api.superuser).toBe(superuser);
    expect([9, 2, 5].map((id) => api.accessOf(id))).toEqual([level, level, level]);
    expect(api.sitesWith(level)).toEqual([2, 5, 9]);
    expect(api.accessOf(1)).toBeUndefined();
  });

  test('a lower scope caps the levels above it', () => {
    const api = caller(true, 'matomo:write');
    expect(api.sitesWith('view')).toEqual([2, 5, 9]);
    expect(api.sitesWith('admin')).toEqual([]);
    expect(api.sitesWith('superuser')).toEqual([]);
  });
});
