import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { ReferrerType } from '../db/analytics.schema';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { phpUrlEncode } from './php-url-encode';
import { SOCIAL_HOSTS } from './referrer-dimension-reports';
import { resolveReportScope } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups, type VisitGroup } from './visit-groups';
import { byCell, cellKey } from './visit-metrics';

type ReferrerRow = components['schemas']['ReferrerRow'];

/** Matomo's `Common::REFERRER_TYPE_*` of the types with referrers (`referer_type` in `getAll`). */
const TYPE_IDS = { search: 2, website: 3, campaign: 6, social: 7 } as const;

type TypeWithReferrers = keyof typeof TYPE_IDS;

const SOCIAL_LOGO = 'plugins/Morpheus/icons/dist/socials/';

/**
 * `Referrers.getAll`, for one site and one period (plugins/Referrers/API.php): the subtables of
 * `getReferrerType` merged into one flat table, each row with `referer_type`, Matomo's id of its
 * type. Direct entries have no subtable, so no rows. Search engines contribute their keywords
 * (`getKeywords`), the other types their referrers (`getWebsites`, `getCampaigns`, `getSocials`),
 * each with the segment and metadata those reports give it.
 */
export async function getAllReferrers(context: AnalyticsContext): Promise<ResultOf<'Referrers.getAll'>> {
  const { params, sites } = context;
  if (sites.ids.length > 1 || params.get('idSite') === 'all') {
    throw new MatomoApiError('Referrers.getAll with multiple sites is not supported (yet).');
  }
  const scope = await resolveReportScope(context);
  if (scope.byPeriod || scope.bySite) {
    throw new MatomoApiError('Referrers.getAll with multiple sites or dates is not supported (yet).');
  }
  const segment = scopeSegment(params, scope);
  const perType = await Promise.all(
    (Object.keys(TYPE_IDS) as TypeWithReferrers[]).map(async (type) => {
      const column = type === 'search' ? sql.ref('referrer_keyword') : sql.ref('referrer_name');
      const groups = await queryVisitGroups(context.db, scope, {
        by: sql<string | null>`${column}`,
        segment,
        dailyUniques: true,
        goals: true,
        where: sql<boolean>`referrer_type = ${type satisfies ReferrerType}`,
      });
      return { type, cells: byCell(groups) };
    }),
  );
  const [only] = scope.sites;
  if (!only) return [];
  return perType
    .flatMap(({ type, cells }) =>
      (cells.get(cellKey(only.site.idsite, 0)) ?? []).map((group) => referrerRow(type, group)),
    )
    .sort(byVisitsThenLabel);
}

function referrerRow(type: TypeWithReferrers, group: VisitGroup): ReferrerRow {
  const value = group.key === null ? '' : String(group.key);
  const referer_type = TYPE_IDS[type];
  switch (type) {
    case 'search':
      return {
        ...visitMetricsRow(
          value === '' ? 'Keyword not defined' : value,
          group.metrics,
          `referrerType==search;referrerKeyword==${phpUrlEncode(value)}`,
        ),
        referer_type,
      };
    case 'website':
      return {
        ...visitMetricsRow(value, group.metrics, `referrerName==${phpUrlEncode(value)}`),
        referer_type,
      };
    case 'campaign':
      return {
        ...visitMetricsRow(
          value,
          group.metrics,
          `referrerType==campaign;referrerName==${phpUrlEncode(value)}`,
        ),
        referer_type,
      };
    case 'social': {
      const url = SOCIAL_HOSTS[value];
      return {
        ...visitMetricsRow(value, group.metrics, `referrerType==social;referrerName==${phpUrlEncode(value)}`),
        ...(url === undefined ? {} : { url }),
        logo: `${SOCIAL_LOGO}${url ?? 'xx'}.png`,
        referer_type,
      };
    }
  }
}
