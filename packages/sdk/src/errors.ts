import { formEncode } from './form';

/**
 * The stable codes of the SDK's errors: test `error.code`, never the message.
 *
 * | code | class | when |
 * | --- | --- | --- |
 * | `ERR_OAUTH_RESPONSE` | `OAuthResponseError` | the token or revocation endpoint answered `{error}` |
 * | `ERR_AUTHORIZATION_RESPONSE` | `OAuthResponseError` | the login redirect came back with `error=` |
 * | `ERR_INTERACTION_REQUIRED` | `OAuthResponseError` | `prompt: 'none'` came back with `login_required`, `consent_required` or `interaction_required` |
 * | `ERR_LOGIN_REQUIRED` | `LoginRequiredError` | no tokens, or the refresh token was rejected |
 * | `ERR_NO_AUTHORIZATION_RESPONSE` | `ProtocolError` | the callback address has no `code`, `state` or `error` |
 * | `ERR_STATE_MISMATCH` | `ProtocolError` | the redirect's `state` is unknown or already used |
 * | `ERR_ISSUER_MISMATCH` | `ProtocolError` | `iss` or the metadata `issuer` is not the expected one |
 * | `ERR_INVALID_RESPONSE` | `ProtocolError` | a response the SDK cannot read |
 * | `ERR_INVALID_ID_TOKEN` | `ProtocolError` | an ID token failed a check; `claim` names the claim |
 * | `ERR_NOT_SUPPORTED` | `ProtocolError` | the server lacks what was asked (no ID token nor UserInfo, no end-session endpoint) |
 * | `ERR_CONFIGURATION` | `ProtocolError` | a missing endpoint, storage or option |
 * | `ERR_MATOMO_API` | `MatomoApiError` | Matomo answered `{"result":"error"}` (any status) or a non-2xx |
 * | `ERR_INVALID_TOKEN` | `MatomoApiError` | 401 `invalid_token`, still after one refresh and retry |
 * | `ERR_INSUFFICIENT_SCOPE` | `MatomoApiError` | 403 `insufficient_scope`; `scope` names the one needed |
 *
 * @example
 * ```ts
 * if (error instanceof MatomoOAuth2Error && error.code === 'ERR_LOGIN_REQUIRED') await login.login();
 * ```
 */
export type ErrorCode =
  | 'ERR_OAUTH_RESPONSE'
  | 'ERR_AUTHORIZATION_RESPONSE'
  | 'ERR_INTERACTION_REQUIRED'
  | 'ERR_LOGIN_REQUIRED'
  | 'ERR_NO_AUTHORIZATION_RESPONSE'
  | 'ERR_STATE_MISMATCH'
  | 'ERR_ISSUER_MISMATCH'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_INVALID_ID_TOKEN'
  | 'ERR_NOT_SUPPORTED'
  | 'ERR_CONFIGURATION'
  | 'ERR_MATOMO_API'
  | 'ERR_INVALID_TOKEN'
  | 'ERR_INSUFFICIENT_SCOPE';

/**
 * What an error carries besides its code and message. `secrets` are values (tokens, codes, verifiers,
 * client secrets) that are cut out of every text the error keeps, in case a server echoes them.
 *
 * @example
 * ```ts
 * const details: ErrorDetails = { status: 400, error: 'invalid_grant', secrets: [refreshToken] };
 * ```
 */
export interface ErrorDetails {
  status?: number;
  error?: string;
  error_description?: string;
  /** league/oauth2-server's `hint` (the Matomo plugin's server), e.g. "Token has been revoked". */
  hint?: string;
  /** `MatomoApiError`: the scope the method needs. */
  scope?: string;
  /** `ERR_INVALID_ID_TOKEN`: the claim that failed its check. */
  claim?: string;
  cause?: unknown;
  response?: Response;
  secrets?: readonly (string | undefined)[];
}

// Stryker disable next-line ArrayDeclaration: no secrets by default; the mutant's one secret, "Stryker was here", is in no server's text
const redact = (text: string, secrets: ErrorDetails['secrets'] = []): string => {
  for (const secret of secrets) {
    if (secret && secret.length > 2) {
      // As sent, as in a URL, and as in a form body (spaces as `+`, `!'()~` escaped): servers echo any.
      for (const form of [secret, encodeURIComponent(secret), formEncode(secret)]) {
        text = text.split(form).join('[redacted]');
      }
    }
  }
  return text;
};

/**
 * The base class of every error the SDK throws. The raw `Response` (when there is one) is kept
 * non-enumerable, so it never lands in a log or in `JSON.stringify(error)`; no token, secret, code or
 * verifier appears in `message`, `toString()` or `toJSON()`.
 *
 * @example
 * ```ts
 * try { await matomo.call('API.getMatomoVersion'); } catch (e) {
 *   if (e instanceof MatomoOAuth2Error) console.error(e.code, e.status, JSON.stringify(e));
 * }
 * ```
 */
