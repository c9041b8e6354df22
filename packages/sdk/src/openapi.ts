/**
 * The types generated from `openapi.yaml`: `paths` (every route with its parameters and
 * responses), `operations` (the same, by `operationId`) and `components` (the shared schemas).
 *
 * @example
 * ```ts
 * import type { components } from '@matomo-oauth2/sdk/openapi';
 * type Row = components['schemas']['PageUrlRow'];
 * ```
 */
export type { components, operations, paths } from './generated/openapi';
