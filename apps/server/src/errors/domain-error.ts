/**
 * Errors of the domain services (clients, sites). They know nothing of HTTP: the layer that
 * calls the service decides how to answer (the Matomo API as `{"result":"error",…}`, a page
 * beside the field). Messages are written for the person who sent the input.
 */
export abstract class DomainError extends Error {}

/** What was asked for does not exist. */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
}

/** The input breaks a rule; `field` names the input it is about, when there is one. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

/** The change cannot be made in the current state (a public client has no secret to rotate). */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
}

/** Too many failed attempts (wrong passwords): refused until `retryAfter` seconds have passed. */
export class TooManyAttemptsError extends DomainError {
  override readonly name = 'TooManyAttemptsError';
  readonly retryAfter: number;

  constructor(message: string, retryAfter: number) {
    super(message);
    this.retryAfter = retryAfter;
  }
}
