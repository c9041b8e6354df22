// The README's configuration table is the options table: one source, no drift.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readmeConfiguration, readmePath } from '../scripts/readme-configuration';
import { configurationTable } from '../src/config/help';
import { options } from '../src/config/options';

describe('the README', () => {
  test('lists every setting exactly as the options table has it (run `pnpm --filter @matomo-oauth2/server docs`)', () => {
    const table = readmeConfiguration(readFileSync(readmePath, 'utf8'));
    expect(table).toBe(configurationTable());
    for (const option of Object.values(options)) expect(table).toContain(`| \`${option.env}\` |`);
  });
});
