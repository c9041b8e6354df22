import type { AuditLog } from '../audit/audit-log';
import * as clients from '../clients/client.repository';
import { findRedirectUri } from '../clients/redirect-uri';
import type { Clock } from '../config/clock';
import { PageError } from '../errors/page-error';
import { appPath } from '../http/base-path';
import { formOf, queryParams, readForm } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppContext, AppMiddleware } from '../http/state';
import { cspSourceFor } from '../pages/layout';
import { logoutConfirmPage, signedOutPage } from '../pages/logout.page';
import { renderPageErrors, sendPage } from '../pages/page-response';
import { MAX_CLIENT_ID_LENGTH, MAX_ID_TOKEN_LENGTH, MAX_STATE_LENGTH } from '../protocol/limits';
import { checkSessionCsrf, loadSession, type SessionDeps } from '../sessions/session.middleware';
import type { SessionState } from '../sessions/session-state';
import * as grants from '../tokens/grant.repository';
import type { IdTokenCodec } from '../tokens/id-token';
import { authorizationResponseUrl } from './authorization-request';

export interface EndSessionEndpointDeps extends SessionDeps {
  clock: Clock;
  audit: AuditLog;
  idTokens: IdTokenCodec;
}

const parameters = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state', 'confirm'] as const;

function badRequest(message: string): PageError {
  return new PageError(400, 'This sign-out link is not valid', message);
}

/** An end-session request, read and checked. */
interface EndSessionRequest {
  /** The login and session the `id_token_hint` names, when the hint is an ID token of this server. */
  hintedLogin: string | undefined;
  hintedSid: string | undefined;
  clientId: string | undefined;
  clientName: string | undefined;
  /** Where to send the browser afterwards: registered for the client, or undefined. */
  returnTo: string | undefined;
  /** A `post_logout_redirect_uri` was sent but is not registered (or no client is known): not followed. */
  returnRefused: boolean;
  postLogoutRedirectUri: string | undefined;
  state: string | undefined;
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), `GET|POST /oauth2/logout`. With an
 * `id_token_hint` of this server for the signed-in user's current session (its `sid`), the session
 * ends at once; otherwise the
 * user is asked, so that a forged link signs nobody out. The browser goes back to the client only
 * to a `post_logout_redirect_uri` the client registered (the loopback port rule of redirect URIs
 * applies); anything else is never followed.
 */
export function endSessionEndpoint(deps: EndSessionEndpointDeps) {
  const { db, clock, audit, idTokens, sessions, cookies } = deps;

  async function read(params: Params): Promise<EndSessionRequest> {
    for (const name of parameters) {
      if (params.isRepeated(name)) throw badRequest(`The request repeats ${name}.`);
    }
    const hintText = params.get('id_token_hint');
    const hint =
      hintText !== undefined && hintText.length <= MAX_ID_TOKEN_LENGTH
        ? await idTokens.readHint(hintText)
        : undefined;
    const sentClientId = params.get('client_id');
    if (hint !== undefined && sentClientId !== undefined && hint.aud !== sentClientId)
      throw badRequest('The id_token_hint was issued to another application than client_id names.');
    const clientId = sentClientId ?? hint?.aud;
    const client =
      clientId !== undefined && clientId.length <= MAX_CLIENT_ID_LENGTH
        ? await clients.find(db, clientId)
        : undefined;
    const state = params.get('state');
    if (state !== undefined && state.length > MAX_STATE_LENGTH)
      throw badRequest(`state is longer than ${MAX_STATE_LENGTH} characters.`);
    const uri = params.get('post_logout_redirect_uri');
    const registered =
      // Stryker disable next-line ConditionalExpression: findRedirectUri never matches an undefined URI; the test narrows the type
      uri !== undefined && client?.active === true
        ? findRedirectUri(client.postLogoutRedirectUris, uri)
        : undefined;
    return {
      hintedLogin: hint?.sub,
      hintedSid: hint?.sid,
      clientId: client?.clientId,
      clientName: client?.name,
      returnTo: registered === undefined ? undefined : uri,
      returnRefused: uri !== undefined && registered === undefined,
      postLogoutRedirectUri: uri,
      state,
    };
  }

  async function endSession(
    ctx: AppContext<SessionState>,
    request: EndSessionRequest,
    everywhere: boolean,
  ): Promise<void> {
    const session = ctx.state.session;
    if (!session) return;
    const { login } = session.user;
    await sessions.destroy(session.cookieValue);
    cookies.write(ctx, 'session', undefined);
    audit.record('logout', {
      actor: login,
      clientId: request.clientId,
      ip: ctx.ip,
      detail: { rp_initiated: true },
    });
    if (everywhere) {
      await grants.revokeAllOfUser(db, login, clock());
      audit.record('grant.revoked', { actor: login, ip: ctx.ip, detail: { all: true } });
    }
  }

  /** Back to the client when it registered where, else a page that says what happened. */
  function finish(ctx: AppContext, request: EndSessionRequest, signedOut: boolean): void {
    if (request.returnTo !== undefined) {
      ctx.status = ctx.method === 'POST' ? 303 : 302;
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.redirect(
        request.state === undefined
          ? request.returnTo
          : authorizationResponseUrl(request.returnTo, { state: request.state }),
      );
      return;
    }
    sendPage(ctx, 200, signedOutPage(signedOut, request.returnRefused));
  }

  const handle: AppMiddleware<SessionState> = async function handle(ctx) {
    const params = ctx.method === 'POST' ? formOf(ctx) : queryParams(ctx);
    const request = await read(params);
    const session = ctx.state.session;
    const answer = ctx.method === 'POST' ? params.get('confirm') : undefined;

    if (answer !== undefined) {
      // The user's answer on the confirmation page.
      if (answer !== 'yes' && answer !== 'no') throw badRequest('confirm must be yes or no.');
      if (session) checkSessionCsrf(ctx, params);
      if (answer === 'yes') await endSession(ctx, request, params.get('everywhere') === '1');
      finish(ctx, request, answer === 'yes' || !session);
      return;
    }
    if (!session && ctx.method === 'POST') {
      // A form posted from the application's site comes without the session cookie (SameSite=Lax):
      // on as a GET, which a top-level navigation sends with it. Never "signed out" unseen.
      ctx.status = 303;
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(
        authorizationResponseUrl(appPath(ctx, '/oauth2/logout'), {
          id_token_hint: params.get('id_token_hint'),
          client_id: params.get('client_id'),
          post_logout_redirect_uri: request.postLogoutRedirectUri,
          state: request.state,
        }),
      );
      return;
    }
    if (!session) {
      // Nobody is signed in here: nothing to end.
      finish(ctx, request, true);
      return;
    }
    // Silently only for an ID token of this very sign-in: an older one (from a browser's history or
    // a log) cannot end a later session unseen.
    if (request.hintedLogin === session.user.login && request.hintedSid === session.data.sid) {
      await endSession(ctx, request, false);
      finish(ctx, request, true);
      return;
    }
    const page = logoutConfirmPage({
      login: session.user.login,
      clientName: request.clientName,
      csrfToken: session.data.csrfToken,
      carried: {
        client_id: request.clientId,
        post_logout_redirect_uri: request.postLogoutRedirectUri,
        state: request.state,
      },
      returnRefused: request.returnRefused,
    });
    sendPage(ctx, 200, page, request.returnTo === undefined ? [] : [cspSourceFor(request.returnTo)]);
  };

  const session = loadSession(deps);
  return {
    get: [renderPageErrors, session, handle],
    post: [renderPageErrors, readForm, session, handle],
  };
}
