import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };
export type LogLevel = Level | 'silent';
export const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Keys whose values never reach a log line, at the top of what is logged or one level down.
 * Nothing logs them on purpose (request lines carry no headers, bodies or query strings); this is
 * the net under that rule. (`code` is not among them: errors carry their codes, which the log needs.)
 */
const secretKeys = [
  'authorization',
  'password',
  'passwordConfirmation',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'code_verifier',
  'cookie',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON, for a terminal. */
  pretty?: boolean;
  /** Where JSON lines go; standard output by default. */
  destination?: DestinationStream;
}

/** The server's structured logger: JSON lines (pino), one object per event. */
export function createLogger({ level, pretty: human = false, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    redact: { paths: secretKeys.flatMap((key) => [key, `*.${key}`]), censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  if (human)
    return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  return pino(options);
}
