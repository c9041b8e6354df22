import type { Kysely } from 'kysely';
import type { GoalMatchAttribute } from '../../db/analytics.schema';
import type { Database } from '../../db/schema';
import type { ActionName } from '../log-action.repository';
import type { ActionToWrite, ConversionToWrite } from '../visit-log.writer';

/** A goal as the demo registers it (Matomo's `goal` columns; `idgoal` counts from 1). */
export interface DemoGoal {
  name: string;
  description: string;
  match_attribute: GoalMatchAttribute;
  pattern: string;
  pattern_type: 'contains' | 'exact' | 'regex';
  revenue: number;
  allow_multiple: 0 | 1;
}

/**
 * Every demo site's goals, as a site owner would set them up in Matomo: a page goal without
 * revenue, a page goal with one, and a download goal that converts on every download.
 */
export const DEMO_GOALS: readonly DemoGoal[] = [
  {
    name: 'Viewed the pricing page',
    description: 'A visitor looked at the plans.',
    match_attribute: 'url',
    pattern: '/pricing',
    pattern_type: 'contains',
    revenue: 0,
    allow_multiple: 0,
  },
  {
    name: 'Contact us',
    description: 'A lead: the contact page was reached.',
    match_attribute: 'url',
    pattern: '/contact',
    pattern_type: 'contains',
    revenue: 30,
    allow_multiple: 0,
  },
  {
    name: 'Downloaded a file',
    description: 'Guides, the OpenAPI contract and the SDK; every download counts.',
    match_attribute: 'file',
    pattern: '/files/',
    pattern_type: 'contains',
    revenue: 5,
    allow_multiple: 1,
  },
];

/**
 * Registers the demo goals on a site that has none (deleted ones count: a goal someone removed
 * does not come back). Returns whether it added them.
 */
export async function addDemoGoalsIfNone(db: Kysely<Database>, idsite: number): Promise<boolean> {
  const existing = await db
    .selectFrom('goals')
    .select('idgoal')
    .where('idsite', '=', idsite)
    .executeTakeFirst();
  if (existing) return false;
  await db
    .insertInto('goals')
    .values(
      DEMO_GOALS.map((goal, index) => ({
        idsite,
        idgoal: index + 1,
        ...goal,
        case_sensitive: 0 as const,
        event_value_as_revenue: 0 as const,
        deleted: 0 as const,
      })),
    )
    .execute();
  return true;
}

/** A goal that an action converts. */
export interface GoalRule {
  idgoal: number;
  revenue: number;
  allowMultiple: boolean;
}

/** Which goals each action converts, by `log_action` id. */
export type GoalRules = ReadonlyMap<number, readonly GoalRule[]>;

interface StoredGoal {
  idgoal: number;
  match_attribute: GoalMatchAttribute;
  pattern: string;
  pattern_type: string;
  case_sensitive: number;
  allow_multiple: number;
  revenue: number;
}

/**
 * The site's active goals matched once against the demo's actions (page URLs and titles,
 * downloads, outlinks), as Matomo matches them when it tracks: `contains`, `exact` or `regex`,
 * case-insensitive unless the goal says otherwise. Other match attributes convert nothing here.
 */
export async function loadGoalRules(
  db: Kysely<Database>,
  idsite: number,
  baseUrl: string,
  actions: readonly (ActionName & { idaction: number })[],
): Promise<GoalRules> {
  const goals: StoredGoal[] = await db
    .selectFrom('goals')
    .select(['idgoal', 'match_attribute', 'pattern', 'pattern_type', 'case_sensitive', 'allow_multiple'])
    .select('revenue')
    .where('idsite', '=', idsite)
    .where('deleted', '=', 0)
    .orderBy('idgoal')
    .execute();
  const rules = new Map<number, GoalRule[]>();
  for (const action of actions) {
    for (const goal of goals) {
      const subject = subjectOf(goal.match_attribute, action, baseUrl);
      if (subject === undefined || !matches(goal, subject)) continue;
      const list = rules.get(action.idaction) ?? [];
      list.push({ idgoal: goal.idgoal, revenue: goal.revenue, allowMultiple: goal.allow_multiple === 1 });
      rules.set(action.idaction, list);
    }
  }
  return rules;
}

function subjectOf(attribute: GoalMatchAttribute, action: ActionName, baseUrl: string): string | undefined {
  if (attribute === 'url' && action.type === 'page') return `${baseUrl}${action.name}`;
  if (attribute === 'title' && action.type === 'page') return action.title;
  if (attribute === 'file' && action.type === 'download') return action.name;
  if (attribute === 'external_website' && action.type === 'outlink') return action.name;
  return undefined;
}

function matches(goal: StoredGoal, subject: string): boolean {
  const sensitive = goal.case_sensitive === 1;
  switch (goal.pattern_type) {
    case 'contains':
      return sensitive
        ? subject.includes(goal.pattern)
        : subject.toLowerCase().includes(goal.pattern.toLowerCase());
    case 'exact':
      return sensitive ? subject === goal.pattern : subject.toLowerCase() === goal.pattern.toLowerCase();
    case 'regex':
      try {
        return new RegExp(goal.pattern, sensitive ? '' : 'i').test(subject);
      } catch {
        return false;
      }
    default:
      return false;
  }
}

const CONVERTING_TYPES = new Set<ActionToWrite['action_type']>(['action', 'download', 'outlink']);

/**
 * The conversions of a visit, from its actions alone: each matching action converts its goals,
 * a goal that does not allow several conversions only at its first match (Matomo's buster
 * numbers a goal's conversions within the visit).
 */
export function conversionsOf(actions: readonly ActionToWrite[], rules: GoalRules): ConversionToWrite[] {
  if (rules.size === 0) return [];
  const conversions: ConversionToWrite[] = [];
  let counts: Map<number, number> | undefined;
  for (const action of actions) {
    if (!CONVERTING_TYPES.has(action.action_type)) continue;
    const goals = rules.get(action.idaction_url);
    if (!goals) continue;
    counts ??= new Map();
    for (const goal of goals) {
      const buster = counts.get(goal.idgoal) ?? 0;
      if (buster > 0 && !goal.allowMultiple) continue;
      counts.set(goal.idgoal, buster + 1);
      conversions.push({
        idgoal: goal.idgoal,
        buster,
        server_time: action.server_time,
        idaction_url: action.idaction_url,
        revenue: goal.revenue,
      });
    }
  }
  return conversions;
}
