import { describe, expect, test } from 'vitest';
import type { UserRow } from '../db/schema';
import { BearerError } from '../errors/bearer-error';
import { MatomoApiError } from '../errors/matomo-api-error';
import { Params } from '../http/params';
import type { AccessLevel, Scope } from '../protocol/scopes';
import { createApiCaller } from '../users/api-caller';
import { checkScope, checkSites, checkSomeAccess, checkSuperuser, noAccess } from './access-check';

function caller(
  scope: Scope,
  siteAccess: { idsite: number; access: 'view' | 'write' | 'admin' }[],
  { superuser = false } = {},
) {
  const user: UserRow = {
    login: 'ann',
    email: 'ann@example.org',
    password_hash: 'x',
    superuser: superuser ? 1 : 0,
    created_at: 0,
  };
  // A super user has every site (1 to 3) at the super user level, as bearer authentication loads them.
  const levels = superuser
    ? [1, 2, 3].map((idsite) => ({ idsite, access: 'superuser' as const }))
    : siteAccess;
  return createApiCaller({ user, clientId: 'app', scope, siteAccess: levels });
}

/** Ann views site 1, writes to site 2, administers site 3; site 4 exists, but not for her. */
const ann = (scope: Scope = 'matomo:admin') =>
  caller(scope, [
    { idsite: 3, access: 'admin' },
    { idsite: 1, access: 'view' },
    { idsite: 2, access: 'write' },
  ]);

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function idSite(...values: string[]): Params {
  return new Params(values.map((value) => ['idSite', value]));
}

describe('checkScope: the token’s scope against the method’s level', () => {
  test.each<[Scope, AccessLevel]>([
    ['matomo:read', 'view'],
    ['matomo:write', 'view'],
    ['matomo:write', 'write'],
    ['matomo:admin', 'admin'],
    ['matomo:superuser', 'superuser'],
    ['matomo:superuser', 'view'],
  ])('%s may call a method that needs %s', (scope, needed) => {
    expect(() => checkScope(ann(scope), needed)).not.toThrow();
  });

  test.each<[Scope, AccessLevel, Scope]>([
    ['matomo:read', 'write', 'matomo:write'],
    ['matomo:write', 'admin', 'matomo:admin'],
    ['matomo:admin', 'superuser', 'matomo:superuser'],
    ['matomo:read', 'superuser', 'matomo:superuser'],
  ])('%s may not call a method that needs %s: 403 insufficient_scope', (scope, needed, scopeNeeded) => {
    const error = thrown(() => checkScope(ann(scope), needed));
    expect(error).toBeInstanceOf(BearerError);
    expect(error).toMatchObject({ status: 403, error: 'insufficient_scope', scope: scopeNeeded });
  });

  test('the message names both scopes', () => {
    expect(thrown(() => checkScope(ann('matomo:read'), 'write'))).toHaveProperty(
      'message',
      "The access token's scope (matomo:read) does not allow this method, which needs matomo:write.",
    );
  });
});

describe('noAccess: Matomo’s NoAccessException', () => {
  test.each<[AccessLevel, number | undefined, string]>([
    ['view', 3, "You can't access this resource as it requires 'view' access for the website id = 3."],
    [
      'admin',
      undefined,
      "You can't access this resource as it requires 'admin' access for at least one website.",
    ],
    ['superuser', undefined, "You can't access this resource as it requires 'superuser' access."],
    [
      'superuser',
      7,
      "You can't access this resource as it requires 'superuser' access for the website id = 7.",
    ],
  ])('%s, site %s', (needed, idsite, message) => {
    const error = noAccess(needed, idsite);
    expect(error).toBeInstanceOf(MatomoApiError);
    expect(error).toMatchObject({ status: 401, message });
  });
});

describe('checkSuperuser', () => {
  test('passes only a super user whose token has matomo:superuser', () => {
    expect(() => checkSuperuser(caller('matomo:superuser', [], { superuser: true }))).not.toThrow();
    expect(thrown(() => checkSuperuser(caller('matomo:admin', [], { superuser: true })))).toMatchObject({
      status: 401,
      message: noAccess('superuser').message,
    });
    expect(thrown(() => checkSuperuser(ann('matomo:superuser')))).toBeInstanceOf(MatomoApiError);
  });
});

describe('checkSomeAccess: methods that name no site need some access somewhere', () => {
  test('a user with no site access cannot call API.getMatomoVersion', () => {
    const nobody = caller('matomo:superuser', []);
    expect(thrown(() => checkSomeAccess(nobody, 'view'))).toMatchObject({
      status: 401,
      message: noAccess('view').message,
    });
  });

  test('a user who can view one site can', () => {
    expect(() =>
      checkSomeAccess(caller('matomo:read', [{ idsite: 4, access: 'view' }]), 'view'),
    ).not.toThrow();
  });

  test('the level is the effective one, capped by the scope', () => {
    expect(() => checkSomeAccess(ann('matomo:admin'), 'admin')).not.toThrow();
    expect(thrown(() => checkSomeAccess(ann('matomo:write'), 'admin'))).toMatchObject({ status: 401 });
  });
});

