import { describe, expect, test } from 'vitest';
import { isPeriodMap } from './results';

// Regression: with a `date` computed at run time the result is the whole union, and nothing told a
// period map from one period's answer.
describe('isPeriodMap', () => {
  test.each([
    ['days', { '2026-11-24': { nb_visits: 3 }, '2026-11-25': [] }],
    ['weeks and ranges', { '2026-11-16,2026-11-22': [], '2026-11-23,2026-11-29': [{ label: 'a' }] }],
    ['months', { '2026-10': { nb_visits: 1 }, '2026-11': [] }],
    ['years', { '2025': 4, '2026': 5 }],
  ])('true for a map keyed by period label: %s', (_, result) => {
    expect(isPeriodMap(result)).toBe(true);
  });

  test.each([
    ['a record', { nb_visits: 3, nb_actions: 4 }],
    ['a period without data', []],
    ['rows', [{ label: '2026-11-25', nb_visits: 1 }]],
    ['a scalar', { value: 3 }],
    ['a string scalar', { value: '2026-11-25' }],
    ['a map keyed by site id', { '1': [], '2': [] }],
    ['an empty object', {}],
    ['null', null],
    ['a number', 3],
  ])('false for %s', (_, result) => {
    expect(isPeriodMap(result)).toBe(false);
  });
});
