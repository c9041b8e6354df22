/** Where a command reads and writes: the process's streams, or a test's. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Read only for a password piped in (`users create`, `users set-password`). */
  stdin: AsyncIterable<string | Uint8Array>;
  /** Whether standard input is a terminal: a password is then never read from it. */
  isTTY: boolean;
}
