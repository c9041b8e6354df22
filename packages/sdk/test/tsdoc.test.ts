// House style: every public export has a TSDoc comment with a short example.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = [
  'index.ts',
  'broadcast-lock.ts',
  'client-credentials.ts',
  'openid.ts',
  'openapi.ts',
  'pkce.ts',
  'results.ts',
].map((file) => join(root, 'src', file));

test('every export of every entry has TSDoc with an @example', () => {
  const program = ts.createProgram(entries, { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  let count = 0;
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`cannot read ${entry}`);
    for (const exported of checker.getExportsOfModule(module)) {
      count++;
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      let docs = ts.displayPartsToString(symbol.getDocumentationComment(checker));
      let example = symbol.getJsDocTags(checker).some((tag) => tag.name === 'example');
      // Re-exported generated types are documented on the `export … from` statement instead.
      const statement = exported.declarations?.[0]?.parent?.parent;
      if (statement && ts.isExportDeclaration(statement)) {
        const jsDoc = ts.getJSDocCommentsAndTags(statement);
        docs ||= jsDoc.map((node) => node.getText()).join('');
        example ||=
          ts.getAllJSDocTags(statement, (tag): tag is ts.JSDocTag => tag.tagName.text === 'example').length >
          0;
      }
      if (!docs || !example) missing.push(`${exported.name} (${entry.split('/').at(-1)})`);
    }
  }
  expect(count).toBeGreaterThan(40);
  expect(missing).toEqual([]);
});
