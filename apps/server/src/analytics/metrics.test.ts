import { describe, expect, test } from 'vitest';
import { percent, prettyDuration, quotient, toNumber } from './metrics';

describe('processed metrics', () => {
  test('percentages round half up, like PHP', () => {
    expect(percent(87, 200)).toBe('44%');
    expect(percent(1, 3)).toBe('33%');
    expect(percent(2, 3)).toBe('67%');
    expect(percent(0, 0)).toBe('0%');
    expect(percent(5, 5)).toBe('100%');
  });

  test('quotients', () => {
    expect(quotient(9, 4, 1)).toBe(2.3);
    expect(quotient(450, 4)).toBe(113);
    expect(quotient(1, 0)).toBe(0);
  });

  test('durations as Matomo prints them', () => {
    expect(prettyDuration(0)).toBe('0s');
    expect(prettyDuration(45)).toBe('45s');
    expect(prettyDuration(120)).toBe('2 min 0s');
    expect(prettyDuration(3725)).toBe('1 hours 2 min');
    expect(prettyDuration(90_000)).toBe('1 days 1 hours');
  });

  test('SQL numbers of any driver', () => {
    expect(toNumber(3)).toBe(3);
    expect(toNumber(3n)).toBe(3);
    expect(toNumber('3')).toBe(3);
    expect(toNumber(null)).toBe(0);
  });
});
