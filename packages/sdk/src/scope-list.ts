import type { components } from './generated/openapi';

/**
 * A scope value (RFC 6749 §3.3): up to four scopes of `S`, space-separated, e.g.
 * `'matomo:read openid profile'`. `S` defaults to every scope of the contract (the Matomo scopes and
 * the OpenID Connect ones); `ScopeList<MatomoScope>` admits the Matomo scopes only.
 *
 * @example
 * ```ts
 * const asked: ScopeList<MatomoScope> = 'matomo:read matomo:write';
 * const granted: ScopeList = 'matomo:read openid profile email';
 * ```
 */
export type ScopeList<S extends string = components['schemas']['AnyScope']> =
  | S
  | `${S} ${S}`
  | `${S} ${S} ${S}`
  | `${S} ${S} ${S} ${S}`;

/**
 * One Matomo scope: `matomo:read`, `matomo:write`, `matomo:admin` or `matomo:superuser`.
 *
 * @example
 * ```ts
 * const scope: MatomoScope = 'matomo:read';
 * ```
 */
export type MatomoScope = components['schemas']['Scope'];
