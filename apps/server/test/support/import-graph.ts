// Reads a source tree's relative imports by walking the syntax tree the TypeScript parser builds (so comments,
// strings and `import type` are handled as the compiler handles them) and checks the graph they form. The root directory is
// always a parameter, so the checks can be pointed at a scratch tree to prove they catch what they claim to.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The server's folders (the first path segment under `src`), lowest layer first. A file may import from its own
 * folder and from folders earlier in this list, never later ones. Files directly in `src` (app.ts, services.ts,
 * main.ts, …) are the composition root: they may import any folder, and no file in a folder may import them.
 * A new folder must be placed here before it can hold code. (The list lives here rather than in the test file
 * because biome forbids exports from test files.)
 */
export const SERVER_LAYERS = [
  'protocol', // protocol vocabulary (scopes, grant types, Matomo date formatting, limits); imports nothing of ours
  'errors', // the HttpError family
  'logging', // the pino logger
  'config', // configuration, settings, clock, paths
  'crypto', // hashing, random tokens, key encryption, passwords
  'db', // the Kysely database, dialect, tables, migrations
  'http', // Koa plumbing: params, form bodies, the request log, request state
  'rate-limit', // rate limiting
  'pages', // HTML templates
  'audit', // the audit log
  'users', // users
  'sites', // sites
  'tokens', // token storage: grants, refresh tokens, codes, revocations, signing keys, the JWT codec
  'observability', // health endpoints, Prometheus metrics and their listener
  'clients', // OAuth clients and their management
  'sessions', // sign-in sessions and the sign-in page
  'accounts', // user management: the service the admin pages and the CLI share
  'oauth', // the OAuth endpoints and grants
  'analytics', // the reports engine
  'matomo', // the Matomo API: methods, Bearer authentication, access checks
  'admin', // the operator's pages under /admin/
  'account', // every user's page of connected applications, /account
  'demo-dashboard', // demo mode: the built demo dashboard (apps/demo) at /demo/
  'seed', // the first super user and the demo data
  'cli', // the operator's commands (other than serve)
] as const;

/** A relative import that does not land on a collected file under the root. */
export interface OutsideImport {
  /** The importing file, relative to the root. */
  from: string;
  specifier: string;
  /** The absolute path of the file it resolves to, or undefined when it resolves to no file at all. */
  resolved: string | undefined;
  /** The paths tried, relative to the root (for the "resolves to nothing" message). */
  tried: string[];
}

export interface ImportGraph {
  root: string;
  /** Every collected `.ts` file, relative to the root with `/` separators, sorted. */
  files: string[];
  /** For each collected file, the collected files it imports or re-exports from (sorted, no duplicates). */
  imports: Map<string, string[]>;
  outside: OutsideImport[];
}

/** Every `.ts` file under `root`, relative to it, skipping the directories in `exclude` (relative to root). */
export function collectTsFiles(root: string, exclude: readonly string[] = []): string[] {
  const skipped = new Set(exclude.map((dir) => resolve(root, dir)));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipped.has(path)) walk(path);
      } else if (entry.isFile() && entry.name.endsWith('.ts')) {
        files.push(toPosix(relative(root, path)));
      }
    }
  };
  walk(root);
  return files.sort();
}

/**
 * The relative specifiers a file imports or re-exports from, in source order: `import … from` (type-only or not)
 * and side-effect `import '…'`, `export … from` (`export *`, `export * as ns`, `export type`), `import x =
 * require('…')`, dynamic `import('…')` calls anywhere, and `import('…')` types (`typeof import('…')`). Only
 * string-literal specifiers count; package imports are left out.
 */
