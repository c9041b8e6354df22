import { sql } from 'kysely';
import type { MysqlTimeFunction } from '../../db/dialect-sql';
import type { ActionValueDimension, VisitDimension } from './segment-dimension-types';
import { asText, type SqlValue } from './segment-values';

/**
 * The time segments Matomo defines over the visit's and the actions' times (plugins/CoreHome/
 * Columns/VisitFirstAction*.php, VisitLastAction*.php, ServerTime.php, ServerMinute.php;
 * plugins/VisitTime/Columns/LocalTime.php, LocalMinute.php). Matomo stores those times in UTC,
 * so "server" hours and dates are UTC ones (MySQL's `HOUR()`, `DATE()`, … on the column); the
 * local ones read the visitor's clock, `visitor_localtime`. Matomo checks no value: MySQL reads
 * it as a number (`abc` as 0), and a date as a date.
 */

type TimeColumn = 'visit_first_action_time' | 'visit_last_action_time';

type MysqlFunction = MysqlTimeFunction;

/**
 * MySQL compares a DATE with a string as dates, so `2026-1-5` is 2026-01-05; anything else is
 * compared as written.
 */
function dateValue(value: string): SqlValue {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (!match) return value;
  const [, year = '', month = '', day = ''] = match;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function visitTime(fn: MysqlFunction, column: TimeColumn): VisitDimension {
  return {
    kind: 'visit',
    expression: (visit, dialect) => dialect.utc(fn, sql.ref(`${visit}.${column}`)),
    text: false,
    toSqlValue: fn === 'DATE' ? dateValue : asText,
    numeric: fn !== 'DATE',
  };
}

function actionTime(fn: MysqlFunction): ActionValueDimension {
  return {
    kind: 'actionValue',
    expression: (action, dialect) => dialect.utc(fn, sql.ref(`${action}.server_time`)),
    toSqlValue: asText,
    numeric: true,
  };
}

/** `visitor_localtime` is `HH:MM:SS`: MySQL's `HOUR()` and `MINUTE()` of a TIME. */
function localTime(start: 1 | 4): VisitDimension {
  return {
    kind: 'visit',
    expression: (visit) =>
      sql`cast(substr(${sql.ref(`${visit}.visitor_localtime`)}, ${sql.lit(start)}, 2) as integer)`,
    text: false,
    toSqlValue: asText,
    numeric: true,
  };
}

export const TIME_DIMENSIONS: Readonly<Record<string, VisitDimension | ActionValueDimension>> = {
  visitServerHour: visitTime('HOUR', 'visit_last_action_time'),
  visitStartServerHour: visitTime('HOUR', 'visit_first_action_time'),
  visitStartServerMinute: visitTime('MINUTE', 'visit_first_action_time'),
  visitEndServerMinute: visitTime('MINUTE', 'visit_last_action_time'),
  visitEndServerSecond: visitTime('SECOND', 'visit_last_action_time'),
  visitEndServerDate: visitTime('DATE', 'visit_last_action_time'),
  visitEndServerDayOfMonth: visitTime('DAYOFMONTH', 'visit_last_action_time'),
  visitEndServerDayOfWeek: visitTime('DAYOFWEEK', 'visit_last_action_time'),
  visitEndServerDayOfYear: visitTime('DAYOFYEAR', 'visit_last_action_time'),
  visitEndServerWeekOfYear: visitTime('WEEKOFYEAR', 'visit_last_action_time'),
  visitEndServerMonth: visitTime('MONTH', 'visit_last_action_time'),
  visitEndServerQuarter: visitTime('QUARTER', 'visit_last_action_time'),
  visitEndServerYear: visitTime('YEAR', 'visit_last_action_time'),
  visitLocalHour: localTime(1),
  visitLocalMinute: localTime(4),
  actionServerHour: actionTime('HOUR'),
  actionServerMinute: actionTime('MINUTE'),
};
