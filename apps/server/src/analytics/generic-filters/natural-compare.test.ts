import { expect, test } from 'vitest';
import { naturalCompare } from './natural-compare';

// Expected signs are those of PHP's strnatcasecmp.
test.each([
  ['page2', 'page10', -1],
  ['Page10', 'page2', 1],
  ['abc', 'ABC', 0],
  ['a', '_', -1],
  ['x01', 'x1', -1],
  ['1.05', '1.5', -1],
  ['a  b', 'a b', 0],
  ['', 'a', -1],
  ['b', '', 1],
  ['image', 'image1', -1],
])('strnatcasecmp(%j, %j) is %i', (a, b, sign) => {
  expect(Math.sign(naturalCompare(a, b))).toBe(sign);
});
