import type { Db } from '../db/database';
import { folderLabel, pageLabel } from './page-path';
import { emptyPageMetrics, type PageMetrics } from './page-url-metrics';

/** A page or folder of `log_action`. */
export interface TreeAction {
  idaction: number;
  type: 'page' | 'folder';
  /** Path: `/blog/post`, or `/blog/` for a folder. */
  name: string;
  parent: number | null;
}

/** A row of the page URL tree of one site and period, before rendering. */
export interface TreeNode {
  action: TreeAction;
  label: string;
  metrics: PageMetrics;
  /** Folders only. */
  children: TreeNode[];
}

/** Loads the pages and, through their parents, every folder above them. */
export async function loadTreeActions(db: Db, pageIds: Iterable<number>): Promise<Map<number, TreeAction>> {
  const actions = new Map<number, TreeAction>();
  let wanted = [...new Set(pageIds)];
  while (wanted.length > 0) {
    const next = new Set<number>();
    for (let start = 0; start < wanted.length; start += 5000) {
      const rows = await db
        .selectFrom('log_action')
        .select(['idaction', 'type', 'name', 'parent_idaction'])
        .where('idaction', 'in', wanted.slice(start, start + 5000))
        .execute();
      for (const row of rows) {
        if (row.type !== 'page' && row.type !== 'folder') continue;
        actions.set(row.idaction, {
          idaction: row.idaction,
          type: row.type,
          name: row.name,
          parent: row.parent_idaction,
        });
        if (row.parent_idaction !== null && !actions.has(row.parent_idaction)) next.add(row.parent_idaction);
      }
    }
    wanted = [...next].filter((id) => !actions.has(id));
  }
  return actions;
}

/** The top-level rows of one site and period; a folder's metrics are the sums of its children's. */
export function buildTree(
  pages: ReadonlyMap<number, PageMetrics>,
  actions: ReadonlyMap<number, TreeAction>,
): TreeNode[] {
  const roots: TreeNode[] = [];
  const folders = new Map<number, TreeNode>();
  const attach = (node: TreeNode): void => {
    const parentId = node.action.parent;
    const parentAction = parentId === null ? undefined : actions.get(parentId);
    if (!parentAction) {
      roots.push(node);
      return;
    }
    let parent = folders.get(parentAction.idaction);
    if (!parent) {
      parent = {
        action: parentAction,
        label: folderLabel(parentAction.name),
        metrics: emptyPageMetrics(),
        children: [],
      };
      folders.set(parentAction.idaction, parent);
      attach(parent);
    }
    parent.children.push(node);
  };
  for (const [idaction, metrics] of pages) {
    const action = actions.get(idaction);
    if (action?.type !== 'page') continue;
    attach({ action, label: pageLabel(action.name), metrics, children: [] });
  }
  for (const root of roots) sumFolders(root);
  return roots;
}

/** Finds the folder with this id in a tree. */
export function findFolder(nodes: readonly TreeNode[], idaction: number): TreeNode | undefined {
  for (const node of nodes) {
    if (node.action.type !== 'folder') continue;
    if (node.action.idaction === idaction) return node;
    const found = findFolder(node.children, idaction);
    if (found) return found;
  }
  return undefined;
}

function sumFolders(node: TreeNode): PageMetrics {
  if (node.action.type === 'page') return node.metrics;
  for (const child of node.children) {
    const metrics = sumFolders(child);
    for (const key of Object.keys(metrics) as (keyof PageMetrics)[]) node.metrics[key] += metrics[key];
  }
  return node.metrics;
}
