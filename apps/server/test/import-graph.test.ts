// The server's import graph: every relative import resolves, no file-level or folder-level cycles, and each
// folder imports only from its own layer and the layers below it (the order is SERVER_LAYERS in
// ./support/import-graph.ts). Also: no import cycles in the SDK. The checker itself is tested on planted trees in
// ./import-graph-checker.test.ts.
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { checkLayeredImports, checkNoImportCycles } from './support/import-graph';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

test('apps/server/src: imports resolve, follow the layer order and form no cycles', () => {
  // The layer order defaults to SERVER_LAYERS.
  const violations = checkLayeredImports(here('../src'), { testDir: here('.') });
  expect(violations).toEqual([]);
});

test('packages/sdk/src: no import cycles', () => {
  const violations = checkNoImportCycles(here('../../../packages/sdk/src'), { exclude: ['generated'] });
  expect(violations).toEqual([]);
});
