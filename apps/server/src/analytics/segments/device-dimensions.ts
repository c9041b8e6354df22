import { type RawBuilder, sql } from 'kysely';
import {
  browserCodeForSegment,
  browserStoredCodes,
  osCodeForSegment,
  osStoredCodes,
  UNKNOWN_DEVICE_CODE,
} from '../device-detector';
import type { VisitDimension } from './segment-dimension-types';
import { asText } from './segment-values';

/**
 * Matomo stores DeviceDetector's codes (`config_browser_name`, `config_os`) and every browser
 * and OS segment compares them: `browserCode==FF` as given, `browserName==firefox` after its
 * `sqlFilterValue` turned the name (in any case) into its code, or `UNK` for a name it does not
 * know (plugins/DevicesDetection/Columns/BrowserName.php and Os.php). The visit log keeps names,
 * so the segments compare the code each name is stored under.
 */

/**
 * A CASE that maps a column's values to codes, split in halves on the value (`value < pivot`) so
 * that a row costs about a dozen comparisons, not one per DeviceDetector name (some 700).
 */
function codeCase(
  value: RawBuilder<unknown>,
  entries: readonly (readonly [string, string])[],
  otherwise: RawBuilder<unknown>,
): RawBuilder<unknown> {
  if (entries.length <= 8) {
    const whens = entries.map(([name, code]) => sql`when ${sql.lit(name)} then ${sql.lit(code)}`);
    return sql`(case ${value} ${sql.join(whens, sql` `)} else ${otherwise} end)`;
  }
  const middle = Math.floor(entries.length / 2);
  const [pivot] = entries[middle] ?? [''];
  return sql`(case when ${value} < ${sql.lit(pivot)} then ${codeCase(value, entries.slice(0, middle), otherwise)} else ${codeCase(value, entries.slice(middle), otherwise)} end)`;
}

/** SQLite compares text byte by byte in UTF-8 (BINARY collation); the halves must agree. */
function byUtf8(a: readonly [string, string], b: readonly [string, string]): number {
  return Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}

function storedCode(
  column: 'browser_name' | 'os_name',
  entries: [string, string][],
  otherwise: (value: RawBuilder<unknown>) => RawBuilder<unknown>,
) {
  const sorted = [...entries].sort(byUtf8);
  return (visit: string) => {
    const value = sql.ref(`${visit}.${column}`);
    return codeCase(value, sorted, otherwise(value));
  };
}

// A browser DeviceDetector names without a code is stored under its name; an unknown OS is `UNK`.
const browserCode = storedCode('browser_name', browserStoredCodes(), (value) => value);
const osCode = storedCode('os_name', osStoredCodes(), () => sql.lit(UNKNOWN_DEVICE_CODE));

export const DEVICE_DIMENSIONS: Readonly<Record<string, VisitDimension>> = {
  browserCode: { kind: 'visit', expression: browserCode, text: true, toSqlValue: asText },
  browserName: { kind: 'visit', expression: browserCode, text: true, toSqlValue: browserCodeForSegment },
  operatingSystemCode: { kind: 'visit', expression: osCode, text: true, toSqlValue: asText },
  operatingSystemName: { kind: 'visit', expression: osCode, text: true, toSqlValue: osCodeForSegment },
};
