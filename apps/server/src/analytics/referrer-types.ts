import type { components } from '@matomo-oauth2/sdk/openapi';
import { type RawBuilder, sql } from 'kysely';
import type { ReferrerType } from '../db/analytics.schema';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { Params } from '../http/params';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { compilePattern } from './generic-filters/pattern';
import { phpInteger } from './generic-filters/php-integer';
import { referrerRow } from './referrer-dimension-reports';
import { resolveReportScope, shapeOneSiteResult } from './report-scope';
import { readFlag, readRowWindow, windowRows } from './request-params';
import { scopeSegment } from './segments';
import { queryVisitGroups, type VisitGroup } from './visit-groups';
import { byCell, cellKey, queryVisitMetrics } from './visit-metrics';

type ReferrerTypeRow = components['schemas']['ReferrerTypeRow'];
type VisitMetricsRow = components['schemas']['VisitMetricsRow'];
type ReferrerTypeLabel = NonNullable<ReferrerTypeRow['label']>;
type ReferrerTypeId = components['schemas']['ReferrerTypeId'];

/**
 * Each type's label and Matomo's id (`Common::REFERRER_TYPE_*`): the row's `referrer_type`, and
 * the id of its subtable (the referrers of that type), so they never change; direct entries have
 * no subtable.
 */
export const REFERRER_TYPES: Record<ReferrerType, { label: ReferrerTypeLabel; id: ReferrerTypeId }> = {
  direct: { label: 'Direct Entry', id: 1 },
  search: { label: 'Search Engines', id: 2 },
  website: { label: 'Websites', id: 3 },
  campaign: { label: 'Campaigns', id: 6 },
  social: { label: 'Social Networks', id: 7 },
};

const TYPES: readonly ReferrerType[] = ['direct', 'search', 'website', 'campaign', 'social'];

function isReferrerType(value: string): value is ReferrerType {
  return TYPES.some((type) => type === value);
}

/**
 * The type whose referrers `idSubtable` asks for. Matomo's `switch` compares it loosely with the
 * ids of the types that have referrers (`2`, ` 2`, `2.0` all name the search engines); any other
 * value falls through to the whole report.
 */
function typeOfSubtable(idSubtable: string | undefined): ReferrerType | undefined {
  const id = phpInteger(idSubtable);
  return TYPES.find((type) => type !== 'direct' && REFERRER_TYPES[type].id === id);
}

/**
 * `typeReferrer`: Matomo runs its `Pattern` filter on the report's labels, which are still the
 * type ids, so the value is a case-insensitive regular expression matched against each id (`2`,
 * or `[23]`; a name such as `search` matches nothing). `0` and `false` do not filter.
 */
function readTypeFilter(params: Params): ((type: ReferrerType) => boolean) | undefined {
  const value = params.get('typeReferrer');
  if (value === undefined || value === '0' || value === 'false') return undefined;
  const pattern = compilePattern(value);
  return (type) => pattern?.test(String(REFERRER_TYPES[type].id)) === true;
}

/**
 * `Referrers.getReferrerType`, for one site: visits per referrer type, each row with Matomo's
 * numeric `referrer_type`; `typeReferrer` keeps the types whose id matches, `idSubtable` (a type
 * id) returns the referrers (keywords, websites, campaigns, networks) of that type, `expanded=1`
 * nests them in `subtable`.
 */
export async function getReferrerType(
  context: AnalyticsContext,
): Promise<ResultOf<'Referrers.getReferrerType'>> {
  const { params, db, sites } = context;
  // Matomo checks the caller's access to every site first, then `checkSingleSite`.
  if (sites.multiple || sites.ids.length !== 1) {
    throw new MatomoApiError('Referrers.getReferrerType with multiple sites is not supported (yet).');
  }
  const window = readRowWindow(params);
  const expanded = readFlag(params, 'expanded');
  const subtableType = typeOfSubtable(params.get('idSubtable'));
  const keepType = readTypeFilter(params);
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(params, scope);

  if (subtableType !== undefined) {
    const referrers = byCell(
      await queryVisitGroups(db, scope, {
        by: referrerOf(sql.ref('referrer_type')),
        segment,
        dailyUniques: true,
        goals: true,
        where: sql<boolean>`referrer_type = ${subtableType}`,
      }),
    );
    return shapeOneSiteResult(scope, ({ site }, period) =>
      windowRows(subtableRows(referrers.get(cellKey(site.idsite, period)) ?? [], subtableType), window),
    );
  }

  const types = byCell(
    await queryVisitMetrics(db, scope, { by: 'referrer_type', segment, dailyUniques: true, goals: true }),
  );
  const names = expanded
    ? byCell(
        await queryVisitGroups(db, scope, {
          by: scope.dialect.jsonPair(sql.ref('referrer_type'), referrerOf(sql.ref('referrer_type'))),
          segment,
          dailyUniques: true,
          goals: true,
          where: sql<boolean>`referrer_type != 'direct'`,
        }),
      )
    : new Map<string, VisitGroup[]>();
  return shapeOneSiteResult(scope, ({ site }, period): ReferrerTypeRow[] => {
    const cell = cellKey(site.idsite, period);
    const rows = (types.get(cell) ?? []).flatMap((group): ReferrerTypeRow[] => {
      const type = group.key;
      if (type === null || !isReferrerType(type) || (keepType && !keepType(type))) return [];
      const { label, id } = REFERRER_TYPES[type];
      const row: ReferrerTypeRow = {
        ...visitMetricsRow(label, group.metrics, `referrerType==${type}`),
        referrer_type: id,
      };
      if (type !== 'direct') {
        row.idsubdatatable = id;
        if (expanded) {
          const ofType = (names.get(cell) ?? []).flatMap((group) => {
            const [groupType, referrer] = JSON.parse(String(group.key)) as [string, string];
            return groupType === type ? [{ ...group, key: referrer }] : [];
          });
          row.subtable = windowRows(subtableRows(ofType, type), window);
        }
      }
      return [row];
    });
    return windowRows(rows.sort(byVisitsThenLabel), window);
  });
}

/**
 * Matomo answers a type's subtable with that type's own report (plugins/Referrers/API.php,
 * `getReferrerType`): the search type lists `getKeywords`, the others `getWebsites`,
 * `getCampaigns` and `getSocials`, with their labels and segments, without their subtable ids.
 */
function subtableRows(groups: readonly VisitGroup[], type: ReferrerType): VisitMetricsRow[] {
  return groups
    .map((group) => referrerRow(type, String(group.key ?? ''), group.metrics))
    .sort(byVisitsThenLabel);
}

/** The value a type's report groups by: the keyword of a search, the name of any other referrer. */
function referrerOf(type: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`case when ${type} = 'search' then coalesce(referrer_keyword, '') else coalesce(referrer_name, '') end`;
}
