import type { components } from '@matomo-oauth2/sdk/openapi';
import { isScope, type Scope } from './scopes';

/** An OpenID Connect scope. They accompany the one Matomo scope of a grant, never replace it. */
export type IdentityScope = components['schemas']['IdentityScope'];

/** Every identity scope, in the order they are written in a scope string. */
export const identityScopes: readonly IdentityScope[] = ['openid', 'profile', 'email'];

export function isIdentityScope(value: unknown): value is IdentityScope {
  return (identityScopes as readonly unknown[]).includes(value);
}

/** What each identity scope lets the application know, in the consent page's words. */
export const identityScopeDescriptions: Readonly<Record<IdentityScope, string>> = {
  openid: 'Know who you are: your Matomo login.',
  profile: 'See your name.',
  email: 'See your email address.',
};

/** The identity scopes among `values`, in their canonical order, each once. */
export function sortedIdentityScopes(values: readonly string[]): IdentityScope[] {
  return identityScopes.filter((scope) => values.includes(scope));
}

/** The space-separated column form ('' for none) back to a list. */
export function identityScopesFromColumn(text: string): IdentityScope[] {
  return sortedIdentityScopes(text.split(' '));
}

/** A granted scope as tokens and responses write it: the Matomo scope, then the identity scopes. */
export function grantedScope(scope: Scope, identity: readonly IdentityScope[]): string {
  return [scope, ...identity].join(' ');
}

/**
 * Reads a scope string such as `matomo:read openid profile`: exactly one Matomo scope and any
 * identity scopes, each at most once. Undefined when it is anything else.
 */
export function parseGrantedScope(text: string): { scope: Scope; identity: IdentityScope[] } | undefined {
  const items = text.split(' ');
  const matomo = items.filter(isScope);
  const identity = sortedIdentityScopes(items);
  if (matomo.length !== 1 || identity.length + 1 !== items.length) return undefined;
  return { scope: matomo[0] as Scope, identity };
}
