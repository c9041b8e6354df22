import type { Kysely } from 'kysely';
import type { ActionKind } from '../db/analytics.schema';
import type { Database } from '../db/schema';
import { folderParent, folderPaths, pageFolder } from './page-path';

/** An entry of `log_action`: a page path (with its title), a download or outlink URL, or a search keyword. */
export interface ActionName {
  type: Exclude<ActionKind, 'folder'>;
  name: string;
  title?: string;
}

export function actionKey(type: ActionKind, name: string): string {
  return `${type} ${name}`;
}

/**
 * The ids of these actions, created when missing, with the folders above every page. Run it in
 * a transaction: two concurrent calls could otherwise both insert the same name.
 * Returns ids keyed by `actionKey(type, name)`, folders included.
 */
export async function ensureActions(
  db: Kysely<Database>,
  names: readonly ActionName[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const folders = new Set<string>();
  for (const { type, name } of names) {
    if (type === 'page') for (const folder of folderPaths(name)) folders.add(folder);
  }
  // Outer folders first, so that every parent exists before its children.
  const orderedFolders = [...folders].sort(
    (a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1),
  );
  for (const folder of orderedFolders) {
    const parent = folderParent(folder);
    await ensureOne(
      db,
      ids,
      'folder',
      folder,
      null,
      parent === undefined ? null : idOf(ids, 'folder', parent),
    );
  }
  for (const { type, name, title } of names) {
    const folder = type === 'page' ? pageFolder(name) : undefined;
    await ensureOne(
      db,
      ids,
      type,
      name,
      title ?? null,
      folder === undefined ? null : idOf(ids, 'folder', folder),
    );
  }
  return ids;
}

async function ensureOne(
  db: Kysely<Database>,
  ids: Map<string, number>,
  type: ActionKind,
  name: string,
  title: string | null,
  parent: number | null,
): Promise<void> {
  const key = actionKey(type, name);
  if (ids.has(key)) return;
  const existing = await db
    .selectFrom('log_action')
    .select('idaction')
    .where('type', '=', type)
    .where('name', '=', name)
    .executeTakeFirst();
  if (existing) {
    ids.set(key, existing.idaction);
    return;
  }
  const inserted = await db
    .insertInto('log_action')
    .values({ type, name, title, parent_idaction: parent })
    .returning('idaction')
    .executeTakeFirstOrThrow();
  ids.set(key, inserted.idaction);
}

function idOf(ids: Map<string, number>, type: ActionKind, name: string): number {
  const id = ids.get(actionKey(type, name));
  if (id === undefined) throw new Error(`log_action ${type} ${name} was not created first`);
  return id;
}
