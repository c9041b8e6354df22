export interface HttpErrorOptions {
  /** Response headers that belong to the error (`WWW-Authenticate`, `Retry-After`, `Allow`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The base of every error the server answers with. Each wire family (OAuth, Bearer, Matomo API,
 * pages, unreadable bodies) is a subclass, and each renderer maps by class. `status`, `expose` and
 * `headers` are the fields Koa's own error handling reads, so an error that reaches Koa is still
 * answered with its status and never with its message unless `expose` says so.
 */
export abstract class HttpError extends Error {
  readonly status: number;
  /** A stable machine-readable code (`invalid_grant`, `invalid_token`, `matomo_error`, …). */
  readonly code: string;
  /** Whether the message may be shown to the client: every 4xx; never a 5xx. */
  readonly expose: boolean;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.expose = status < 500;
    this.headers = options.headers ?? {};
  }
}
