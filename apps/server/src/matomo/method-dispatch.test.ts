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
  'Other.view': { access: 'view', run },
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

  test("a method its module lacks: Matomo's method error, naming the module's API class (400)", () => {
    expect(() => findMethod(methods, 'Mod.nope')).toThrow(
      new MatomoApiError(
        "The method 'nope' does not exist or is not available in the module '\\Piwik\\Plugins\\Mod\\API'.",
        400,
      ),
    );
  });

  test.each(['Nope.x', 'Mo.view', 'mod.view'])(
    '%s: a module not served is a plugin not enabled (200)',
    (name) => {
      const module = name.split('.')[0];
      expect(() => findMethod(methods, name)).toThrow(
        new MatomoApiError(
          `The plugin ${module} is not enabled. You can activate the plugin on Settings > Plugins page in Matomo.`,
          200,
        ),
      );
    },
  );

  test.each(['Nope', '__proto__', 'constructor', 'Mod.view.x', ''])('%s: not module.method', (name) => {
    expect(() => findMethod(methods, name)).toThrow(
      new MatomoApiError("The method name is invalid. Expected 'module.methodName'", 200),
    );
  });
});

test('long names are cut to 100 characters in the messages', () => {
  const long = 'M'.repeat(150);
  expect(() => findMethod(methods, `${long}.x`)).toThrow(`The plugin ${long.slice(0, 100)} is not enabled.`);
  expect(() => findMethod(methods, `Mod.${long}`)).toThrow(
    `The method '${long.slice(0, 100)}' does not exist`,
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
