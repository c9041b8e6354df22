import { describe, expect, test } from 'vitest';
import { BearerError } from '../errors/bearer-error';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { Scope } from '../protocol/scopes';
import { createApiCaller } from '../users/api-caller';
import { checkCall, findMethod } from './method-dispatch';
import type { MatomoMethod, MethodTable } from './method-registry';

const run = async () => 'ran';
const methods: MethodTable = {
  'Mod.view': { access: 'view', run },
  'Mod.secret': { access: 'superuser', postOnly: true, run },
  'Mod.note': { access: 'view', scope: 'write', run },
};

const caller = (scope: Scope, superuser = false) =>
  createApiCaller({
    user: {
      login: 'ann',
      email: 'a@example.org',
      password_hash: 'x',
      superuser: superuser ? 1 : 0,
      created_at: 0,
    },
    clientId: 'app',
    scope,
    siteAccess: [{ idsite: 1, access: superuser ? 'superuser' : 'view' }],
  });

describe('findMethod', () => {
  test('a method of the table', () => {
    expect(findMethod(methods, 'Mod.view')).toBe(methods['Mod.view']);
  });

  test.each([
    ['Mod.nope', 'Mod'],
    ['Nope', 'Nope'],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
  ])('%s: Matomo’s error, naming the module', (name, module) => {
    expect(() => findMethod(methods, name)).toThrow(
      new MatomoApiError(
        `The method '${name}' does not exist or is not available in the module '${module}'.`,
        400,
      ),
    );
  });
});

test('a long name is cut to 100 characters in the message, the module too', () => {
  const module = 'M'.repeat(150);
  const name = `${module}.x`;
  expect(() => findMethod(methods, name)).toThrow(
    `The method '${name.slice(0, 100)}' does not exist or is not available in the module '${module.slice(0, 100)}'.`,
  );
});

describe('checkCall', () => {
  const check = (name: string, scope: Scope, options: { superuser?: boolean; fromPostBody?: boolean } = {}) =>
    checkCall(name, methods[name] as MatomoMethod, caller(scope, options.superuser), {
      fromPostBody: options.fromPostBody ?? true,
    });

  test('a POST-only method from a URL is refused, before anything else', () => {
    expect(() => check('Mod.secret', 'matomo:read', { fromPostBody: false })).toThrow(
      "The method 'Mod.secret' only accepts POST requests.",
    );
    expect(() => check('Mod.secret', 'matomo:superuser', { superuser: true })).not.toThrow();
  });

  // A scope below the method's: 403 insufficient_scope (BearerError); a user below it: Matomo's 401.
  test.each<[string, Scope, boolean, 'ok' | 'scope' | 'user']>([
    ['Mod.view', 'matomo:read', false, 'ok'],
    // The token's scope is `scope` where the method names one: a read token never writes.
    ['Mod.note', 'matomo:read', false, 'scope'],
    ['Mod.note', 'matomo:write', false, 'ok'],
    ['Mod.secret', 'matomo:admin', true, 'scope'],
    // The scope is enough, but the user is no super user.
    ['Mod.secret', 'matomo:superuser', false, 'user'],
    ['Mod.secret', 'matomo:superuser', true, 'ok'],
  ])('%s with %s (super user: %s): %s', (name, scope, superuser, outcome) => {
    const attempt = () => check(name, scope, { superuser });
    if (outcome === 'ok') expect(attempt).not.toThrow();
    else if (outcome === 'scope') expect(attempt).toThrow(BearerError);
    else expect(attempt).toThrow(MatomoApiError);
  });
});
