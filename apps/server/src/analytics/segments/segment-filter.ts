import { type RawBuilder, sql } from 'kysely';
import type { DialectSql } from '../../db/dialect-sql';
import { MatomoApiError } from '../../errors/matomo-api-error';
import type { Params } from '../../http/params';
import type { ReportSite } from '../report-sites';
import { phpUrlDecode } from './php-url-decode';
import {
  type ActionField,
  type SegmentDimension,
  type SqlValue,
  segmentDimension,
  withoutProtocol,
} from './segment-dimensions';
import {
  type ConditionOperator,
  conditionCount,
  parseSegmentTree,
  phpTrim,
  type SegmentCondition,
} from './segment-parser';
import { asMysqlNumber } from './segment-values';

/** Which visits a request's `segment` keeps, as SQL over `log_visit` or over a visit id column. */
export interface SegmentFilter {
  /** True for the rows of `log_visit`, named `visit` (a table name or alias), that the segment keeps. */
  visits(visit: string): RawBuilder<boolean>;
  /** True for rows (of `log_link_visit_action`, say) whose `idvisitColumn` is a visit the segment keeps. */
  visitIds(idvisitColumn: string): RawBuilder<boolean>;
}

/** No segment: every visit. */
export const ALL_VISITS: SegmentFilter = {
  visits: () => sql<boolean>`1 = 1`,
  visitIds: () => sql<boolean>`1 = 1`,
};

interface ResolvedCondition extends SegmentCondition {
  dimension: SegmentDimension;
  /** The value as Matomo's `sqlFilterValue` maps it; unused by `isEmpty` and `isNotEmpty`. */
  sqlValue: SqlValue;
}

type ResolvedTree = ResolvedCondition[][];

/**
 * Reads `segment` for the given sites (their main URLs make page URLs comparable). Absent or
 * empty: every visit. An unknown segment name or a malformed condition is Matomo's error.
 */
export function readSegmentFilter(
  params: Params,
  sites: readonly ReportSite[],
  dialect: DialectSql,
): SegmentFilter {
  const tree = readSegment(params.get('segment'));
  return tree ? compileSegment(tree, sites, dialect) : ALL_VISITS;
}

/**
 * A segment parameter may arrive URL-encoded once more than needed, and both forms often parse.
 * Like Matomo (core/Segment.php), parse both and keep the raw form only when it yields more
 * conditions; otherwise the decoded form is used, and its error is the one reported.
 */
export function readSegment(definition: string | undefined): ResolvedTree | undefined {
  if (definition === undefined) return undefined;
  const raw = phpTrim(definition);
  if (raw === '') return undefined;
  const decoded = phpUrlDecode(raw);
  let decodedCount = 0;
  if (decoded !== raw) decodedCount = attempt(() => conditionCount(resolve(decoded))) ?? 0;
  const rawTree = attempt(() => resolve(raw));
  const tree = rawTree && conditionCount(rawTree) > decodedCount ? rawTree : resolve(decoded);
  return tree.length === 0 ? undefined : tree;
}

function attempt<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof MatomoApiError) return undefined;
    throw error;
  }
}

function resolve(definition: string): ResolvedTree {
  return parseSegmentTree(definition).map((ors) =>
    ors.map((condition): ResolvedCondition => {
      const dimension = segmentDimension(condition.name);
      const testsEmptiness = condition.operator === 'isEmpty' || condition.operator === 'isNotEmpty';
      const sqlValue = testsEmptiness ? '' : dimension.toSqlValue(condition.value);
      return { ...condition, dimension, sqlValue };
    }),
  );
}

/** The SQL of a parsed segment: the conditions of each OR group, and the groups ANDed. */
export function compileSegment(
  tree: ResolvedTree,
  sites: readonly ReportSite[],
  dialect: DialectSql,
): SegmentFilter {
  const hostPrefix = hostPrefixOf(sites);
  const visits = (visit: string): RawBuilder<boolean> => {
    const groups = tree.map(
      (ors) =>
        sql<boolean>`(${sql.join(
          ors.map((condition) => conditionSql(condition, visit, hostPrefix, dialect)),
          sql` or `,
        )})`,
    );
    return sql<boolean>`(${sql.join(groups, sql` and `)})`;
  };
  const siteIds = sites.map((site) => site.idsite);
  return {
    visits,
    visitIds: (idvisitColumn) =>
      sql<boolean>`${sql.ref(idvisitColumn)} in (select seg_v.idvisit from log_visit as seg_v where seg_v.idsite in (${sql.join(siteIds.length > 0 ? siteIds : [0])}) and ${visits('seg_v')})`,
  };
}

type HostPrefix = (siteColumn: string) => RawBuilder<string>;

/** A page's URL as Matomo stores it: the site's host (no protocol, no `www.`) and our path. */
function hostPrefixOf(sites: readonly ReportSite[]): HostPrefix {
  return (siteColumn) => {
    const [only] = sites;
    if (sites.length === 1 && only) return sql<string>`${withoutProtocol(only.mainUrl)}`;
    const whens = sites.map((site) => sql`when ${site.idsite} then ${withoutProtocol(site.mainUrl)}`);
    if (whens.length === 0) return sql<string>`''`;
    return sql<string>`(case ${sql.ref(siteColumn)} ${sql.join(whens, sql` `)} else '' end)`;
  };
}