describe('checkSites: idSite, access-checked', () => {
  test.each<[string[], AccessLevel, number[], boolean]>([
    [['1'], 'view', [1], false],
    [['3'], 'admin', [3], false],
    [[' 2 '], 'write', [2], false],
    [['3,1'], 'view', [1, 3], true],
    [['3, 1 ,2'], 'view', [1, 2, 3], true],
    [['3', '1'], 'view', [1, 3], true],
    [['all'], 'view', [1, 2, 3], true],
    [['all'], 'write', [2, 3], true],
    // Matomo's Site::getIdSitesFromIdSitesString: duplicates count once, so one site is not keyed.
    [['2,2'], 'write', [2], false],
    [['1,1,1'], 'view', [1], false],
    // Empty entries, words and numbers below 1 are dropped.
    [['1,'], 'view', [1], false],
    [[',1'], 'view', [1], false],
    [['1,,2'], 'view', [1, 2], true],
    [['1,0'], 'view', [1], false],
    [['1,-3'], 'view', [1], false],
    [['all,1'], 'view', [1], false],
    [['1,abc,3'], 'view', [1, 3], true],
    [['1,0x2'], 'view', [1], false],
    // Leading zeros are read (PHP's is_numeric), and PHP's trim takes tabs and newlines.
    [['01'], 'view', [1], false],
    [['1,02'], 'view', [1, 2], true],
    [['\t1\n'], 'view', [1], false],
    [['\n1,\t3 '], 'view', [1, 3], true],
    [['\u000b1\u0000'], 'view', [1], false],
  ])('idSite=%j with %s access is %j (keyed by site: %s)', (values, needed, ids, multiple) => {
    expect(checkSites(ann(), idSite(...values), needed)).toEqual({ ids, multiple });
  });

  test('"all" is the sites where the scope leaves the level', () => {
    expect(checkSites(ann('matomo:write'), idSite('all'), 'admin')).toEqual({ ids: [], multiple: true });
  });

  test('a missing idSite', () => {
    expect(thrown(() => checkSites(ann(), new Params(), 'view'))).toMatchObject({
      status: 200,
      message: "Please specify a value for 'idSite'.",
    });
    expect(thrown(() => checkSites(ann(), idSite(''), 'view'))).toBeInstanceOf(MatomoApiError);
  });

  test.each(['0', '-1', ',', ' , ', 'abc', '1;2', 'ALL', 'alls', ' all ', 'all,all', '0x1'])(
    "idSite=%j names no site: Matomo's NoAccessException",
    (value) => {
      expect(thrown(() => checkSites(ann(), idSite(value), 'view'))).toMatchObject({
        status: 401,
        message: "The parameter 'idSite=' is missing from the request.",
      });
    },
  );

  test.each(['1.5', '1e3', '+1', '1.0', '1,2.5', '12345678901234567890'])(
    'idSite=%j is refused (Matomo would read a number that is no site id)',
    (value) => {
      expect(thrown(() => checkSites(ann(), idSite(value), 'view'))).toMatchObject({
        status: 200,
        message:
          'The parameter idSite is not valid: expected a website id, a comma-separated list of ids, or "all".',
      });
    },
  );

  test('ids up to 2^53 - 1 are ids; beyond, refused', () => {
    expect(thrown(() => checkSites(ann(), idSite('9007199254740991'), 'view'))).toMatchObject({
      status: 401,
      message: noAccess('view', 9007199254740991).message,
    });
    expect(thrown(() => checkSites(ann(), idSite('1,1234567890'), 'view'))).toMatchObject({ status: 401 });
    expect(thrown(() => checkSites(ann(), idSite('9007199254740992'), 'view'))).toMatchObject({
      status: 200,
    });
  });

  test.each<[string, AccessLevel, number]>([
    ['4', 'view', 4],
    ['1', 'write', 1],
    ['2', 'admin', 2],
    ['3', 'superuser', 3],
    ['1,4', 'view', 4],
    ['5,4', 'view', 4],
    ['3,2,1', 'write', 1],
  ])('idSite=%s with %s access: no access to site %i (unknown and forbidden alike)', (value, needed, id) => {
    expect(thrown(() => checkSites(ann(), idSite(value), needed))).toMatchObject({
      status: 401,
      message: noAccess(needed, id).message,
    });
  });

  test('the scope caps each site', () => {
    expect(thrown(() => checkSites(ann('matomo:write'), idSite('3'), 'admin'))).toMatchObject({
      status: 401,
      message: noAccess('admin', 3).message,
    });
    expect(thrown(() => checkSites(ann('matomo:read'), idSite('2'), 'write'))).toMatchObject({ status: 401 });
  });

  test.each([['1,2'], ['1,2,1'], ['all']])('one-site methods refuse idSite=%s', (value) => {
    expect(thrown(() => checkSites(ann(), idSite(value), 'view', { single: true }))).toMatchObject({
      status: 200,
      message:
        value === 'all'
          ? 'This method accepts one website id in idSite, not "all".'
          : 'This method accepts one website id in idSite.',
    });
  });

  test('one-site methods refuse two idSite parameters', () => {
    expect(thrown(() => checkSites(ann(), idSite('1', '2'), 'view', { single: true }))).toBeInstanceOf(
      MatomoApiError,
    );
  });

  test('one-site methods take one id, also written 2, or 2,2', () => {
    for (const value of ['2', '2,', '2,2', ' 2 ']) {
      expect(checkSites(ann(), idSite(value), 'write', { single: true }), value).toEqual({
        ids: [2],
        multiple: false,
      });
    }
  });
});
