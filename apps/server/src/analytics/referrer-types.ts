import type { components } from '@matomo-oauth2/sdk/openapi';
import { type RawBuilder, sql } from 'kysely';
import type { ReferrerType } from '../db/analytics.schema';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { referrerRow } from './referrer-dimension-reports';
import { resolveReportScope, shapeOneSiteResult } from './report-scope';
import { readFlag, readPositiveInteger, readRowWindow, shown, windowRows } from './request-params';
import { scopeSegment } from './segments';
import { queryVisitGroups, type VisitGroup } from './visit-groups';
import { byCell, cellKey, queryVisitMetrics } from './visit-metrics';

type ReferrerTypeRow = components['schemas']['ReferrerTypeRow'];
type VisitMetricsRow = components['schemas']['VisitMetricsRow'];
type ReferrerTypeLabel = NonNullable<ReferrerTypeRow['label']>;

/**
 * Each type's label, and the id of its subtable (the referrers of that type). The ids are
 * Matomo's referrer type constants, so they never change; direct entries have no subtable.
 */
export const REFERRER_TYPES: Record<ReferrerType, { label: ReferrerTypeLabel; idSubtable?: number }> = {
  direct: { label: 'Direct Entry' },
  search: { label: 'Search Engines', idSubtable: 2 },
  website: { label: 'Websites', idSubtable: 3 },
  campaign: { label: 'Campaigns', idSubtable: 6 },
  social: { label: 'Social Networks', idSubtable: 7 },
};

const TYPES: readonly ReferrerType[] = ['direct', 'search', 'website', 'campaign', 'social'];

function isReferrerType(value: string): value is ReferrerType {
  return TYPES.some((type) => type === value);
}

function typeWithSubtable(idSubtable: number): ReferrerType | undefined {
  return TYPES.find((type) => REFERRER_TYPES[type].idSubtable === idSubtable);
}

/**
 * `Referrers.getReferrerType`, for one site: visits per referrer type; `typeReferrer` keeps one
 * type, `idSubtable` returns the referrers (engines, websites, campaigns, networks) of one type,
 * `expanded=1` nests them in `subtable`.
 */
export async function getReferrerType(
  context: AnalyticsContext,
): Promise<ResultOf<'Referrers.getReferrerType'>> {
  const { params, db, sites } = context;
  if (sites.multiple || sites.ids.length !== 1) {
    throw new MatomoApiError('Referrers.getReferrerType reports on one site only: pass a single idSite.');
  }
  const window = readRowWindow(params);
  const expanded = readFlag(params, 'expanded');
  const idSubtable = readPositiveInteger(params, 'idSubtable');
  const typeText = params.get('typeReferrer');
  if (typeText !== undefined && !isReferrerType(typeText)) {
    throw new MatomoApiError(
      `The parameter 'typeReferrer' must be one of ${TYPES.join(', ')}, got '${shown(typeText)}'.`,
    );
  }
  const typeReferrer = typeText;
  const subtableType = idSubtable === undefined ? undefined : typeWithSubtable(idSubtable);
  if (idSubtable !== undefined && subtableType === undefined) {
    throw new MatomoApiError(
      `The subtable idSubtable=${idSubtable} does not exist in Referrers.getReferrerType.`,
    );
  }
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
    await queryVisitMetrics(db, scope, {
      by: 'referrer_type',
      referrerType: typeReferrer,
      segment,
      dailyUniques: true,
      goals: true,
    }),
  );
  const names = expanded
    ? byCell(
        await queryVisitGroups(db, scope, {
          by: sql<string>`json_array(referrer_type, ${referrerOf(sql.ref('referrer_type'))})`,
          segment,
          dailyUniques: true,
          goals: true,
          where:
            typeReferrer === undefined
              ? sql<boolean>`referrer_type != 'direct'`
              : sql<boolean>`referrer_type = ${typeReferrer}`,
        }),
      )
    : new Map<string, VisitGroup[]>();
  return shapeOneSiteResult(scope, ({ site }, period): ReferrerTypeRow[] => {
    const cell = cellKey(site.idsite, period);
    const rows = (types.get(cell) ?? []).flatMap((group): ReferrerTypeRow[] => {
      const type = group.key;
      if (type === null || !isReferrerType(type)) return [];
      const { label, idSubtable: id } = REFERRER_TYPES[type];
      const row: ReferrerTypeRow = {
        ...visitMetricsRow(label, group.metrics, `referrerType==${type}`),
        referrer_type: type,
      };
      if (id !== undefined) {
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
