import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../config/clock';
import { sha256Hex } from '../crypto/digest';
import { randomToken } from '../crypto/random-token';
import { AuthorizationRedirectError } from '../errors/oauth-error';
import { PageError } from '../errors/page-error';
import { formOf, queryParams, readForm } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import { consentPage, noGrantableScopePage } from '../pages/consent.page';
import { cspSourceFor } from '../pages/layout';
import { renderPageErrors, sendPage } from '../pages/page-response';
import { identityScopesFromColumn } from '../protocol/identity-scopes';
import { atMost, isScope, type Scope } from '../protocol/scopes';
import { showLoginForm } from '../sessions/login-form';
import { checkSessionCsrf, loadSession, type SessionDeps } from '../sessions/session.middleware';
import type { SessionState } from '../sessions/session-state';
import * as codes from '../tokens/authorization-code.repository';
import * as grants from '../tokens/grant.repository';
import { userHoldsScope } from '../users/grantable-scopes';
import * as users from '../users/user.repository';
import {
  type AuthorizationRequest,
  authorizationResponseUrl,
  UnregisteredRedirectUriError,
  validateAuthorizationRequest,
  withoutForcedSignIn,
} from './authorization-request';

/**
 * Whether a public client's redirect URI shows who it is: an `https` URL of a host that is not this
 * machine. Any local program can listen on a loopback address or claim a private-use scheme
 * (RFC 8252 §8.6), so a public client there is asked for consent every time.
 */