export class MatomoOAuth2Error extends Error {
  override name = 'MatomoOAuth2Error';
  declare readonly code: ErrorCode;
  /** The HTTP status of the response that caused the error, if any. */
  declare readonly status?: number;
  /** The OAuth `error` code (RFC 6749 §5.2, RFC 6750 §3.1), if any. */
  declare readonly error?: string;
  /** The server's `error_description`, if any. */
  declare readonly error_description?: string;
  /** league/oauth2-server's `hint`, if any: often its most useful text ("Token has been revoked"). */
  declare readonly hint?: string;
  /** The raw response (non-enumerable). */
  declare readonly response?: Response;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    const { secrets, response, cause, ...fields } = details;
    super(redact(message, secrets), 'cause' in details ? { cause } : undefined);
    this.code = code;
    // status, error, error_description and the subclasses' own fields, with secrets cut out.
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined) {
        Object.assign(this, { [name]: typeof value === 'string' ? redact(value, secrets) : value });
      }
    }
    Object.defineProperty(this, 'response', { value: response });
  }

  /** The enumerable fields and the message; never the response or the cause. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), message: this.message };
  }
}

type OAuthErrorCode = 'ERR_OAUTH_RESPONSE' | 'ERR_AUTHORIZATION_RESPONSE' | 'ERR_INTERACTION_REQUIRED';

/**
 * The authorization server answered with an OAuth error: from the token, revocation or UserInfo
 * endpoint (`ERR_OAUTH_RESPONSE`, with `status`, and `retryAfter` in seconds on a 429), or in the login
 * redirect (`ERR_AUTHORIZATION_RESPONSE`, e.g. `error === 'access_denied'` when the user said no).
 * A login with `prompt: 'none'` that needs the user (`login_required`, `consent_required`,
 * `interaction_required`) is `ERR_INTERACTION_REQUIRED`: log in again without `prompt: 'none'`.
 *
 * @example
 * ```ts
 * if (e instanceof OAuthResponseError && e.error === 'access_denied') showMessage('Login cancelled');
 * if (e instanceof OAuthResponseError && e.code === 'ERR_INTERACTION_REQUIRED') await login.login();
 * ```
 */
export class OAuthResponseError extends MatomoOAuth2Error {
  override name = 'OAuthResponseError';
  declare readonly code: OAuthErrorCode;
  declare readonly error: string;
  /** Seconds to wait before trying again (from `Retry-After`). */
  declare readonly retryAfter?: number;

  constructor(code: OAuthErrorCode, details: ErrorDetails & { error: string; retryAfter?: number }) {
    const { error, error_description, hint } = details;
    super(
      code,
      `The server answered ${error}${error_description ? `: ${error_description}` : ''}${hint ? ` (${hint})` : ''}`,
      details,
    );
  }
}

/**
 * There are no tokens, or the refresh token was rejected (the session ended, e.g. revoked): the user
 * must log in again. `cause` holds the token endpoint's `OAuthResponseError` when there was one.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof LoginRequiredError) await login.login({ returnTo: location.href }); }
 * ```
 */
export class LoginRequiredError extends MatomoOAuth2Error {
  override name = 'LoginRequiredError';
  declare readonly code: 'ERR_LOGIN_REQUIRED';

  constructor(message: string, details?: ErrorDetails) {
    super('ERR_LOGIN_REQUIRED', message, details);
  }
}

/**
 * Something did not follow the protocol or the configuration is incomplete: a callback address
 * without an authorization response (`ERR_NO_AUTHORIZATION_RESPONSE`), an unknown or reused `state`
 * (`ERR_STATE_MISMATCH`), a wrong issuer (`ERR_ISSUER_MISMATCH`), an unreadable response
 * (`ERR_INVALID_RESPONSE`), an ID token that failed a check (`ERR_INVALID_ID_TOKEN`, `claim` says
 * which), something the server does not offer (`ERR_NOT_SUPPORTED`), or a missing endpoint, storage
 * or option (`ERR_CONFIGURATION`).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ProtocolError && e.code === 'ERR_STATE_MISMATCH') location.replace('/'); }
 * ```
 */
export class ProtocolError extends MatomoOAuth2Error {
  override name = 'ProtocolError';
  declare readonly code:
    | 'ERR_NO_AUTHORIZATION_RESPONSE'
    | 'ERR_STATE_MISMATCH'
    | 'ERR_ISSUER_MISMATCH'
    | 'ERR_INVALID_RESPONSE'
    | 'ERR_INVALID_ID_TOKEN'
    | 'ERR_NOT_SUPPORTED'
    | 'ERR_CONFIGURATION';
  /** With `ERR_INVALID_ID_TOKEN`: the claim that failed (`iss`, `aud`, `azp`, `exp`, `sub`, `nonce`). */
  declare readonly claim?: string;
}

/**
 * A Matomo API call failed. `message` is Matomo's own message, `status` the HTTP status (Matomo sends
 * many errors with 200). `ERR_INVALID_TOKEN`: the token was rejected even after a refresh;
 * `ERR_INSUFFICIENT_SCOPE`: the token's scope is too low and `scope` names the scope the method needs.
 *
 * @example
 * ```ts
 * catch (e) {
 *   if (e instanceof MatomoApiError && e.code === 'ERR_INSUFFICIENT_SCOPE') console.log('needs', e.scope);
 * }
 * ```
 */
export class MatomoApiError extends MatomoOAuth2Error {
  override name = 'MatomoApiError';
  declare readonly code: 'ERR_MATOMO_API' | 'ERR_INVALID_TOKEN' | 'ERR_INSUFFICIENT_SCOPE';
  /** With `ERR_INSUFFICIENT_SCOPE`: the scope the method needs. */
  declare readonly scope?: string;
}
