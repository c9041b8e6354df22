import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { addVisitMetrics, byCell, cellKey, type VisitMetrics } from './visit-metrics';

type LanguageRow = components['schemas']['LanguageRow'];

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** Matomo's tags of an Accept-Language header (`Common::extractLanguageAndRegionCodeFromBrowserLanguage`). */
const LANGUAGE_TAG = /(?:^|,)([a-z]{2,3})(?:-[a-z]{4})?(?:-[a-z]{2})?/g;

/** A language code Matomo knows (its Intl list): one the runtime has an English name for. */
function isKnownLanguage(code: string): boolean {
  return languageNames.of(code) !== code;
}

/**
 * The language of an Accept-Language header as Matomo reports it: the first known language,
 * cut to two letters (`Common::extractLanguageCodeFromBrowserLanguage`); `xx` when there is none.
 */
export function languageCodeOf(header: string): string {
  for (const [, language = ''] of header.toLowerCase().matchAll(LANGUAGE_TAG)) {
    if (!isKnownLanguage(language)) continue;
    const code = language.slice(0, 2);
    return isKnownLanguage(code) ? code : 'xx';
  }
  return 'xx';
}

/** `languageTranslate`: the English name; "Unknown" for `xx`; "Language code <code>" where there is none. */
export function languageName(code: string): string {
  if (code === '' || code === 'xx') return 'Unknown';
  return isKnownLanguage(code) ? (languageNames.of(code) ?? code) : `Language code ${code}`;
}

/**
 * `UserLanguage.getLanguage`: visits per language of the browser (its first one), labelled in
 * English, with the segment `languageCode==<code>,languageCode=@<code>-` (`languageCode==xx` when
 * unknown). As Matomo groups its language-and-region rows by language (`GroupBy`), the unique
 * visitors of the headers that make one language add up (plugins/UserLanguage/API.php).
 */
export async function getLanguage(context: AnalyticsContext): Promise<ResultOf<'UserLanguage.getLanguage'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const by = sql<string>`location_browser_lang`;
  const cells = byCell(await queryVisitGroups(context.db, scope, { by, segment, dailyUniques: true }));
  return shapeResult(scope, ({ site }, period): LanguageRow[] => {
    const byLanguage = new Map<string, VisitMetrics>();
    for (const group of cells.get(cellKey(site.idsite, period)) ?? []) {
      const code = languageCodeOf(String(group.key ?? ''));
      const sum = byLanguage.get(code);
      byLanguage.set(code, sum ? addVisitMetrics(sum, group.metrics) : group.metrics);
    }
    return [...byLanguage]
      .map(([code, metrics]) => visitMetricsRow(languageName(code), metrics, languageSegment(code)))
      .sort(byVisitsThenLabel);
  });
}

function languageSegment(code: string): string {
  return code === 'xx' ? 'languageCode==xx' : `languageCode==${code},languageCode=@${code}-`;
}