function identityAssured(redirectUri: string): boolean {
  const { protocol, hostname } = new URL(redirectUri);
  return protocol === 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

/** What the authorization endpoint leaves on `ctx.state`. */
export interface AuthorizationState extends SessionState {
  authorization?: AuthorizationRequest;
}

type Middleware = AppMiddleware<AuthorizationState>;

export interface AuthorizeEndpointDeps extends SessionDeps {
  clock: Clock;
  audit: AuditLog;
  issuer: string;
  /** Authorization code lifetime, seconds. */
  authorizationCodeTtl: number;
}

/**
 * The authorization endpoint (RFC 6749 §4.1.1), both `/oauth2/authorize` and
 * `/index.php?module=OAuth2&action=authorize`: GET shows the sign-in or consent page, POST records
 * the decision. Redirects after a POST are 303s (RFC 9700 §4.12) and every authorization
 * response carries `iss` (RFC 9207).
 *
 * Consent is remembered while the user has a live grant to the client covering the request; a
 * public client on a loopback or private-use redirect URI is always asked, since any local
 * program can claim it (RFC 8252 §8.6). `prompt` and `max_age` (OpenID Connect Core §3.1.2.1)
 * force a sign-in or the consent page, or (`prompt=none`) forbid any page.
 */
export function authorizeEndpoint(deps: AuthorizeEndpointDeps) {
  const { db, clock, audit, issuer, cookies } = deps;

  function redirect(ctx: AppContext, redirectUri: string, params: Record<string, string | undefined>): void {
    ctx.status = ctx.method === 'POST' ? 303 : 302;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.redirect(authorizationResponseUrl(redirectUri, { ...params, iss: issuer }));
  }

  function requestOf(ctx: AppContext<AuthorizationState>): AuthorizationRequest {
    const request = ctx.state.authorization;
    if (!request) throw new Error('the authorization request was not validated');
    return request;
  }

  const redirectErrors: Middleware = async function redirectErrors(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof AuthorizationRedirectError)) throw error;
      redirect(ctx, error.redirectUri, {
        error: error.error,
        error_description: error.message,
        state: error.state,
      });
    }
  };

  const validateRequest: Middleware = async function validateRequest(ctx, next) {
    try {
      ctx.state.authorization = await validateAuthorizationRequest(queryParams(ctx), db);
    } catch (error) {
      // The page tells the user; the developer who mistyped the URI finds it in the log.
      if (error instanceof UnregisteredRedirectUriError) {
        const { clientId, redirectUri } = error;
        ctx.state
          .log?.()
          .warn(
            { clientId, redirectUri: redirectUri.slice(0, 2000) },
            'authorize: redirect_uri is not registered for the client',
          );
      }
      throw error;
    }
    await next();
  };

  /** Whether the session is too old for the request's `max_age` (`0` asks every time, as `prompt=login`). */
  function signInTooOld(request: AuthorizationRequest, signedInAt: number): boolean {
    const { maxAge } = request;
    return maxAge !== undefined && (maxAge === 0 || Math.floor((clock() - signedInAt) / 1000) > maxAge);
  }

  /**
   * A session, fresh enough for the request. Signing in returns to the request without what forced
   * it (`withoutForcedSignIn`), so a consent form never carries `prompt=login`: a decision (POST)
   * that still does is refused, never taken without the password.
   */
  const requireSignIn: Middleware = async function requireSignIn(ctx, next) {
    const request = requestOf(ctx);
    const session = ctx.state.session;
    const forced = request.prompt.has('login') || (session && signInTooOld(request, session.data.createdAt));
    if (session && !forced) return next();
    if (request.prompt.has('none')) {
      throw new AuthorizationRedirectError(
        'login_required',
        'The user must sign in (prompt=none forbids showing the sign-in page)',
        request.redirectUri,
        request.state,
      );
    }
    if (ctx.method === 'GET') {
      showLoginForm(ctx, cookies, {
        // `ctx.url`, not `originalUrl`: paths the server keeps are relative to the issuer's path.
        returnTo: withoutForcedSignIn(ctx.url),
        clientName: request.client.name,
        ...(request.loginHint === undefined ? {} : { login: request.loginHint }),
        // Signed in, remembered consent sends the browser on to the client at once.
        formTargets: [cspSourceFor(request.redirectUri)],
      });
      return;
    }
    throw new PageError(
      403,
      'Please sign in again',
      'Your session has ended. Go back to the application and start again.',
    );
  };

  /** The requested scopes the user holds, least privileged first. */
  async function grantable(ctx: AppContext<AuthorizationState>): Promise<Scope[]> {
    const session = ctx.state.session;
    if (!session) return [];
    const access = await users.siteAccess(db, session.user.login);
    return requestOf(ctx).scopes.filter((scope) => userHoldsScope(session.user, access, scope));
  }

  /**
   * The scope consent already given covers, if any: the most privileged of `offered` that a
   * live grant of the user to this client holds, with every identity scope asked for.
   */
  async function rememberedScope(
    request: AuthorizationRequest,
    login: string,
    offered: readonly Scope[],
  ): Promise<Scope | undefined> {
    const { client, redirectUri } = request;
    if (client.type === 'public' && !identityAssured(redirectUri)) return undefined;
    let remembered: Scope | undefined;
    for (const grant of await grants.liveScopesOfUserForClient(db, login, client.clientId, clock())) {
      const identity = identityScopesFromColumn(grant.identity_scopes);
      if (!request.identityScopes.every((scope) => identity.includes(scope))) continue;
      for (const scope of offered) {
        if (atMost(scope, grant.scope) && (remembered === undefined || atMost(remembered, scope)))
          remembered = scope;
      }
    }
    return remembered;
  }

  /** Issues the code for `scope` and sends it to the client. */
  async function issueCode(ctx: AppContext<AuthorizationState>, scope: Scope): Promise<void> {
    const request = requestOf(ctx);
    const session = ctx.state.session;
    if (!session) throw new Error('a code is issued only in a session');
    const code = randomToken(32);
    const now = clock();
    await codes.insert(db, {
      code_digest: sha256Hex(code),
      client_id: request.client.clientId,
      user_login: session.user.login,
      redirect_uri: request.redirectUri,
      redirect_uri_sent: request.redirectUriSent ? 1 : 0,
      scope,
      code_challenge: request.codeChallenge ?? null,
      created_at: now,
      expires_at: now + deps.authorizationCodeTtl * 1000,
      consumed_at: null,
      grant_id: null,
      identity_scopes: request.identityScopes.join(' '),
      nonce: request.nonce ?? null,
      auth_time: session.data.createdAt,
      sid: session.data.sid,
    });
    audit.record('consent.allowed', {
      actor: session.user.login,
      clientId: request.client.clientId,
      ip: ctx.ip,
      detail: {
        scope,
        ...(request.identityScopes.length === 0 ? {} : { identity_scopes: request.identityScopes }),
        requested: request.scopes,
        pkce: request.codeChallenge !== undefined,
        ...(ctx.method === 'GET' ? { remembered: true } : {}),
      },
    });
    redirect(ctx, request.redirectUri, { code, state: request.state });
  }

  const showConsent: Middleware = async function showConsent(ctx) {
    const request = requestOf(ctx);
    const session = ctx.state.session;
    if (!session) return;
    const offered = await grantable(ctx);
    const noPage = (error: 'consent_required' | 'interaction_required', description: string) =>
      new AuthorizationRedirectError(error, description, request.redirectUri, request.state);
    if (offered.length === 0) {
      if (request.prompt.has('none'))
        throw noPage('interaction_required', 'The user holds none of the requested scopes');
      const page = noGrantableScopePage({
        clientName: request.client.name,
        user: session.user,
        requested: request.scopes,
        csrfToken: session.data.csrfToken,
        action: ctx.url,
      });
      sendPage(ctx, 403, page, [cspSourceFor(request.redirectUri)]);
      return;
    }
    if (!request.prompt.has('consent')) {
      const scope = await rememberedScope(request, session.user.login, offered);
      if (scope !== undefined) {
        await issueCode(ctx, scope);
        return;
      }
    }
    if (request.prompt.has('none'))
      throw noPage('consent_required', 'The user has not consented to this request yet');
    const page = consentPage({
      clientName: request.client.name,
      clientId: request.client.clientId,
      redirectHost: new URL(request.redirectUri).host || request.redirectUri,
      user: session.user,
      offered,
      identityScopes: request.identityScopes,
      csrfToken: session.data.csrfToken,
      action: ctx.url,
    });
    sendPage(ctx, 200, page, [cspSourceFor(request.redirectUri)]);
  };

  const recordDecision: Middleware = async function recordDecision(ctx) {
    const request = requestOf(ctx);
    const session = ctx.state.session;
    const form = formOf(ctx);
    if (!session) return;
    checkSessionCsrf(ctx, form);
    const decision = form.isRepeated('decision') ? undefined : form.get('decision');
    if (decision !== 'allow' && decision !== 'deny') {
      throw new PageError(400, 'Invalid authorization request', 'The decision must be allow or deny.');
    }
    if (decision === 'deny') {
      audit.record('consent.denied', {
        actor: session.user.login,
        clientId: request.client.clientId,
        ip: ctx.ip,
        detail: { requested: request.scopes },
      });
      redirect(ctx, request.redirectUri, {
        error: 'access_denied',
        error_description: 'The user denied the request',
        state: request.state,
      });
      return;
    }
    const selected = form.isRepeated('selected_scope') ? undefined : form.get('selected_scope');
    const offered = await grantable(ctx);
    if (selected === undefined || !isScope(selected) || !offered.includes(selected)) {
      throw new PageError(
        400,
        'Invalid scope value',
        'Choose one of the scopes offered on the consent page.',
      );
    }
    await issueCode(ctx, selected);
  };

  const session = loadSession(deps);
  return {
    get: [renderPageErrors, redirectErrors, validateRequest, session, requireSignIn, showConsent],
    post: [
      renderPageErrors,
      readForm,
      redirectErrors,
      validateRequest,
      session,
      requireSignIn,
      recordDecision,
    ],
  };
}
