import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  UnknownRow,
  WithNode,
} from 'kysely';
import type { Clock } from '../config/clock';

/**
 * How long an answer about a token may be reused, at most: a change made by another instance (or
 * the CLI) takes effect within this bound; a change made through this process, at once.
 */
export const TOKEN_STATE_TTL_MS = 1000;
/** The most tokens remembered: the oldest entry makes room for a new one. */
export const TOKEN_STATE_MAX_ENTRIES = 10_000;

/** What the Bearer check reads: a change to any of these may end a token, or change its caller. */
const STATE_TABLES = new Set([
  'clients',
  'grants',
  'revoked_tokens',
  'signing_keys',
  'users',
  'site_access',
  'sites',
]);

export interface TokenStateCacheOptions {
  /** The application's clock, which the token's `exp` is read against (as the JWT check does). */
  clock: Clock;
  /** Real time for the reuse bound, which a test clock must not stretch. */
  monotonic?: () => number;
  ttlMs?: number;
  maxEntries?: number;
}

/**
 * A short-lived memory of what the Bearer check found for a token (one entry per token string,
 * so never shared between users), to spare the signature check and the database on the API's
 * hot path. Refusals are never remembered.
 *
 * Bound: an entry is reused for at most `ttlMs` of real time, and never past the token's `exp`.
 * Every write this process makes to a table the check reads (through `plugin`, installed on the
 * database handle every service writes through) empties it, before and after the statement, and
 * an answer read while such a write was under way is not kept: a revocation, a paused, deleted or
 * narrowed client, a revoked key, a deleted user or changed site access take effect at once on
 * this instance, and within `ttlMs` on the others. (One exception stays within the bound: an
 * answer read between a transaction's last statement and its commit.)
 */
export interface TokenStateCache<T> {
  /** The remembered answer for this exact token, if still fresh. */
  get(token: string): T | undefined;
  /** A mark to take before reading a token's state, for `set`. */
  mark(): number;
  /** Remembers an answer read since `mark`, unless a write may have changed it meanwhile. */
  set(token: string, value: T, options: { mark: number; exp: number }): void;
  clear(): void;
  readonly size: number;
  /** Empties the cache on every write to a table the Bearer check reads. */
  readonly plugin: KyselyPlugin;
}

interface Entry<T> {
  value: T;
  /** Real time (monotonic) after which it is stale. */
  staleAt: number;
  /** The token's `exp`, in milliseconds on the application's clock. */
  expMs: number;
}

export function createTokenStateCache<T>({
  clock,
  monotonic = () => performance.now(),
  ttlMs = TOKEN_STATE_TTL_MS,
  maxEntries = TOKEN_STATE_MAX_ENTRIES,
}: TokenStateCacheOptions): TokenStateCache<T> {
  const entries = new Map<string, Entry<T>>();
  // Bumped by every write that may change a token's state: an answer read across a bump is stale.
  let generation = 0;
  const writes = new WeakSet<QueryId>();
  const invalidate = () => {
    // Stryker disable next-line UpdateOperator: any change makes older marks stale; its direction is not observable
    generation++;
    entries.clear();
  };

  return {
    get(token) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      // As the JWT check: a token is good while the clock is before its exp.
      if (monotonic() >= entry.staleAt || clock() >= entry.expMs) {
        entries.delete(token);
        return undefined;
      }
      return entry.value;
    },
    mark: () => generation,
    set(token, value, { mark, exp }) {
      if (mark !== generation) return;
      entries.delete(token);
      if (entries.size >= maxEntries) {
        // Insertion order: the first key is the oldest.
        const oldest = entries.keys().next().value;
        // Stryker disable next-line ConditionalExpression: a full map has a first key; the check narrows the type
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(token, { value, staleAt: monotonic() + ttlMs, expMs: exp * 1000 });
    },
    clear: invalidate,
    get size() {
      return entries.size;
    },
    plugin: {
      transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
        if (changesState(node)) {
          writes.add(queryId);
          invalidate();
        }
        return node;
      },
      async transformResult({
        result,
        queryId,
      }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        // Again once done, so an answer read while the write ran is not kept.
        if (writes.delete(queryId)) invalidate();
        return result;
      },
    },
  };
}

/** Whether a statement may change a token's state: a write to one of the tables read (raw SQL: any write). */
function changesState(node: RootOperationNode): boolean {
  // A data-modifying WITH (PostgreSQL) writes, whatever the statement itself is: a select too.
  const ctes = (node as { with?: WithNode }).with?.expressions ?? [];
  if (ctes.some((cte) => changesState(cte.expression as RootOperationNode))) return true;
  switch (node.kind) {
    case 'InsertQueryNode':
      return touches(node.into);
    case 'UpdateQueryNode':
      return touches(node.table) || (node.from?.froms.some(touches) ?? false);
    case 'DeleteQueryNode':
      return node.from.froms.some(touches);
    case 'RawNode':
      // Stryker disable next-line StringLiteral: a separator shows only where a value was interpolated, never inside the first keyword
      return !/^\s*select\b/i.test(node.sqlFragments.join(''));
    case 'SelectQueryNode':
      return false;
    default:
      // Schema changes, merges and anything else: assume the worst.
      return true;
  }
}

function touches(node: OperationNode | undefined): boolean {
  // None given (Kysely builds such a node only inside a MERGE, itself a write): as one we cannot name.
  if (!node) return true;
  if (node.kind === 'AliasNode') return touches((node as { node: OperationNode } & OperationNode).node);
  if (node.kind === 'TableNode') {
    const table = (node as { table: { identifier: { name: string } } } & OperationNode).table;
    return STATE_TABLES.has(table.identifier.name);
  }
  // A table we cannot name: assume it is one.
  return true;
}
