import { describe, expect, test } from 'vitest';
import { inetPton, ipSegmentValue } from './ip-address';

/** Expected bytes written out by hand from each address. */
describe("inetPton: PHP's inet_pton over the C library", () => {
  test('IPv4: four decimal octets up to 255, no leading zeros', () => {
    expect(inetPton('198.51.100.7')).toEqual([198, 51, 100, 7]);
    expect(inetPton('0.0.0.0')).toEqual([0, 0, 0, 0]);
    for (const bad of [
      '198.51.100',
      '198.51.100.7.1',
      '198.51.100.256',
      '198.51.100.07',
      '1..2.3',
      '1.2.3.4.',
      'a.b.c.d',
      '',
    ]) {
      expect(inetPton(bad), bad).toBeUndefined();
    }
  });

  test('no dot and no colon: not an address', () => {
    expect(inetPton('3232235777')).toBeUndefined();
  });

  test('IPv6: groups, one `::`, an IPv4 tail', () => {
    expect(inetPton('2001:db8::1')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(inetPton('::')).toEqual(new Array(16).fill(0));
    expect(inetPton('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]);
    expect(inetPton('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    for (const bad of [
      ':1::2',
      '1::2:',
      '1:::2',
      '1::2::3',
      '1:2:3:4:5:6:7:8::',
      '1:2:3:4:5:6:7',
      '12345::',
      '1.2.3.4::',
      'fe80::1%eth0',
      '1.2.3.4:80',
    ]) {
      expect(inetPton(bad), bad).toBeUndefined();
    }
  });

  test('the text ends at a NUL, as a C string does', () => {
    expect(inetPton('10.0.0.1\0garbage')).toEqual([10, 0, 0, 1]);
  });
});

describe('ipSegmentValue: IPUtils::stringToBinaryIP, as comparable text', () => {
  test('two hex digits and a dot per byte; four zero bytes for anything else', () => {
    expect(ipSegmentValue('198.51.100.0')).toBe('C6.33.64.00.');
    expect(ipSegmentValue('nonsense')).toBe('00.00.00.00.');
  });
});
