// The SDK uses only fetch, WebCrypto, URL(SearchParams), TextEncoder, timers and, behind feature
// checks, browser globals. Type-checking the entries against the web platform of workers and edge
// runtimes (no window-only DOM types, no Node types) enforces that, and keeps the sources compiling
// for consumers whose tsconfig has no DOM library (a Node project importing the workspace sources).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

test('the entries type-check with lib ES2022 + WebWorker (+ iterable) and no ambient types', () => {
  const program = ts.createProgram(
    [
      'index.ts',
      'broadcast-lock.ts',
      'client-credentials.ts',
      'openid.ts',
      'openapi.ts',
      'pkce.ts',
      'results.ts',
    ].map((file) => join(root, 'src', file)),
    {
      lib: ['lib.es2022.d.ts', 'lib.webworker.d.ts', 'lib.webworker.iterable.d.ts'],
      types: [],
      strict: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      noEmit: true,
    },
  );
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file?.fileName.replace(root, '') ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
  expect(diagnostics).toEqual([]);
});
