/** A command that cannot do what it was asked: one line on standard error, exit code 1. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
}

/** The command line itself is wrong (an unknown command, a missing argument): exit code 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
}
