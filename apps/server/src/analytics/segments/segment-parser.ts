import { MatomoApiError } from '../../errors/matomo-api-error';
import { phpUrlDecode } from './php-url-decode';

/**
 * Matomo's segment grammar (core/Segment/SegmentExpression.php): conditions joined by `;` (AND)
 * and `,` (OR), where OR binds tighter: `A,B;C` is `(A or B) and C`. There are no parentheses.
 * A `;` or `,` preceded by a backslash is part of a value; one at the very end is too.
 */

/** The comparison operators, in the order Matomo tries them at a given position. */
export const SEGMENT_OPERATORS = ['==', '!=', '>=', '>', '<=', '<', '=@', '!@', '=^', '=$'] as const;

export type SegmentOperator = (typeof SEGMENT_OPERATORS)[number];

/**
 * `name==` and `name!=` with an empty value test for "null or empty" (Matomo counts `''`, `'0'`
 * and NULL as empty); no other operator accepts an empty value.
 */
export type ConditionOperator = SegmentOperator | 'isEmpty' | 'isNotEmpty';

export interface SegmentCondition {
  /** The segment name, e.g. `pageUrl`, as written. */
  name: string;
  operator: ConditionOperator;
  /** URL-decoded twice, as Matomo decodes it; `''` for `isEmpty` and `isNotEmpty`. */
  value: string;
}

/** Every inner list is a disjunction (OR); the outer list is their conjunction (AND). */
export type SegmentTree = SegmentCondition[][];

/** Matomo cuts longer segments to this length before parsing them. */
export const SEGMENT_MAX_LENGTH = 8192;

const AND_SPLIT = /;(?!$)(?<!\\;)/;
const OR_SPLIT = /,(?!$)(?<!\\,)/;
// PHP's `.` stops at a line feed, so a value ends there too.
const OPERAND = /^([^\n]+?)(==|!=|>=|>|<=|<|=@|!@|=\^|=\$)([^\n]*)/;

const PHP_BLANKS = new Set([' ', '\t', '\n', '\r', '\0', '\v']);

/** PHP's `trim`: spaces, tabs, line breaks, NUL and vertical tabs. */
export function phpTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PHP_BLANKS.has(text.charAt(start))) start += 1;
  while (end > start && PHP_BLANKS.has(text.charAt(end - 1))) end -= 1;
  return text.slice(start, end);
}

/**
 * Parses a segment definition (already URL-decoded once by the query string). An empty
 * definition gives an empty tree: no segment. Conditions are URL-decoded once more, and their
 * values once again, as Matomo does.
 *
 * @example
 * ```ts
 * parseSegmentTree('countryCode==de,countryCode==fr;visitorType==new');
 * // [[{name:'countryCode',operator:'==',value:'de'}, {…'fr'}], [{name:'visitorType',…}]]
 * ```
 */
export function parseSegmentTree(definition: string): SegmentTree {
  const text = phpTrim(definition.slice(0, SEGMENT_MAX_LENGTH));
  if (text === '') return [];
  // Matomo drops empty AND parts (PHP's array_filter also drops a part that is exactly "0").
  const ands = text.split(AND_SPLIT).filter((part) => part !== '' && part !== '0');
  return ands.map((and) => and.split(OR_SPLIT).map((operand) => parseCondition(unescapeDelimiters(operand))));
}

function unescapeDelimiters(operand: string): string {
  return operand.replaceAll('\\;', ';').replaceAll('\\,', ',');
}

function parseCondition(operand: string): SegmentCondition {
  const decoded = phpUrlDecode(operand);
  const match = OPERAND.exec(decoded);
  if (!match) throw new MatomoApiError(`The segment condition '${decoded}' is not valid.`);
  const [, name = '', operator = '==', rawValue = ''] = match;
  const value = phpUrlDecode(rawValue);
  if (value !== '') return { name, operator: operator as SegmentOperator, value };
  if (operator === '==') return { name, operator: 'isEmpty', value };
  if (operator === '!=') return { name, operator: 'isNotEmpty', value };
  throw new MatomoApiError(
    `The segment '${decoded}' has no value specified. You can leave this value empty only when you use the operators: != (is not) or == (is)`,
  );
}

/** The number of conditions of a tree. */
export function conditionCount(tree: SegmentTree): number {
  return tree.reduce((count, ors) => count + ors.length, 0);
}
