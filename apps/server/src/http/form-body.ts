import { koaBody } from 'koa-body';
import { BodyError } from '../errors/body-error';
import { Params } from './params';
import type { AppContext, AppMiddleware } from './state';

const parse = koaBody({
  urlencoded: true,
  json: false,
  text: false,
  multipart: false,
  includeUnparsed: true,
  formLimit: '64kb',
  onError(error) {
    const status = (error as { status?: number }).status === 413 ? 413 : 400;
    throw new BodyError(
      status === 413 ? 'The request body is too large' : 'The request body is malformed',
      status,
    );
  },
});

/**
 * Reads an application/x-www-form-urlencoded body into `ctx.state.form`, keeping repeated
 * names (koa-body reads and limits the body; the raw text is parsed here, not with `qs`).
 */
export const readForm: AppMiddleware = async function readForm(ctx, next) {
  await parseForm(ctx);
  return next();
};

/** Parses the form body once; later calls return the same parameters. */
export async function parseForm(ctx: AppContext): Promise<Params> {
  if (ctx.state.form) return ctx.state.form;
  await parse(ctx, async () => {});
  const raw = ctx.request.rawBody;
  ctx.state.hasForm = ctx.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
  ctx.state.form = typeof raw === 'string' ? Params.parse(raw) : new Params();
  return ctx.state.form;
}

/** The form `readForm` read (empty when it has not run). */
export function formOf(ctx: AppContext): Params {
  return ctx.state.form ?? new Params();
}

/** The query string's parameters, repeated names kept. */
export function queryParams(ctx: AppContext): Params {
  return Params.parse(ctx.querystring);
}
