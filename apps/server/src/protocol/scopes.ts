import type { components } from '@matomo-oauth2/sdk/openapi';

export type Scope = components['schemas']['Scope'];
export type AccessLevel = 'view' | 'write' | 'admin' | 'superuser';

/** Every scope, least privileged first. */
export const scopes: readonly Scope[] = ['matomo:read', 'matomo:write', 'matomo:admin', 'matomo:superuser'];

/** The Matomo access level each scope stands for. */
export const scopeLevel: Readonly<Record<Scope, AccessLevel>> = {
  'matomo:read': 'view',
  'matomo:write': 'write',
  'matomo:admin': 'admin',
  'matomo:superuser': 'superuser',
};

export const levelScope: Readonly<Record<AccessLevel, Scope>> = {
  view: 'matomo:read',
  write: 'matomo:write',
  admin: 'matomo:admin',
  superuser: 'matomo:superuser',
};

export const scopeDescriptions: Readonly<Record<Scope, string>> = {
  'matomo:read': 'View the reports of the websites you can view.',
  'matomo:write': 'View reports and change data (annotations, for example) on the websites you can write to.',
  'matomo:admin': 'Also administer the websites you are an administrator of.',
  'matomo:superuser': 'Everything you can do as a super user, including managing OAuth clients.',
};

const rank: Readonly<Record<AccessLevel, number>> = { view: 1, write: 2, admin: 3, superuser: 4 };

export function isScope(value: unknown): value is Scope {
  return (scopes as readonly unknown[]).includes(value);
}

/** a ≤ b in privilege. */
export function atMost(a: Scope, b: Scope): boolean {
  return rank[scopeLevel[a]] <= rank[scopeLevel[b]];
}

export function levelAtLeast(level: AccessLevel, needed: AccessLevel): boolean {
  return rank[level] >= rank[needed];
}

export function lowerLevel(a: AccessLevel, b: AccessLevel): AccessLevel {
  return levelAtLeast(a, b) ? b : a;
}

/** The scopes a client whose ceiling is `ceiling` may be granted: the ceiling and every lower scope. */
export function scopesUpTo(ceiling: Scope): Scope[] {
  return scopes.filter((scope) => atMost(scope, ceiling));
}
