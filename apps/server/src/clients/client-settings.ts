import { ValidationError } from '../errors/domain-error';
import { type GrantType, isGrantType } from '../protocol/grant-types';
import { isScope, type Scope } from '../protocol/scopes';
import { redirectUriProblem } from './redirect-uri';

/** A client's settings as a person or an API call sent them, before any check. */
export interface ClientSettingsInput {
  name: string | undefined;
  description: string | undefined;
  grantTypes: readonly string[];
  scope: string | undefined;
  /** `public`, or anything else for a confidential client (the plugin's default). */
  type: string | undefined;
  redirectUris: readonly string[];
}

/** A client's settings, checked. */
export interface ClientSettings {
  name: string;
  description: string;
  grantTypes: GrantType[];
  scope: Scope;
  redirectUris: string[];
  type: 'confidential' | 'public';
  /** Unset on update: the client stays as it is (paused or not). */
  active?: boolean | undefined;
}

export const MAX_REDIRECT_URIS = 20;

/**
 * Checks a client's settings, with the plugin's messages. Each redirect URI is checked as sent:
 * no trimming, so that stray spaces are refused, not repaired.
 */
export function checkClientSettings(input: ClientSettingsInput): ClientSettings {
  const name = input.name?.trim();
  if (!name) throw new ValidationError('Please provide a value for "name".', 'name');
  if (name.length > 255) throw new ValidationError('The name must be at most 255 characters.', 'name');
  const description = input.description ?? '';
  if (description.length > 2000)
    throw new ValidationError('The description must be at most 2000 characters.', 'description');

  if (input.grantTypes.length === 0)
    throw new ValidationError('Please provide a value for "grantTypes".', 'grantTypes');
  const unsupported = input.grantTypes.filter((grant) => !isGrantType(grant));
  if (unsupported.length > 0)
    throw new ValidationError(
      `Unsupported grant_types: ${unsupported.join(', ').slice(0, 200)}`,
      'grantTypes',
    );
  // Stryker disable next-line MethodExpression: every grant type is known by now; the filter narrows the type
  const grantTypes = [...new Set(input.grantTypes.filter(isGrantType))];

  const scope = input.scope;
  if (!isScope(scope)) throw new ValidationError('Invalid scope value.', 'scope');

  const type = input.type === 'public' ? 'public' : 'confidential';
  if (type === 'public' && grantTypes.includes('client_credentials')) {
    throw new ValidationError('Public clients cannot use the client_credentials grant type', 'grantTypes');
  }

  for (const uri of input.redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem)
      throw new ValidationError(`Invalid redirect_uri: ${uri.slice(0, 200)} (${problem})`, 'redirectUris');
  }
  if (grantTypes.includes('authorization_code') && input.redirectUris.length === 0) {
    throw new ValidationError(
      'Invalid redirect_uri: the authorization_code grant needs at least one redirect URI.',
      'redirectUris',
    );
  }
  if (input.redirectUris.length > MAX_REDIRECT_URIS)
    throw new ValidationError(
      `Invalid redirect_uri: at most ${MAX_REDIRECT_URIS} redirect URIs.`,
      'redirectUris',
    );

  return {
    name,
    description,
    grantTypes,
    scope,
    redirectUris: [...new Set(input.redirectUris)],
    type,
  };
}
