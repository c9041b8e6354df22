import { ValidationError } from '../errors/domain-error';
import { type GrantType, isGrantType } from '../protocol/grant-types';
import { type IdentityScope, isIdentityScope, sortedIdentityScopes } from '../protocol/identity-scopes';
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
  /** OpenID Connect scopes; undefined when not sent. */
  identityScopes: readonly string[] | undefined;
  /** Where RP-initiated logout may send the browser back; undefined when not sent. */
  postLogoutRedirectUris: readonly string[] | undefined;
}

/** A client's settings, checked. */
export interface ClientSettings {
  name: string;
  description: string;
  grantTypes: GrantType[];
  scope: Scope;
  redirectUris: string[];
  type: 'confidential' | 'public';
  /** Unset: on update the client keeps its own, on create it gets none. */
  identityScopes?: IdentityScope[];
  /** Unset: on update the client keeps its own, on create it gets none. */
  postLogoutRedirectUris?: string[];
  /** Unset on update: the client stays as it is (paused or not). */
  active?: boolean | undefined;
}

export const MAX_REDIRECT_URIS = 20;

/**
 * Checks a client's settings in the plugin's order, with its messages, then the OpenID Connect
 * settings (which the plugin does not have). Each redirect URI is checked as sent: no trimming,
 * so that stray spaces are refused, not repaired.
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

  const redirectUris = checkedUris(input.redirectUris, redirectUriList);
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw new ValidationError(
      'Invalid redirect_uri: the authorization_code grant needs at least one redirect URI.',
      'redirectUris',
    );
  }

  return {
    name,
    description,
    grantTypes,
    scope,
    redirectUris,
    type,
    identityScopes: checkedIdentityScopes(input.identityScopes),
    postLogoutRedirectUris:
      input.postLogoutRedirectUris === undefined
        ? undefined
        : checkedUris(input.postLogoutRedirectUris, postLogoutRedirectUriList),
  };
}

interface UriList {
  /** The protocol's name of one, as the messages say it. */
  parameter: string;
  /** The field a refusal names. */
  field: string;
  /** The whole list in plain words, for the limit's message. */
  plural: string;
}

const redirectUriList: UriList = {
  parameter: 'redirect_uri',
  field: 'redirectUris',
  plural: 'redirect URIs',
};

const postLogoutRedirectUriList: UriList = {
  parameter: 'post_logout_redirect_uri',
  field: 'postLogoutRedirectUris',
  plural: 'post-logout redirect URIs',
};

/**
 * Checks registered URIs, each as sent: no trimming, so that stray spaces are refused, not
 * repaired. At most `MAX_REDIRECT_URIS` are sent (a copy counts); each is kept once.
 */
function checkedUris(uris: readonly string[], list: UriList): string[] {
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem)
      throw new ValidationError(`Invalid ${list.parameter}: ${uri.slice(0, 200)} (${problem})`, list.field);
  }
  if (uris.length > MAX_REDIRECT_URIS)
    throw new ValidationError(
      `Invalid ${list.parameter}: at most ${MAX_REDIRECT_URIS} ${list.plural}.`,
      list.field,
    );
  return [...new Set(uris)];
}

/** The identity scopes sent, in their canonical order, each once; undefined when the list was not sent. */
function checkedIdentityScopes(values: readonly string[] | undefined): IdentityScope[] | undefined {
  if (values === undefined) return undefined;
  const unknown = values.find((value) => !isIdentityScope(value));
  if (unknown !== undefined)
    throw new ValidationError(`Invalid identity scope: ${unknown.slice(0, 100)}`, 'identityScopes');
  const scopes = sortedIdentityScopes(values);
  // The claims of profile and email come with an ID token or from UserInfo: both need openid.
  if (scopes.length > 0 && !scopes.includes('openid'))
    throw new ValidationError('profile and email need openid', 'identityScopes');
  return scopes;
}
