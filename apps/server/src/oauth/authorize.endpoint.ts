import { randomToken, sha256Hex } from '../crypto/random';
import { PageError } from '../errors/page-error';
import { queryParams, readForm } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppContext, AppMiddleware } from '../http/state';
import { consentPage, noGrantableScopePage } from '../pages/consent.page';
import { cspSourceFor } from '../pages/layout';
import { renderPageErrors, sendPage } from '../pages/page-response';
import type { Services } from '../services';
import { checkSessionCsrf, loadSession, showLoginForm } from '../sessions/sign-in.routes';
import { userHoldsScope } from '../users/grantable-scopes';
import {
  AuthorizationRedirectError,
  type AuthorizationRequest,
  authorizationResponseUrl,
  validateAuthorizationRequest,
} from './authorization-request';
import { isScope, type Scope } from './scopes';

/**
 * The authorization endpoint (RFC 6749 §4.1.1), both `/oauth2/authorize` and
 * `/index.php?module=OAuth2&action=authorize`: GET shows the sign-in or consent page, POST records
 * the decision. Redirects after a POST are 303s (RFC 9700 §4.12) and every authorization
 * response carries `iss` (RFC 9207).
 */
export function authorizeEndpoint(services: Services) {
  const { settings, audit } = services;

  function redirect(ctx: AppContext, redirectUri: string, params: Record<string, string | undefined>): void {
    ctx.status = ctx.method === 'POST' ? 303 : 302;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.redirect(authorizationResponseUrl(redirectUri, { ...params, iss: settings.issuer }));
  }

  const redirectErrors: AppMiddleware = async function redirectErrors(ctx, next) {
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

  const validateRequest: AppMiddleware = async function validateRequest(ctx, next) {
    ctx.state.authorization = await validateAuthorizationRequest(queryParams(ctx), services.clients);
    await next();
  };

  const requireSignIn: AppMiddleware = async function requireSignIn(ctx, next) {
    if (ctx.state.session) return next();
    if (ctx.method === 'GET') {
      showLoginForm(services, ctx, {
        returnTo: ctx.originalUrl,
        clientName: (ctx.state.authorization as AuthorizationRequest).client.name,
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
  async function grantable(ctx: AppContext): Promise<Scope[]> {
    const request = ctx.state.authorization as AuthorizationRequest;
    const session = ctx.state.session;
    if (!session) return [];
    const access = await services.users.siteAccess(session.user.login);
    return request.scopes.filter((scope) => userHoldsScope(session.user, access, scope));
  }

  const showConsent: AppMiddleware = async function showConsent(ctx) {
    const request = ctx.state.authorization as AuthorizationRequest;
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

  const recordDecision: AppMiddleware = async function recordDecision(ctx) {
    const request = ctx.state.authorization as AuthorizationRequest;
    const session = ctx.state.session;
    const form = ctx.state.form as Params;
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
    const now = services.clock();
    await services.codes.insert({
      code_digest: sha256Hex(code),
      client_id: clientId,
      user_login: login,
      redirect_uri: request.redirectUri,
      redirect_uri_sent: request.redirectUriSent ? 1 : 0,
      scope: selected,
      code_challenge: request.codeChallenge ?? null,
      created_at: now,
      expires_at: now + settings.authorizationCodeTtl * 1000,
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

  const common = [renderPageErrors, redirectErrors, validateRequest, loadSession(services), requireSignIn];
  return {
    get: [...common, showConsent],
    post: [renderPageErrors, readForm, ...common.slice(1), recordDecision],
  };
}
