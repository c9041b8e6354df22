import {
  type ClientSettings,
  type ClientSettingsInput,
  checkClientSettings,
} from '../../clients/client-settings';
import { MatomoApiError } from '../../errors/matomo-api-error';
import type { Params } from '../../http/params';
import { listParam } from '../list-param';

/** The settings `OAuth2.createClient` and `OAuth2.updateClient` were sent, as the plugin names them. */
export function readClientSettings(params: Params): ClientSettingsInput {
  // One value may hold several URIs, one per line (a textarea); each is kept as sent.
  const rawUris = [...params.getAll('redirectUris'), ...params.getAll('redirectUris[]')];
  const redirectUris = (rawUris.length === 1 ? (rawUris[0] as string).split(/\r?\n/) : rawUris).filter(
    (uri) => uri !== '',
  );
  return {
    name: params.get('name'),
    description: params.get('description'),
    grantTypes: listParam(params, 'grantTypes', /[,\s]+/) ?? [],
    scope: params.get('scope'),
    type: params.get('type'),
    redirectUris,
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
