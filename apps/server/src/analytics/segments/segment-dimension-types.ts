import type { RawBuilder } from 'kysely';
import type { ActionType } from '../../db/analytics.schema';
import type { DialectSql } from '../../db/dialect-sql';
import type { SqlValue } from './segment-values';

// The kinds of dimension a segment condition can compare, and how each reaches our tables.

/** A column of `log_visit` (or an expression over one), compared directly. */
export interface VisitDimension {
  kind: 'visit';
  /** The expression, given the table name or alias of the visit row. */
  expression: (visit: string, dialect: DialectSql) => RawBuilder<unknown>;
  /** Text compares case-insensitively, as MySQL's default collation does in Matomo. */
  text: boolean;
  toSqlValue: (value: string) => SqlValue;
  /**
   * A number in Matomo, compared with the condition's text as MySQL compares them: `==`, `!=`,
   * `<`, `<=`, `>`, `>=` read the text as a number (`'abc'` as 0, `'7abc'` as 7, so
   * `visitCount>=abc` keeps every visit), `=@`, `!@`, `=^` and `=$` match the number's digits
   * against the text as written.
   */
  numeric?: boolean;
}

/** What of an action a condition compares. */
export type ActionField = 'pageUrl' | 'title' | 'name';

/**
 * An action dimension: a visit matches when one of its actions of this type matches (for `!=`
 * and `!@`: when none matches the opposite), as Matomo's segments are visit-based.
 */
export interface ActionDimension {
  kind: 'action';
  actionType: ActionType;
  field: ActionField;
  toSqlValue: (value: string) => SqlValue;
  /** The action's column that names it in `log_action`; default `idaction_url`. */
  column?: 'idaction_event_category' | 'idaction_event_action' | 'idaction_name';
}

/** The entry or exit page of a visit (`log_visit` columns that point at an action). */
export interface LandingDimension {
  kind: 'landing';
  column: 'entry_idaction_url' | 'exit_idaction_url';
  field: 'pageUrl' | 'title';
  toSqlValue: (value: string) => SqlValue;
}

/**
 * A value of every action of a visit (`log_link_visit_action`, whatever its type), such as its
 * time: a visit matches when one of its actions does (for `!=` and `!@`: when none matches the
 * opposite).
 */
export interface ActionValueDimension {
  kind: 'actionValue';
  /** The expression, given the alias of the action row. */
  expression: (action: string, dialect: DialectSql) => RawBuilder<unknown>;
  toSqlValue: (value: string) => SqlValue;
  /** As `VisitDimension.numeric`. */
  numeric?: boolean;
}

export type SegmentDimension = VisitDimension | ActionDimension | LandingDimension | ActionValueDimension;