export function relativeSpecifiers(sourceText: string, fileName = 'source.ts'): string[] {
  const sourceFile = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const add = (node: ts.Node | undefined): void => {
    if (node !== undefined && ts.isStringLiteralLike(node) && isRelative(node.text))
      specifiers.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return specifiers;
}

/** Resolves `./x` to `x.ts` or `x/index.ts` (or to itself when it names a `.ts` file). */
export function resolveSpecifier(
  fromFile: string,
  specifier: string,
): { resolved: string | undefined; tried: string[] } {
  const base = resolve(dirname(fromFile), specifier);
  const tried = [...(base.endsWith('.ts') ? [base] : []), `${base}.ts`, join(base, 'index.ts')];
  return { resolved: tried.find(isFile), tried };
}

export function readImportGraph(root: string, options: { exclude?: readonly string[] } = {}): ImportGraph {
  const files = collectTsFiles(root, options.exclude);
  const collected = new Set(files);
  const imports = new Map<string, string[]>();
  const outside: OutsideImport[] = [];
  for (const file of files) {
    const absolute = join(root, file);
    const targets = new Set<string>();
    for (const specifier of relativeSpecifiers(readFileSync(absolute, 'utf8'), absolute)) {
      const { resolved, tried } = resolveSpecifier(absolute, specifier);
      const target = resolved === undefined ? undefined : toPosix(relative(root, resolved));
      if (target !== undefined && collected.has(target)) {
        targets.add(target);
      } else {
        outside.push({
          from: file,
          specifier,
          resolved,
          tried: tried.map((path) => toPosix(relative(root, path))),
        });
      }
    }
    imports.set(file, [...targets].sort());
  }
  return { root, files, imports, outside };
}

/**
 * Cycles in a directed graph, each as its node list with the first node repeated at the end. Listing every
 * cycle can explode, so this reports, for each edge that lies on a cycle, the shortest cycle through it (once,
 * however many edges share it): every edge that takes part in a cycle shows up in the report. Deterministic.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  for (const component of stronglyConnectedComponents(graph)) {
    const inComponent = new Set(component);
    const covered = new Set<string>();
    for (const from of component) {
      for (const to of graph.get(from) ?? []) {
        if (!inComponent.has(to) || covered.has(edgeKey(from, to))) continue;
        const path = shortestPath(graph, inComponent, to, from);
        if (path === undefined) continue;
        const cycle = [from, ...path];
        for (let i = 0; i + 1 < cycle.length; i++) {
          covered.add(edgeKey(cycle[i] as string, cycle[i + 1] as string));
        }
        const canonical = rotateToSmallest(cycle);
        cycles.set(canonical.join(' -> '), canonical);
      }
    }
  }
  return [...cycles.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, cycle]) => cycle);
}

export interface LayerRules {
  /** Folder names (first path segment under the root), lowest layer first. Defaults to SERVER_LAYERS. */
  layers?: readonly string[];
  /** Absolute directory outside the root that `*.test.ts` files, and only they, may import from. */
  testDir: string;
  /**
   * Where the layer list lives, named in the message for a folder that is missing from it. Defaults to where
   * SERVER_LAYERS lives when `layers` is left to default too.
   */
  layerListName?: string;
}

/**
 * Every violation of the layering in `root`, as readable messages: folders missing from the layer list, imports
 * that resolve to nothing or leave the root, imports of the composition root (files directly in `root`) from a
 * folder, upward imports between folders, folder-level cycles and file-level cycles.
 */
