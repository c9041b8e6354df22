// Regression: a misspelt parameter was reported as "Type 'number' is not assignable to type 'never'"
// on every parameter of the call (the unknown name's `never` reduced the whole object to `never`).
// What a developer reads is the compiler's message, so this compiles calls and reads it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const snippet = join(root, 'src', '__type-errors-snippet.ts');

function messagesOf(code: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language) =>
    file === snippet ? ts.createSourceFile(file, code, language) : read(file, language);
  const program = ts.createProgram([snippet], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(snippet))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const prelude = `import type { MatomoClient } from './matomo-client';
declare const matomo: MatomoClient;
`;

test('a misspelt optional parameter is named, once, in the error', () => {
  const messages = messagesOf(
    `${prelude}void matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today', segmnt: 'x' });`,
  );
  expect(messages).toEqual([
    `Type '"x"' is not assignable to type '"'segmnt' is not a parameter of VisitsSummary.get"'.`,
  ]);
});

test("idSit beside the other parameters: named, not 'never'", () => {
  const messages = messagesOf(
    `${prelude}void matomo.call('Live.getLastVisitsDetails', { idSite: 1, idSit: 2, filter_limit: 10 });`,
  );
  expect(messages.join('\n')).toContain(`'idSit' is not a parameter of Live.getLastVisitsDetails`);
  expect(messages.join('\n')).not.toContain("'never'");
});

test('a misspelt required parameter still gets TypeScript\'s "Did you mean"', () => {
  const messages = messagesOf(
    `${prelude}void matomo.call('VisitsSummary.get', { idSit: 1, period: 'day', date: 'today' });`,
  );
  expect(messages.join('\n')).toContain("Did you mean to write 'idSite'?");
});

test('correct calls compile', () => {
  expect(
    messagesOf(
      `${prelude}void matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'last7' });`,
    ),
  ).toEqual([]);
});
