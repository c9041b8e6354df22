import type { Context, Middleware, Next } from 'koa';
import { koaBody } from 'koa-body';
import { Params } from './params';

export interface FormState {
  /** The form body's parameters (empty unless the body is application/x-www-form-urlencoded). */
  form: Params;
  /** Whether the request carried a form body. */
  hasForm: boolean;
}

export class BodyError extends Error {
  override readonly name = 'BodyError';
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

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
export const readForm: Middleware = async function readForm(ctx: Context, next: Next) {
  await parseForm(ctx);
  return next();
};

/** Parses the form body once; later calls return the same parameters. */
export async function parseForm(ctx: Context): Promise<Params> {
  if (ctx.state.form instanceof Params) return ctx.state.form;
  await parse(ctx, async () => {});
  const raw = ctx.request.rawBody;
  ctx.state.hasForm = ctx.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
  ctx.state.form = typeof raw === 'string' ? Params.parse(raw) : new Params();
  return ctx.state.form;
}

/** The query string's parameters, repeated names kept. */
export function queryParams(ctx: Context): Params {
  return Params.parse(ctx.querystring);
}
