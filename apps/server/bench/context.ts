import type { ServerEntry } from '../test/support/server-process';

/** What every scenario is given: how long to run, where to put its files, how to start the server. */
export interface BenchContext {
  /** `--quick`: about a second per scenario, a small dataset. */
  quick: boolean;
  entry: ServerEntry;
  /** A temporary directory of this run: databases and server logs. */
  dir: string;
  /** Progress, on stderr: the table is stdout's. */
  log: (message: string) => void;
  /** `full` seconds, or `quick` ones with `--quick`. */
  seconds: (full: number, quick: number) => number;
}