export function checkLayeredImports(root: string, rules: LayerRules): string[] {
  const { layers = SERVER_LAYERS, testDir } = rules;
  const layerListName =
    rules.layerListName ??
    (rules.layers === undefined
      ? 'SERVER_LAYERS in apps/server/test/support/import-graph.ts'
      : 'the layer list given to checkLayeredImports');
  const graph = readImportGraph(root);
  const rank = new Map(layers.map((layer, index) => [layer, index]));
  const violations: string[] = [];

  for (const folder of topLevelFolders(root)) {
    if (!rank.has(folder)) {
      violations.push(
        `src/${folder} is not in the layer list: add it to ${layerListName}, above every folder it imports ` +
          'and below every folder that imports it',
      );
    }
  }

  for (const { from, specifier, resolved, tried } of graph.outside) {
    if (resolved === undefined) {
      violations.push(`${from} imports '${specifier}': resolves to no file (tried ${tried.join(', ')})`);
    } else if (!isInside(testDir, resolved)) {
      violations.push(`${from} imports ${displayPath(root, resolved)}: imports must stay inside src`);
    } else if (!isTestFile(from)) {
      violations.push(
        `${from} imports ${displayPath(root, resolved)}: only *.test.ts files may import test code from outside src`,
      );
    }
  }

  const folderEdges = new Map<string, Map<string, string>>();
  for (const [from, targets] of graph.imports) {
    const fromFolder = folderOf(from);
    if (fromFolder === undefined) continue; // the composition root may import anything
    for (const to of targets) {
      const toFolder = folderOf(to);
      if (toFolder === undefined) {
        violations.push(
          `${from} imports ${to}: ${fromFolder} may not import the composition root (files directly in src)`,
        );
        continue;
      }
      if (toFolder === fromFolder) continue;
      const example = folderEdges.get(fromFolder) ?? new Map<string, string>();
      if (!example.has(toFolder)) example.set(toFolder, `${from} imports ${to}`);
      folderEdges.set(fromFolder, example);
      const fromRank = rank.get(fromFolder);
      const toRank = rank.get(toFolder);
      if (fromRank !== undefined && toRank !== undefined && toRank > fromRank) {
        violations.push(`${from} imports ${to}: ${fromFolder} may not import ${toFolder} (higher layer)`);
      }
    }
  }

  const folderGraph = new Map([...folderEdges].map(([from, targets]) => [from, [...targets.keys()].sort()]));
  for (const cycle of findCycles(folderGraph)) {
    const witnesses = cycle.slice(0, -1).map((from, i) => folderEdges.get(from)?.get(cycle[i + 1] as string));
    violations.push(`folder cycle: ${cycle.join(' -> ')} (${witnesses.join('; ')})`);
  }
  for (const cycle of findCycles(graph.imports)) violations.push(`import cycle: ${cycle.join(' -> ')}`);
  return violations;
}

/** File-level cycles only, for trees without layers (the SDK). */
export function checkNoImportCycles(root: string, options: { exclude?: readonly string[] } = {}): string[] {
  return findCycles(readImportGraph(root, options).imports).map(
    (cycle) => `import cycle: ${cycle.join(' -> ')}`,
  );
}

function stronglyConnectedComponents(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm; a component counts only if it holds a cycle (two or more nodes, or a self-import).
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** Breadth-first path from `start` to `goal` through `allowed` nodes, both ends included. */
function shortestPath(
  graph: ReadonlyMap<string, readonly string[]>,
  allowed: ReadonlySet<string>,
  start: string,
  goal: string,
): string[] | undefined {
  const previous = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    if (node === goal) {
      const path: string[] = [];
      for (let at: string | undefined = node; at !== undefined; at = previous.get(at)) path.unshift(at);
      return path;
    }
    for (const next of graph.get(node) ?? []) {
      if (allowed.has(next) && !previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** `[b, c, a, b]` becomes `[a, b, c, a]`, so the same cycle found from different edges is reported once. */
function rotateToSmallest(cycle: readonly string[]): string[] {
  const nodes = cycle.slice(0, -1);
  const smallest = nodes.reduce((best, node, i) => (node < (nodes[best] as string) ? i : best), 0);
  const rotated = [...nodes.slice(smallest), ...nodes.slice(0, smallest)];
  return [...rotated, rotated[0] as string];
}

function topLevelFolders(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The first path segment, or undefined for a file directly in the root. */
function folderOf(file: string): string | undefined {
  const slash = file.indexOf('/');
  return slash === -1 ? undefined : file.slice(0, slash);
}

function isTestFile(file: string): boolean {
  return file.endsWith('.test.ts');
}

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isInside(dir: string, path: string): boolean {
  const fromDir = relative(dir, path);
  return fromDir !== '' && fromDir !== '..' && !fromDir.startsWith(`..${sep}`) && !isAbsolute(fromDir);
}

function displayPath(root: string, path: string): string {
  return toPosix(relative(root, path));
}

function edgeKey(from: string, to: string): string {
  return `${from}\0${to}`;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
