import { PageError } from '../errors/page-error';
import { BodyError } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import { pageHeaders } from './layout';
import { messagePage } from './message.page';

/** Sends an HTML page with the security headers every page carries. */
export function sendPage(
  ctx: AppContext,
  status: number,
  body: string,
  formTargets?: readonly string[],
): void {
  ctx.status = status;
  ctx.set(pageHeaders(formTargets));
  ctx.body = body;
}

/** Turns errors on page routes into pages: explained to a person, never a stack trace. */
export const renderPageErrors: AppMiddleware = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    if (error instanceof PageError) {
      sendPage(ctx, error.status, messagePage(error.title, error.message));
      ctx.set(error.headers);
      return;
    }
    if (error instanceof BodyError) {
      sendPage(ctx, error.status, messagePage('This request could not be read', error.message));
      return;
    }
    console.error('page error:', error);
    sendPage(
      ctx,
      500,
      messagePage('Something went wrong', 'The server could not complete this request. Please try again.'),
    );
  }
};
