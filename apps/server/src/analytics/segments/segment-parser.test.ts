import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MatomoApiError } from '../../errors/matomo-api-error';
import { phpUrlDecode } from './php-url-decode';
import { parseSegmentTree, SEGMENT_OPERATORS } from './segment-parser';

const condition = (name: string, operator: string, value: string) => ({ name, operator, value });

describe('parseSegmentTree', () => {
  test.each([
    ['visitCount==3', '==', '3'],
    ['visitCount!=3', '!=', '3'],
    ['visitCount<=3', '<=', '3'],
    ['visitCount>=3', '>=', '3'],
    ['visitCount<3', '<', '3'],
    ['visitCount>3', '>', '3'],
    ['visitCount=@3', '=@', '3'],
    ['visitCount!@3', '!@', '3'],
    ['visitCount=^3', '=^', '3'],
    ['visitCount=$3', '=$', '3'],
  ])('%s has operator %s', (text, operator, value) => {
    expect(parseSegmentTree(text)).toEqual([[condition('visitCount', operator, value)]]);
  });

  test('the first operator from the left wins; the rest belongs to the value', () => {
    expect(parseSegmentTree('pageTitle==a==b')).toEqual([[condition('pageTitle', '==', 'a==b')]]);
    expect(parseSegmentTree('pageTitle=@x=$y')).toEqual([[condition('pageTitle', '=@', 'x=$y')]]);
    expect(parseSegmentTree('a>=1')).toEqual([[condition('a', '>=', '1')]]);
  });

  test('OR (,) binds tighter than AND (;): A,B;C is (A or B) and C', () => {
    expect(parseSegmentTree('a==1,b==2;c==3')).toEqual([
      [condition('a', '==', '1'), condition('b', '==', '2')],
      [condition('c', '==', '3')],
    ]);
    expect(parseSegmentTree('a==1;b==2,c==3,d==4;e==5')).toEqual([
      [condition('a', '==', '1')],
      [condition('b', '==', '2'), condition('c', '==', '3'), condition('d', '==', '4')],
      [condition('e', '==', '5')],
    ]);
  });

  test('a backslash escapes ; and , inside a value; a trailing one stays in the value', () => {
    expect(parseSegmentTree('pageTitle==a\\;b\\,c')).toEqual([[condition('pageTitle', '==', 'a;b,c')]]);
    expect(parseSegmentTree('pageTitle==a;')).toEqual([[condition('pageTitle', '==', 'a;')]]);
    expect(parseSegmentTree('pageTitle==a,')).toEqual([[condition('pageTitle', '==', 'a,')]]);
  });

  test('conditions are URL-decoded once, values twice', () => {
    expect(parseSegmentTree('pageUrl%3D%3Dhttps%253A%252F%252Fa.example%252Fx')).toEqual([
      [condition('pageUrl', '==', 'https://a.example/x')],
    ]);
    expect(parseSegmentTree('referrerKeyword==hello+world')).toEqual([
      [condition('referrerKeyword', '==', 'hello world')],
    ]);
    expect(parseSegmentTree('referrerKeyword==100%25')).toEqual([
      [condition('referrerKeyword', '==', '100%')],
    ]);
  });

  test('an empty value with == or != tests for emptiness', () => {
    expect(parseSegmentTree('referrerName==')).toEqual([[condition('referrerName', 'isEmpty', '')]]);
    expect(parseSegmentTree('referrerName!=')).toEqual([[condition('referrerName', 'isNotEmpty', '')]]);
  });

  test('blank definitions are no segment; empty AND parts are dropped', () => {
    expect(parseSegmentTree('')).toEqual([]);
    expect(parseSegmentTree('  \n')).toEqual([]);
    expect(parseSegmentTree('a==1;;b==2')).toEqual([
      [condition('a', '==', '1')],
      [condition('b', '==', '2')],
    ]);
  });

  test("Matomo's messages for malformed conditions", () => {
    const cases: [string, string][] = [
      ['visitCount', "The segment condition 'visitCount' is not valid."],
      ['==3', "The segment condition '==3' is not valid."],
      [';', "The segment condition ';' is not valid."],
      ['a==1,,b==2', "The segment condition '' is not valid."],
      [
        'visitCount>',
        "The segment 'visitCount>' has no value specified. You can leave this value empty only when you use the operators: != (is not) or == (is)",
      ],
    ];
    for (const [text, message] of cases) {
      const attempt = () => parseSegmentTree(text);
      expect(attempt, text).toThrow(MatomoApiError);
      expect(attempt, text).toThrow(message);
    }
  });

  test('a,b with a comma at the end keeps it in the value', () => {
    // `,` at the very end is not a separator, so `a==1,` is one condition whose value is `1,`.
    expect(parseSegmentTree('a==1,')).toEqual([[condition('a', '==', '1,')]]);
  });

  test('every condition of a generated tree comes back', () => {
    const name = fc.stringMatching(/^[a-zA-Z]{1,12}$/);
    const value = fc.string({ minLength: 1, maxLength: 12 });
    const operand = fc.record({ name, operator: fc.constantFrom(...SEGMENT_OPERATORS), value });
    const tree = fc.array(fc.array(operand, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(tree, (expected) => {
        const text = expected
          .map((ors) => ors.map((c) => `${c.name}${c.operator}${encodeURIComponent(c.value)}`).join(','))
          .join(';');
        const parsed = parseSegmentTree(
          encodeURIComponent(text).replaceAll('%2C', ',').replaceAll('%3B', ';'),
        );
        expect(parsed).toEqual(expected);
      }),
    );
  });
});

describe('phpUrlDecode', () => {
  test('plus is a space, a malformed escape stays, bytes form UTF-8', () => {
    expect(phpUrlDecode('a+b%20c')).toBe('a b c');
    expect(phpUrlDecode('100%')).toBe('100%');
    expect(phpUrlDecode('%zz%4')).toBe('%zz%4');
    expect(phpUrlDecode('%C3%A9t%C3%A9')).toBe('été');
    expect(phpUrlDecode('été')).toBe('été');
  });
});
