import {
  type ClientSettings,
  type ClientSettingsInput,
  checkClientSettings,
} from '../../clients/client-settings';
import { MatomoApiError } from '../../errors/matomo-api-error';
import type { Params } from '../../http/params';
import { listParam } from '../list-param';

/**
 * Whether a list was sent at all. A parameter sent empty counts as absent elsewhere; but for the
 * OpenID Connect settings, which an update keeps when they are left out, `name=` (an emptied
 * textarea) is how to say "none".
 */
function listSent(params: Params, name: string): boolean {
  return params.sent(name) || params.sent(`${name}[]`);
}

/**
 * A list of URIs: `name[]=a&name[]=b`, `name=a&name=b`, or one value holding several, one per
 * line (a textarea). Each is kept as sent, empty lines aside.
 */
function uriListParam(params: Params, name: string): string[] {
  const values = [...params.getAll(name), ...params.getAll(`${name}[]`)];
  return (values.length === 1 ? (values[0] as string).split(/\r?\n/) : values).filter((uri) => uri !== '');
}

/**
 * The settings `OAuth2.createClient` and `OAuth2.updateClient` were sent, as the plugin names
 * them, and the OpenID Connect ones, which an update that leaves them out keeps as they are.
 */
export function readClientSettings(params: Params): ClientSettingsInput {
  return {
    name: params.get('name'),
    description: params.get('description'),
    grantTypes: listParam(params, 'grantTypes', /[,\s]+/) ?? [],
    scope: params.get('scope'),
    type: params.get('type'),
    redirectUris: uriListParam(params, 'redirectUris'),
    identityScopes: listSent(params, 'identityScopes')
      ? (listParam(params, 'identityScopes', /[,\s]+/) ?? [])
      : undefined,
    postLogoutRedirectUris: listSent(params, 'postLogoutRedirectUris')
      ? uriListParam(params, 'postLogoutRedirectUris')
      : undefined,
  };
}

/** `active`: 1 or 0; unset leaves a client as it is. Read once the other settings are checked, as the plugin does. */
export function readActiveParam(params: Params): boolean | undefined {
  const active = params.get('active');
  if (active !== undefined && active !== '1' && active !== '0') {
    throw new MatomoApiError('The parameter active must be 1 or 0.');
  }
  return active === undefined ? undefined : active === '1';
}

/** The settings of `OAuth2.createClient` and `OAuth2.updateClient`, read and checked in the plugin's order. */
export function readCheckedClientSettings(params: Params): ClientSettings {
  return { ...checkClientSettings(readClientSettings(params)), active: readActiveParam(params) };
}
