import { describe, expect, test } from 'vitest';
import {
  prettyMoney,
  prettyNumber,
  prettyPercent,
  prettyTimeClock,
  prettyTimeSentence,
} from './pretty-metrics';

// Expected strings from Matomo: its ReportExporting expected export of VisitsSummary.get with
// format_metrics=1 (313 s: "5 min 13s", "56%"), its processed reports' clocks ("00:06:05"), and
// its English strings (lang/en.json: "%1$s min %2$ss", "%1$s hours %2$s min", "%1$s days %2$s hours").
describe('prettyTimeSentence', () => {
  test.each([
    [0, '0s'],
    [13, '13s'],
    [313, '5 min 13s'],
    [300, '5 min 0s'],
    [3600, '1 hours 0 min'],
    [7 * 3600 + 5 * 60 + 9, '7 hours 5 min'],
    [90_061, '1 days 1 hours'],
    [400 * 86_400, '1 years 34 days'],
    [12.5, '12.5s'],
    [-90, '-1 min 30s'],
  ])('%s s: %s', (seconds, expected) => {
    expect(prettyTimeSentence(seconds)).toBe(expected);
  });
});

describe('prettyTimeClock', () => {
  test.each([
    [0, '00:00:00'],
    [365, '00:06:05'],
    [3961, '01:06:01'],
    [90_061, '1 days 01:01:01'],
    [1.5, '00:00:01.50'],
    [-30, '-00:00:30'],
  ])('%s s: %s', (seconds, expected) => {
    expect(prettyTimeClock(seconds)).toBe(expected);
  });
});

describe('prettyPercent and prettyNumber', () => {
  test.each([
    [0.56, '56%'],
    [0, '0%'],
    [14.5, '1,450%'],
    [-0.714, '-71.4%'],
    [0.12345, '12.345%'],
  ])('%s: %s', (quotient, expected) => {
    expect(prettyPercent(quotient)).toBe(expected);
  });

  test('grouped thousands, trailing zeros dropped', () => {
    expect(prettyNumber(1234567.5, 2)).toBe('1,234,567.5');
    expect(prettyNumber(1000, 2)).toBe('1,000');
  });
});

// Matomo's getProcessedReport expected outputs ("$0", "$5", "$1,000", "$42.26") and its English
// currency pattern (plugins/Intl/lang/en.json `¤#,##0.00`, negative `-¤#,##0.00`).
describe('prettyMoney', () => {
  test.each([
    [0, '$', '$0'],
    [5, '$', '$5'],
    [1000, '$', '$1,000'],
    [42.26, '$', '$42.26'],
    [1011.2, '$', '$1,011.20'],
    [10, '€', '€10'],
    [1234567.89, '¥', '¥1,234,567.89'],
    [-5.5, '$', '-$5.50'],
    [3, 'Fr', 'Fr3'],
  ])('%s %s: %s', (amount, symbol, expected) => {
    expect(prettyMoney(amount, symbol)).toBe(expected);
  });
});
