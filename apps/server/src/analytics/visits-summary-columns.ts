import type { components } from '@matomo-oauth2/sdk/openapi';
import { type PeriodName, reportsUniqueVisitors } from './periods';

type VisitsSummary = components['schemas']['VisitsSummary'];
type VisitsSummaryColumns = components['schemas']['VisitsSummaryColumns'];

/**
 * The `columns` of `VisitsSummary.get` as Matomo reads them (`Piwik::getArrayFromApiParameter`):
 * comma-separated names, each once; absent, empty or `0` (PHP's `empty()`) is every column.
 */
export function readColumnsParameter(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '' || value === '0') return undefined;
  return [...new Set(value.split(','))];
}

// VisitsSummary's processed metrics, in its report's order, with the archived metrics they
// are computed from (BounceRate, ActionsPerVisit, AverageTimeOnSite::getDependentMetrics).
const PROCESSED: readonly [keyof VisitsSummary, readonly (keyof VisitsSummary)[]][] = [
  ['bounce_rate', ['bounce_count', 'nb_visits']],
  ['nb_actions_per_visit', ['nb_actions', 'nb_visits']],
  ['avg_time_on_site', ['sum_visit_length', 'nb_visits']],
];

/** `VisitsSummary\API::getCoreColumns`: the archived metrics of a period. */
function coreColumns(period: PeriodName): (keyof VisitsSummary)[] {
  const columns: (keyof VisitsSummary)[] = [
    'nb_visits',
    'nb_actions',
    'nb_visits_converted',
    'bounce_count',
    'sum_visit_length',
    'max_actions',
  ];
  return reportsUniqueVisitors(period) ? ['nb_uniq_visitors', 'nb_users', ...columns] : columns;
}

/** What `columns` selects of the record: the archived metrics Matomo loads, and those it shows. */
export interface ColumnSelection {
  /** The archive names Matomo reads (`Report::getMetricsRequiredForReport`), in its order. */
  archived: (keyof VisitsSummary)[];
  /** The columns of the answer, in Matomo's order: archived ones, then processed ones. */
  shown: (keyof VisitsSummary)[];
}

/**
 * Matomo's `VisitsSummary\API::get` with `columns`: a processed metric loads its dependencies,
 * an archived one itself, an unknown name (or unique visitors where the period has none)
 * nothing, without an error; then ColumnDelete keeps only the named columns.
 */
export function selectColumns(requested: readonly string[], period: PeriodName): ColumnSelection {
  const core = coreColumns(period);
  const processed = new Map(PROCESSED);
  const archived = new Set<keyof VisitsSummary>();
  for (const name of requested) {
    const dependencies = processed.get(name as keyof VisitsSummary);
    if (dependencies) for (const dependency of dependencies) archived.add(dependency);
    else if ((core as string[]).includes(name)) archived.add(name as keyof VisitsSummary);
  }
  const named = (name: string) => requested.includes(name);
  return {
    archived: [...archived],
    shown: [...[...archived].filter(named), ...PROCESSED.map(([name]) => name).filter(named)],
  };
}

/**
 * The record with the selected columns only, or none (Matomo's `[]`) where it has no column. A
 * period without visits inside a keyed result has none, except where Matomo loads a single
 * archived metric: its archive then fills that one at 0 (`DataTableFactory::makeFromMetricsArray`).
 */
export function selectedRecord(
  summary: VisitsSummary | undefined,
  selection: ColumnSelection,
): VisitsSummaryColumns | undefined {
  if (selection.shown.length === 0) return undefined;
  if (summary === undefined) {
    const [only, ...others] = selection.archived;
    return only !== undefined && others.length === 0 ? { [only]: 0 } : undefined;
  }
  return Object.fromEntries(selection.shown.map((name) => [name, summary[name]]));
}
