import { BearerError } from '../errors/bearer-error';
import { HttpError } from '../errors/http-error';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AppMiddleware } from '../http/state';

export const realm = 'matomo';

/**
 * Every error of the API is Matomo's `{"result":"error","message":…}`: a Bearer error with its
 * RFC 6750 challenge, a Matomo error with its status, another error the server answers with (an
 * unreadable body) with its own. Anything unexpected is a 500 that reveals nothing and goes to the
 * app's `error` event (the logger).
 */
export const renderMatomoErrors: AppMiddleware = async function renderMatomoErrors(ctx, next) {
  try {
    await next();
  } catch (error) {
    let status = 500;
    let message = 'An unexpected error occurred.';
    if (error instanceof BearerError) {
      ({ status, message } = error);
      ctx.set('WWW-Authenticate', error.challenge(realm));
    } else if (error instanceof MatomoApiError) {
      ({ status, message } = error);
      if (status === 401) ctx.set('WWW-Authenticate', `Bearer realm="${realm}"`);
      ctx.set(error.headers);
    } else if (error instanceof HttpError && error.expose) {
      ({ status, message } = error);
      ctx.set(error.headers);
    } else {
      ctx.app.emit('error', error, ctx);
    }
    ctx.status = status;
    ctx.body = { result: 'error', message };
  }
};
