import type { components } from '@matomo-oauth2/sdk/openapi';

export type GrantType = components['schemas']['GrantType'];

export const grantTypes: readonly GrantType[] = ['authorization_code', 'client_credentials', 'refresh_token'];

export function isGrantType(value: string): value is GrantType {
  return (grantTypes as readonly string[]).includes(value);
}
