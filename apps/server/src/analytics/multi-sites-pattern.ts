import type { Db } from '../db/database';

/** Matomo's `SettingsPiwik::getWebsitesCountToDisplay`: `site_selector_max_sites`, 15 by default. */
const PATTERN_SITES_LIMIT = 15;

/**
 * The sites `MultiSites.getAll` reports for its `pattern`, among those the caller may view, in
 * id order. As Matomo (`SitesManager.getPatternMatchSites`): no pattern (PHP's `empty()`: absent,
 * `''` or `'0'`) keeps every site; otherwise the sites whose name or group is `LIKE %pattern%`
 * or whose main URL is `LIKE http%pattern%` (so `%` and `_` are wildcards, and the comparison
 * ignores ASCII case), or whose id is the pattern when it is numeric, at most 15 of them.
 */
export async function sitesMatchingPattern(
  db: Db,
  ids: readonly number[],
  pattern: string | undefined,
): Promise<number[]> {
  if (pattern === undefined || pattern === '' || pattern === '0' || ids.length === 0) return [...ids];
  const contains = `%${pattern}%`;
  const numeric = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(pattern);
  const rows = await db
    .selectFrom('sites')
    .select('idsite')
    .where('idsite', 'in', [...ids])
    .where((eb) =>
      eb.or([
        // Lower-cased by the database on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's none.
        eb(eb.fn('lower', ['name']), 'like', eb.fn('lower', [eb.val(contains)])),
        eb(eb.fn('lower', ['main_url']), 'like', eb.fn('lower', [eb.val(`http${contains}`)])),
        eb(eb.fn('lower', ['site_group']), 'like', eb.fn('lower', [eb.val(contains)])),
        ...(numeric ? [eb('idsite', '=', Number(pattern))] : []),
      ]),
    )
    .orderBy('idsite')
    .limit(PATTERN_SITES_LIMIT)
    .execute();
  return rows.map((row) => row.idsite);
}
