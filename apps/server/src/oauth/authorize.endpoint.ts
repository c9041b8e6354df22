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
import { isScope, type Scope } from '../protocol/scopes';
import { showLoginForm } from '../sessions/login-form';
import { checkSessionCsrf, loadSession, type SessionDeps } from '../sessions/session.middleware';
import type { SessionState } from '../sessions/session-state';
import * as codes from '../tokens/authorization-code.repository';
import { userHoldsScope } from '../users/grantable-scopes';
import * as users from '../users/user.repository';
import {
  type AuthorizationRequest,
  authorizationResponseUrl,
  validateAuthorizationRequest,
} from './authorization-request';

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
    ctx.state.authorization = await validateAuthorizationRequest(queryParams(ctx), db);
    await next();
  };

  const requireSignIn: Middleware = async function requireSignIn(ctx, next) {
    if (ctx.state.session) return next();
    if (ctx.method === 'GET') {
      showLoginForm(ctx, cookies, { returnTo: ctx.originalUrl, clientName: requestOf(ctx).client.name });
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

  const showConsent: Middleware = async function showConsent(ctx) {
    const request = requestOf(ctx);
    const session = ctx.state.session;
    if (!session) return;
    const offered = await grantable(ctx);
    const formTargets = [cspSourceFor(request.redirectUri)];
    if (offered.length === 0) {
      const page = noGrantableScopePage({
        clientName: request.client.name,
        user: session.user,
        requested: request.scopes,
        csrfToken: session.data.csrfToken,
        action: ctx.originalUrl,
      });
      sendPage(ctx, 403, page, formTargets);
      return;
    }
    const page = consentPage({
      clientName: request.client.name,
      clientId: request.client.clientId,
      redirectHost: new URL(request.redirectUri).host || request.redirectUri,
      user: session.user,
      offered,
      csrfToken: session.data.csrfToken,
      action: ctx.originalUrl,
    });
    sendPage(ctx, 200, page, formTargets);
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
    const login = session.user.login;
    const clientId = request.client.clientId;
    if (decision === 'deny') {
      audit.record('consent.denied', {
        actor: login,
        clientId,
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
    const code = randomToken(32);
    const now = clock();
    await codes.insert(db, {
      code_digest: sha256Hex(code),
      client_id: clientId,
      user_login: login,
      redirect_uri: request.redirectUri,
      redirect_uri_sent: request.redirectUriSent ? 1 : 0,
      scope: selected,
      code_challenge: request.codeChallenge ?? null,
      created_at: now,
      expires_at: now + deps.authorizationCodeTtl * 1000,
      consumed_at: null,
      grant_id: null,
    });
    audit.record('consent.allowed', {
      actor: login,
      clientId,
      ip: ctx.ip,
      detail: { scope: selected, requested: request.scopes, pkce: request.codeChallenge !== undefined },
    });
    redirect(ctx, request.redirectUri, { code, state: request.state });
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
