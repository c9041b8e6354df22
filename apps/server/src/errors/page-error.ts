import { HttpError } from './http-error';

/** An error shown to a person as an HTML page (never a redirect). */
export class PageError extends HttpError {
  override readonly name = 'PageError';
  readonly title: string;

  constructor(status: number, title: string, message: string, headers: Record<string, string> = {}) {
    super(status, 'page_error', message, { headers });
    this.title = title;
  }
}
