import { describe, expect, test } from 'vitest';
import {
  type AccessLevel,
  atMost,
  isScope,
  levelAtLeast,
  levelScope,
  lowerLevel,
  type Scope,
  scopeDescriptions,
  scopeLevel,
  scopes,
  scopesUpTo,
} from './scopes';

const levels: AccessLevel[] = ['view', 'write', 'admin', 'superuser'];

describe('scopes and access levels', () => {
  test('every scope, least privileged first, stands for one Matomo access level and back', () => {
    expect(scopes).toEqual(['matomo:read', 'matomo:write', 'matomo:admin', 'matomo:superuser']);
    expect(scopes.map((scope) => scopeLevel[scope])).toEqual(levels);
    expect(levels.map((level) => levelScope[level])).toEqual(scopes);
  });

  // Shown on the consent page and the client form, and answered by OAuth2.getAvailableScopes.
  test('each scope is described to people', () => {
    expect(scopeDescriptions).toEqual({
      'matomo:read': 'View the reports of the websites you can view.',
      'matomo:write':
        'View reports and change data (annotations, for example) on the websites you can write to.',
      'matomo:admin': 'Also administer the websites you are an administrator of.',
      'matomo:superuser': 'Everything you can do as a super user, including managing OAuth clients.',
    });
  });

  test.each([
    ['matomo:read', true],
    ['matomo:superuser', true],
    ['matomo:Read', false],
    ['matomo:read matomo:write', false],
    ['read', false],
    ['', false],
    ['toString', false],
    ['__proto__', false],
  ])('isScope(%j) is %s', (value, expected) => {
    expect(isScope(value)).toBe(expected);
  });
});

describe('comparing privileges', () => {
  // Every pair, so that a flipped or loosened comparison shows on the diagonal and off it.
  const pairs = scopes.flatMap((a, i) => scopes.map((b, j) => [a, b, i, j] as const));

  test.each(pairs)('atMost(%s, %s)', (a, b, i, j) => {
    expect(atMost(a, b)).toBe(i <= j);
  });

  test.each(pairs)('levelAtLeast(level of %s, level of %s)', (a, b, i, j) => {
    expect(levelAtLeast(scopeLevel[a], scopeLevel[b])).toBe(i >= j);
  });

  test.each(pairs)('lowerLevel(level of %s, level of %s)', (a, b, i, j) => {
    expect(lowerLevel(scopeLevel[a], scopeLevel[b])).toBe(levels[Math.min(i, j)]);
  });

  test.each([
    ['matomo:read', ['matomo:read']],
    ['matomo:write', ['matomo:read', 'matomo:write']],
    ['matomo:admin', ['matomo:read', 'matomo:write', 'matomo:admin']],
    ['matomo:superuser', [...scopes]],
  ] as [Scope, Scope[]][])('scopesUpTo(%s) is the ceiling and every lower scope', (ceiling, expected) => {
    expect(scopesUpTo(ceiling)).toEqual(expected);
  });
});
