import { HttpError } from '../errors/http-error';
import { PageError } from '../errors/page-error';
import type { AppContext, AppMiddleware } from '../http/state';
import { resolveAppHrefs } from './app-href';
import { pageHeaders } from './layout';
import { messagePage } from './message.page';

/** Sends an HTML page with the security headers every page carries, its own links under the issuer's path. */
export function sendPage(
  ctx: AppContext,
  status: number,
  body: string,
  formTargets?: readonly string[],
): void {
  ctx.status = status;
  ctx.set(pageHeaders(formTargets));
  ctx.body = resolveAppHrefs(body, ctx.state.basePath ?? '');
}

/**
 * Turns errors on page routes into pages, explained to a person: a `PageError` with its title,
 * another error the server answers with (an unreadable body) with its message. Anything
 * unexpected is a plain "something went wrong" and goes to the app's `error` event (the logger),
 * never a stack trace.
 */
export const renderPageErrors: AppMiddleware = async function renderPageErrors(ctx, next) {
  try {
    await next();
  } catch (error) {
    if (error instanceof PageError) {
      sendPage(ctx, error.status, messagePage(error.title, error.message));
      ctx.set(error.headers);
      return;
    }
    if (error instanceof HttpError && error.expose) {
      sendPage(ctx, error.status, messagePage('This request could not be read', error.message));
      ctx.set(error.headers);
      return;
    }
    ctx.app.emit('error', error, ctx);
    sendPage(
      ctx,
      500,
      messagePage('Something went wrong', 'The server could not complete this request. Please try again.'),
    );
  }
};
