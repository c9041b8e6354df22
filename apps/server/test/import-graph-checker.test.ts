// Tests the import-graph checker (./support/import-graph.ts) on small planted source trees: each test writes a
// fresh tree under the OS temp directory and asserts the checker reports exactly what was planted (and nothing on
// a clean tree), so a bug in the checker fails here rather than silently passing the real-tree test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  checkLayeredImports,
  checkNoImportCycles,
  readImportGraph,
  relativeSpecifiers,
} from './support/import-graph';

const LAYERS = ['low', 'mid', 'high'] as const;
const LAYER_LIST_NAME = 'FIXTURE_LAYERS';

const scratchDirs: string[] = [];
afterEach(() => {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (paths relative to the scratch dir, e.g. `src/low/a.ts`) and returns the scratch dir. */
function plant(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
  scratchDirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Plants `files` and runs the layered check over `<dir>/src`, with `<dir>/test` as the test directory. */
function check(files: Record<string, string>): string[] {
  const dir = plant(files);
  return checkLayeredImports(join(dir, 'src'), {
    layers: LAYERS,
    testDir: join(dir, 'test'),
    layerListName: LAYER_LIST_NAME,
  });
}

describe('relativeSpecifiers', () => {
  test('reads every import form from the syntax tree', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "import './side-effect';",
      "import * as c from '../c';",
      "export { d } from './d';",
      "export type { E } from './e';",
      "export * from './f';",
      "export * as g from './g';",
      "import h = require('./h');",
      'export async function load() {',
      "  if (h) return (await import('./i')).value;",
      '}',
      "export type J = typeof import('./j');",
      "export type K = import('./k').K;",
      "const lazy = () => import('.');",
      "export { local } from '..';",
    ].join('\n');
    expect(relativeSpecifiers(source)).toEqual([
      './a',
      './b',
      './side-effect',
      '../c',
      './d',
      './e',
      './f',
      './g',
      './h',
      './i',
      './j',
      './k',
      '.',
      '..',
    ]);
  });

  test('ignores comments, strings, package imports and non-literal dynamic imports', () => {
    const source = [
      "// import { a } from './commented';",
      "/* export * from './block-comment'; */",
      '/** @type {import("./jsdoc")} */',
      'const text = "import { b } from \'./in-a-string\'";',
      "const template = `export * as c from './in-a-template'`;",
      "import { z } from 'zod';",
      "import { readFileSync } from 'node:fs';",
      "export * from '@scope/pkg/sub';",
      'const name = `./x`;',
      "const viaVariable = (path: string) => import(path + '');",
      "const viaConcat = () => import('./y' + name);",
      'export const all = [text, template, z, readFileSync, name, viaVariable, viaConcat];',
    ].join('\n');
    expect(relativeSpecifiers(source)).toEqual([]);
  });
});

describe('checkLayeredImports on planted trees', () => {
  test('a clean tree reports nothing (no false positives)', () => {
    const files = {
      // The composition root may import any folder, even the highest.
      'src/app.ts': "import { high } from './high';\nexport const app = high;\n",
      // A barrel: `./high` resolves to high/index.ts.
      'src/high/index.ts': "export * from './h';\nexport * as mid from '../mid/m';\n",
      'src/high/h.ts': "import { low } from '../low/l';\nexport const high = low;\n",
      'src/mid/m.ts': [
        "// import { high } from '../high/h';",
        "/* import { app } from '../app'; */",
        'const note = "import { high } from \'../high/h\'";',
        "const template = `export * from '../nowhere'`;",
        "import { z } from 'zod';",
        "import { readFileSync } from 'node:fs';",
        "import type { low } from '../low/l';",
        'export const m: typeof low = 1;',
        'export const unused = [note, template, z, readFileSync];',
      ].join('\n'),
      'src/low/l.ts': 'export const low = 1;\n',
      // A test file inside src may import from the test directory (and from its own folder).
      'src/low/l.test.ts':
        "import { helper } from '../../test/support/helper';\nimport { low } from './l';\n",
      'test/support/helper.ts': 'export const helper = 1;\n',
    };
    const dir = plant(files);
    const root = join(dir, 'src');
    // The tree is clean, but not because nothing was read: the expected edges are all there.
    expect(Object.fromEntries(readImportGraph(root).imports)).toEqual({
      'app.ts': ['high/index.ts'],
      'high/h.ts': ['low/l.ts'],
      'high/index.ts': ['high/h.ts', 'mid/m.ts'],
      'low/l.test.ts': ['low/l.ts'],
      'low/l.ts': [],
      'mid/m.ts': ['low/l.ts'],
    });
    expect(checkLayeredImports(root, { layers: LAYERS, testDir: join(dir, 'test') })).toEqual([]);
  });

  test('a type-only upward import', () => {
    expect(
      check({
        'src/low/a.ts': "import type { B } from '../mid/b';\nexport type A = B;\n",
        'src/mid/b.ts': 'export type B = number;\n',
      }),
    ).toEqual(['low/a.ts imports mid/b.ts: low may not import mid (higher layer)']);
  });

  test('a folder-level cycle with no file-level cycle', () => {
    expect(
      check({
        'src/low/a.ts': "export { b } from '../mid/b';\n",
        'src/low/d.ts': 'export const d = 1;\n',
        'src/mid/b.ts': 'export const b = 1;\n',
        'src/mid/c.ts': "import { d } from '../low/d';\nexport const c = d;\n",
      }),
    ).toEqual([
      'low/a.ts imports mid/b.ts: low may not import mid (higher layer)',
      'folder cycle: low -> mid -> low (low/a.ts imports mid/b.ts; mid/c.ts imports low/d.ts)',
    ]);
  });

  test('a file-level cycle through `export * as ns from`', () => {
    expect(
      check({
        'src/low/a.ts': "export * as b from './b';\nexport const a = 1;\n",
        'src/low/b.ts': "import { a } from './a';\nexport const b = a;\n",
      }),
    ).toEqual(['import cycle: low/a.ts -> low/b.ts -> low/a.ts']);
  });

  test('file-level cycles through a dynamic import and through `typeof import(…)`', () => {
    expect(
      check({
        'src/low/a.ts': "export async function loadB() {\n  return (await import('./b')).b;\n}\n",
        'src/low/b.ts': "import { loadB } from './a';\nexport const b = loadB;\n",
        'src/mid/c.ts': "export type D = typeof import('./d');\n",
        'src/mid/d.ts': "import type { D } from './c';\nexport const d: D | undefined = undefined;\n",
      }),
    ).toEqual([
      'import cycle: low/a.ts -> low/b.ts -> low/a.ts',
      'import cycle: mid/c.ts -> mid/d.ts -> mid/c.ts',
    ]);
  });

  test('a folder importing the composition root', () => {
    expect(
      check({
        'src/app.ts': "import { b } from './low/b';\nexport const app = b;\n",
        'src/low/a.ts': "import { app } from '../app';\nexport const a = app;\n",
        'src/low/b.ts': 'export const b = 1;\n',
      }),
    ).toEqual(['low/a.ts imports app.ts: low may not import the composition root (files directly in src)']);
  });

  test('a folder missing from the layer list', () => {
    expect(
      check({
        'src/low/a.ts': 'export const a = 1;\n',
        'src/extra/e.ts': "import { a } from '../low/a';\nexport const e = a;\n",
      }),
    ).toEqual([
      `src/extra is not in the layer list: add it to ${LAYER_LIST_NAME}, above every folder it imports and below ` +
        'every folder that imports it',
    ]);
  });

  test('an import that resolves to nothing', () => {
    expect(
      check({
        'src/low/a.ts': "import './missing';\nexport const a = 1;\n",
      }),
    ).toEqual([
      "low/a.ts imports './missing': resolves to no file (tried low/missing.ts, low/missing/index.ts)",
    ]);
  });

  test('a non-test file importing test code, and an import leaving src', () => {
    expect(
      check({
        'src/low/a.ts': "import { helper } from '../../test/support/helper';\nexport const a = helper;\n",
        'src/low/b.ts': "import { other } from '../../elsewhere/other';\nexport const b = other;\n",
        // The same import from a test file is allowed.
        'src/low/a.test.ts':
          "import { helper } from '../../test/support/helper';\nexport const t = helper;\n",
        'test/support/helper.ts': 'export const helper = 1;\n',
        'elsewhere/other.ts': 'export const other = 1;\n',
      }),
    ).toEqual([
      'low/a.ts imports ../test/support/helper.ts: only *.test.ts files may import test code from outside src',
      'low/b.ts imports ../elsewhere/other.ts: imports must stay inside src',
    ]);
  });
});

describe('checkNoImportCycles on planted trees', () => {
  test('reports a cycle, skipping excluded directories', () => {
    const dir = plant({
      'src/a.ts': "export * as b from './b';\n",
      'src/b.ts': "export type A = typeof import('./a');\n",
      'src/c.ts': "import './a';\n",
      'src/generated/x.ts': "import './y';\n",
      'src/generated/y.ts': "import './x';\n",
    });
    expect(checkNoImportCycles(join(dir, 'src'), { exclude: ['generated'] })).toEqual([
      'import cycle: a.ts -> b.ts -> a.ts',
    ]);
  });

  test('a clean tree reports nothing', () => {
    const dir = plant({
      'src/index.ts': "export * from './a';\nexport * as b from './b';\n",
      'src/a.ts': "import { b } from './b';\n// import './index';\nexport const a = b;\n",
      'src/b.ts': 'export const b = \'import("./a")\';\n',
    });
    expect(checkNoImportCycles(join(dir, 'src'))).toEqual([]);
  });
});
