import { type RawBuilder, sql } from 'kysely';
import type { DialectSql } from '../../db/dialect-sql';
import type { VisitDimension } from './segment-dimension-types';

/**
 * `visitIp` (plugins/CoreHome/Columns/VisitIp.php): Matomo stores `location_ip` as binary (4 bytes
 * for IPv4, 16 for IPv6) and turns the segment value into binary with `IPUtils::stringToBinaryIP`,
 * PHP's `inet_pton`, or four zero bytes when that fails (no error). Binary values compare byte by
 * byte, so `visitIp>=198.51.100.0;visitIp<=198.51.100.255` selects a range. Both sides are written
 * here as two hex digits and a dot per byte (`C6.33.64.00.`): that text sorts as the bytes do, and
 * a LIKE pattern can only match it on byte boundaries.
 */

/** PHP's `inet_pton`: IPv6 when the text has a colon, IPv4 when it has a dot, else nothing. */
export function inetPton(text: string): number[] | undefined {
  // PHP hands the C library a C string: it ends at the first NUL.
  const address = text.split('\0')[0] ?? '';
  if (address.includes(':')) return ipv6Bytes(address);
  if (!address.includes('.')) return undefined;
  return ipv4Bytes(address);
}

/** Four decimal octets of 0 to 255, without leading zeros, as the C library reads them. */
function ipv4Bytes(address: string): number[] | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return bytes;
}

/**
 * Eight groups of one to four hex digits; one `::` stands for at least one group of zeros; the
 * last 32 bits may be written as an IPv4 address.
 */
function ipv6Bytes(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const [head = '', tail] = halves;
  const headGroups = groupsOf(head, tail === undefined);
  const tailGroups = tail === undefined ? [] : groupsOf(tail, true);
  if (!headGroups || !tailGroups) return undefined;
  const count = headGroups.length + tailGroups.length;
  if (tail === undefined ? count !== 8 : count > 7) return undefined;
  const zeros = new Array<number>(8 - count).fill(0);
  return [...headGroups, ...zeros, ...tailGroups].flatMap((group) => [group >> 8, group & 0xff]);
}

/** The 16-bit groups of one side of `::`; an IPv4 address may end the address only. */
function groupsOf(side: string, endsAddress: boolean): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (endsAddress && index === parts.length - 1 && part.includes('.')) {
      const bytes = ipv4Bytes(part);
      if (!bytes) return undefined;
      const [a = 0, b = 0, c = 0, d = 0] = bytes;
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** Bytes as two upper-case hex digits and a dot each. */
export function byteText(bytes: readonly number[]): string {
  return bytes.map((byte) => `${byte.toString(16).toUpperCase().padStart(2, '0')}.`).join('');
}

/** `stringToBinaryIP`: the address's bytes, or four zero bytes for anything that is not one. */
export function ipSegmentValue(value: string): string {
  return byteText(inetPton(value) ?? [0, 0, 0, 0]);
}

/**
 * The visit's address in the same form. The visit log writes dotted IPv4 addresses (the demo
 * generator and the test fixture); anything else has no value and matches no comparison.
 */
function storedIp(visit: string, dialect: DialectSql): RawBuilder<unknown> {
  return dialect.ipv4Bytes(sql.ref(`${visit}.location_ip`));
}

export const visitIp: VisitDimension = {
  kind: 'visit',
  expression: storedIp,
  text: false,
  toSqlValue: ipSegmentValue,
};
