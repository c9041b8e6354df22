/**
 * A record method's result as Matomo's renderers read a `DataTable\Simple`
 * (`Renderer::convertDataTableToArray`): a record of one column is that column's value, a
 * record of none is `[]`, in every table of a map; a lone value at the top is `{"value": …}`
 * (the JSON renderer's wrapping). So `VisitsSummary.get&columns=nb_visits` answers as
 * `VisitsSummary.getVisits` does. Runs last, after the column filters and `format_metrics`,
 * which read the column's name.
 */
export function recordValues(result: unknown): unknown {
  const flat = flattenRecords(result);
  return flat !== null && typeof flat === 'object' ? flat : { value: flat };
}

function flattenRecords(result: unknown): unknown {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return result;
  const entries = Object.entries(result);
  if (entries.length === 0) return [];
  // A map (by site or period) holds records, `[]` or further maps; a record holds values.
  if (entries.every(([, value]) => value !== null && typeof value === 'object')) {
    return Object.fromEntries(entries.map(([key, value]) => [key, flattenRecords(value)]));
  }
  return entries.length === 1 ? entries[0]?.[1] : result;
}
