import type { Client } from '../clients/client';
import {
  type ClientSettings,
  type ClientSettingsInput,
  checkClientSettings,
} from '../clients/client-settings';
import { ValidationError } from '../errors/domain-error';
import type { Params } from '../http/params';
import { readClientSettings } from '../matomo/methods/client-params';
import { isGrantType } from '../protocol/grant-types';

/** What the create and edit forms show: the values as typed (or as stored), never checked. */
export interface ClientFormValues {
  name: string;
  description: string;
  type: 'confidential' | 'public';
  grantTypes: string[];
  scope: string;
  /** One URI per line, as typed. */
  redirectUris: string;
  identityScopes: string[];
  /** One URI per line, as typed. */
  postLogoutRedirectUris: string;
}

export const newClientValues: ClientFormValues = {
  name: '',
  description: '',
  type: 'confidential',
  grantTypes: ['authorization_code', 'refresh_token'],
  scope: 'matomo:read',
  redirectUris: '',
  identityScopes: [],
  postLogoutRedirectUris: '',
};

export function clientValues(client: Client): ClientFormValues {
  return {
    name: client.name,
    description: client.description,
    type: client.type,
    grantTypes: [...client.grantTypes],
    scope: client.scope,
    redirectUris: client.redirectUris.join('\n'),
    identityScopes: [...client.identityScopes],
    postLogoutRedirectUris: client.postLogoutRedirectUris.join('\n'),
  };
}

/**
 * The posted form read as the API reads it (the same field names), except that the form always
 * has every field: no identity scope ticked (a browser sends nothing) means none, not "keep".
 */
function readClientForm(form: Params): ClientSettingsInput {
  const input = readClientSettings(form);
  return {
    ...input,
    identityScopes: input.identityScopes ?? [],
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
  };
}

/** The posted form as typed, to show it again beside its problems. */
export function postedValues(form: Params): ClientFormValues {
  // Read as the API reads them, so that what is shown checked is what was checked.
  const { grantTypes, identityScopes = [] } = readClientSettings(form);
  return {
    name: form.get('name') ?? '',
    description: form.get('description') ?? '',
    type: form.get('type') === 'public' ? 'public' : 'confidential',
    grantTypes: [...grantTypes],
    scope: form.get('scope') ?? '',
    redirectUris: form.get('redirectUris') ?? '',
    identityScopes: [...identityScopes],
    postLogoutRedirectUris: form.get('postLogoutRedirectUris') ?? '',
  };
}

/**
 * A stand-in for a field that has a problem, so that checking again finds the next field's
 * problem. Only the stand-ins are written here: the rules stay in `checkClientSettings`.
 */
function withStandIn(input: ClientSettingsInput, field: string): ClientSettingsInput | undefined {
  switch (field) {
    case 'name':
      return { ...input, name: 'name' };
    case 'description':
      return { ...input, description: '' };
    case 'scope':
      return { ...input, scope: 'matomo:read' };
    case 'grantTypes': {
      const allowed = input.grantTypes
        .filter(isGrantType)
        .filter((grant) => input.type !== 'public' || grant !== 'client_credentials');
      return { ...input, grantTypes: allowed.length > 0 ? allowed : ['refresh_token'] };
    }
    case 'redirectUris':
      return { ...input, redirectUris: ['https://example.invalid/callback'] };
    case 'identityScopes':
      return { ...input, identityScopes: [] };
    case 'postLogoutRedirectUris':
      return { ...input, postLogoutRedirectUris: [] };
    default:
      return undefined;
  }
}

export type CheckedClientForm =
  | { ok: true; settings: ClientSettings }
  | { ok: false; errors: Record<string, string> };

/**
 * Checks the posted settings with the rules the `OAuth2.*` methods use (the same reading of the
 * same field names, then `checkClientSettings`), collecting one problem per field so that a
 * person sees them all at once rather than one per submission.
 */
export function checkClientForm(form: Params): CheckedClientForm {
  const errors: Record<string, string> = {};
  let input = readClientForm(form);
  for (;;) {
    try {
      const settings = checkClientSettings(input);
      return Object.keys(errors).length === 0 ? { ok: true, settings } : { ok: false, errors };
    } catch (error) {
      if (!(error instanceof ValidationError) || error.field === undefined) throw error;
      if (error.field in errors) return { ok: false, errors };
      errors[error.field] = error.message;
      const next = withStandIn(input, error.field);
      if (!next) return { ok: false, errors };
      input = next;
    }
  }
}
