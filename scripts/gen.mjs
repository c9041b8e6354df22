#!/usr/bin/env node
// Generates the TypeScript types of openapi.yaml into the SDK (one committed file).
// `--check` regenerates in memory and fails when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const spec = join(root, 'openapi.yaml');
const target = join(root, 'packages/sdk/src/generated/openapi.ts');

const header = `/**
 * Generated from openapi.yaml by \`pnpm gen\` (openapi-typescript). Do not edit:
 * change openapi.yaml and run \`pnpm gen\`; \`pnpm gen:check\` fails when this file is stale.
 */

`;

async function generate() {
  const ast = await openapiTS(new URL(`file://${spec}`), {
    // Matomo answers with extra fields in places; the spec lists what clients may rely on.
    additionalProperties: false,
    // Parameters that are not marked required stay optional; nothing is widened to `any`.
    defaultNonNullable: true,
    exportType: false,
    // minItems/maxItems become tuples: an empty period is `[]`, not `unknown[]`.
    arrayLength: true,
  });
  return header + astToString(ast);
}

const output = await generate();
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== output) {
    console.error(`${relative(root, target)} is stale: run \`pnpm gen\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${relative(root, target)} is up to date.`);
} else {
  await writeFile(target, output);
  console.log(`wrote ${relative(root, target)}`);
}
