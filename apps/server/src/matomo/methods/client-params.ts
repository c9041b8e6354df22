import type { ClientSettingsInput } from '../../clients/client-settings';
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
  const active = params.get('active');
  if (active !== undefined && active !== '1' && active !== '0') {
    throw new MatomoApiError('The parameter active must be 1 or 0.');
  }
  return {
    name: params.get('name'),
    description: params.get('description'),
    grantTypes: listParam(params, 'grantTypes', /[,\s]+/) ?? [],
    scope: params.get('scope'),
    type: params.get('type'),
    redirectUris,
    active: active === undefined ? undefined : active === '1',
  };
}
