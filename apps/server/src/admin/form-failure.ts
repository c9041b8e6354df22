import { ConflictError, NotFoundError, TooManyAttemptsError, ValidationError } from '../errors/domain-error';
import { PageError } from '../errors/page-error';
import { html, type SafeHtml } from '../pages/html';
import type { FieldErrors } from './form-fields';

/** A form the services refused: the status to answer, each message beside its field, headers. */
export interface FormFailure {
  status: number;
  errors: FieldErrors;
  headers: Record<string, string>;
}

/** The key of a message about the whole form rather than one field (shown above the form). */
export const FORM = 'form';

/**
 * How a refused form is answered, from the domain error the services threw: a broken rule (400)
 * beside the field it names when the form has that field, too many wrong passwords (429 with
 * Retry-After) beside the password, a state that forbids the change (409) beside `conflictField`.
 * What does not exist is a 404 page; anything else is not the form's doing and is rethrown.
 */
export function formFailure(
  error: unknown,
  { fields, conflictField = FORM }: { fields: readonly string[]; conflictField?: string },
): FormFailure {
  const beside = (field: string | undefined) =>
    field !== undefined && fields.includes(field) ? field : FORM;
  if (error instanceof ValidationError)
    return { status: 400, errors: { [beside(error.field)]: error.message }, headers: {} };
  if (error instanceof TooManyAttemptsError)
    return {
      status: 429,
      errors: { [beside('passwordConfirmation')]: error.message },
      headers: { 'Retry-After': String(error.retryAfter) },
    };
  if (error instanceof ConflictError)
    return { status: 409, errors: { [beside(conflictField)]: error.message }, headers: {} };
  if (error instanceof NotFoundError) throw new PageError(404, 'Not found', error.message);
  throw error;
}

/**
 * What a page is about (a user, a website), or a 404 page when it does not exist: the service's
 * message under "Not found", or the page's own title and message.
 */
export async function found<T>(
  lookup: Promise<T>,
  notFound?: { title: string; message: string },
): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new PageError(404, notFound?.title ?? 'Not found', notFound?.message ?? error.message);
    throw error;
  }
}

/** The message about the whole form, if any, announced to screen readers. */
export function formError(errors: FieldErrors): SafeHtml {
  return html`${errors[FORM] ? html`<p class="error" role="alert">${errors[FORM]}</p>` : ''}`;
}
