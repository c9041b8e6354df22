/** Column types shared by every table. */

/** Milliseconds since the Unix epoch. */
export type Millis = number;
/** 0 or 1: flags are integers so that the schema stays portable. */
export type Flag = 0 | 1;
/** A JSON-encoded array, stored as text; parsed in one mapper per table. */
export type JsonText = string;