function conditionSql(
  condition: ResolvedCondition,
  visit: string,
  hostPrefix: HostPrefix,
  dialect: DialectSql,
): RawBuilder<boolean> {
  const { dimension, operator, sqlValue } = condition;
  const compare = comparison(dialect);
  if (dimension.kind === 'visit') {
    return compare(
      dimension.expression(visit, dialect),
      operator,
      sqlValue,
      dimension.text,
      dimension.numeric,
    );
  }
  // `!=` and `!@` on actions keep the visits where no action matches `==` or `=@` (Matomo's
  // `idvisit NOT IN` subquery); every other operator keeps the visits where one action matches.
  const negated = operator === '!=' || operator === '!@';
  const positive: ConditionOperator = operator === '!=' ? '==' : operator === '!@' ? '=@' : operator;
  // Matomo finds `==` and `!=` by exact name (a hash lookup); the other operators use MySQL's
  // case-insensitive collation.
  const nocase = positive !== '==';
  if (dimension.kind === 'actionValue') {
    const exists = sql<boolean>`exists (select 1 from log_link_visit_action as seg_a where seg_a.idvisit = ${sql.ref(`${visit}.idvisit`)} and ${compare(dimension.expression('seg_a', dialect), positive, sqlValue, false, dimension.numeric)})`;
    return negated ? sql<boolean>`not ${exists}` : exists;
  }
  if (dimension.kind === 'action') {
    const field = actionField(dimension.field, 'seg_u', 'seg_a.idsite', hostPrefix);
    const exists = sql<boolean>`exists (select 1 from log_link_visit_action as seg_a inner join log_action as seg_u on seg_u.idaction = ${sql.ref(`seg_a.${dimension.column ?? 'idaction_url'}`)} where seg_a.idvisit = ${sql.ref(`${visit}.idvisit`)} and seg_a.action_type = ${dimension.actionType} and ${compare(field, positive, sqlValue, nocase)})`;
    return negated ? sql<boolean>`not ${exists}` : exists;
  }
  const field = actionField(dimension.field, 'seg_u', `${visit}.idsite`, hostPrefix);
  const landingNegated = operator === '!=';
  const test: ConditionOperator = landingNegated ? '==' : operator;
  const exists = sql<boolean>`exists (select 1 from log_action as seg_u where seg_u.idaction = ${sql.ref(`${visit}.${dimension.column}`)} and ${compare(field, test, sqlValue, test !== '==')})`;
  return landingNegated ? sql<boolean>`not ${exists}` : exists;
}

function actionField(
  field: ActionField,
  action: string,
  siteColumn: string,
  hostPrefix: HostPrefix,
): RawBuilder<unknown> {
  if (field === 'title') return sql.ref(`${action}.title`);
  if (field === 'name') return sql.ref(`${action}.name`);
  return sql`(${hostPrefix(siteColumn)} || ${sql.ref(`${action}.name`)})`;
}

/**
 * One comparison as Matomo's SegmentExpression writes it; values are always bound. A `numeric`
 * column compares as MySQL compares a number with text (`VisitDimension.numeric`): as a double,
 * and its digits as text for the LIKE operators. Case-insensitive text (`nocase`, and every LIKE,
 * as SQLite's LIKE always was) compares lower-cased; text orders by code point on both databases.
 */
function comparison(dialect: DialectSql) {
  return function compare(
    column: RawBuilder<unknown>,
    operator: ConditionOperator,
    value: SqlValue,
    nocase: boolean,
    numeric = false,
  ): RawBuilder<boolean> {
    // `!=` and `!@` also keep rows where the column is NULL, unless the value is PHP-empty.
    const orNull = (test: RawBuilder<boolean>): RawBuilder<boolean> =>
      value === '0' || value === 0 ? test : sql<boolean>`(${column} is null or ${test})`;
    const text = String(value);
    const asText = sql`cast(${column} as text)`;
    const [left, bound] = numeric
      ? [column, sql`cast(${asMysqlNumber(text)} as double precision)`]
      : nocase
        ? [dialect.binary(sql`lower(${column})`), dialect.binary(sql`lower(${value})`)]
        : [typeof value === 'number' ? column : dialect.binary(column), value];
    const like = (pattern: string) => sql<boolean>`lower(${asText}) like lower(${pattern}) escape '\\'`;
    switch (operator) {
      case '==':
        return sql<boolean>`${left} = ${bound}`;
      case '!=':
        return orNull(sql<boolean>`${left} <> ${bound}`);
      case '<':
        return sql<boolean>`${left} < ${bound}`;
      case '<=':
        return sql<boolean>`${left} <= ${bound}`;
      case '>':
        return sql<boolean>`${left} > ${bound}`;
      case '>=':
        return sql<boolean>`${left} >= ${bound}`;
      case '=@':
        return like(`%${escapeLike(text)}%`);
      case '!@':
        return orNull(sql<boolean>`not ${like(`%${escapeLike(text)}%`)}`);
      case '=^':
        return like(`${escapeLike(text)}%`);
      case '=$':
        return like(`%${escapeLike(text)}`);
      case 'isEmpty':
        return numeric
          ? sql<boolean>`(${column} is null or ${column} = 0)`
          : sql<boolean>`(${column} is null or ${asText} = '' or ${asText} = '0')`;
      case 'isNotEmpty':
        return numeric
          ? sql<boolean>`(${column} is not null and ${column} <> 0)`
          : sql<boolean>`(${column} is not null and ${asText} <> '' and ${asText} <> '0')`;
    }
  };
}

/** Matomo escapes `%` and `_` (not the backslash itself) so that they match literally. */
function escapeLike(value: string): string {
  return value.replaceAll('%', '\\%').replaceAll('_', '\\_');
}
