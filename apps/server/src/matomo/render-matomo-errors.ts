import { BearerError } from '../errors/bearer-error';
import { HttpError } from '../errors/http-error';
import { MatomoApiError } from '../errors/matomo-api-error';
import { formOf, queryParams } from '../http/form-body';
import type { AppMiddleware } from '../http/state';
import { renderError } from './formats/render-error';
import { errorFormatOf } from './formats/response-format';

export const realm = 'matomo';

/**
 * Every error of the API is Matomo's error, in the requested format (`{"result":"error","message":…}`
 * in JSON, `<result><error message="…" /></result>` in XML, `Error: …` in CSV and TSV): a Bearer error with its
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
    // The form, when it was read; the query's value comes first, as in Matomo.
    const { contentType, body } = renderError(errorFormatOf(queryParams(ctx).merge(formOf(ctx))), message);
    ctx.set('Content-Type', contentType);
    ctx.body = body;
  }
};
