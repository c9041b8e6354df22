// The contract's `Segment` description names every segment the server supports, and no other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { SEGMENT_DIMENSIONS } from './segment-dimensions';

const spec = readFileSync(join(import.meta.dirname, '..', '..', '..', '..', '..', 'openapi.yaml'), 'utf8');

test('openapi.yaml lists every supported segment name, and only those', () => {
  const from = spec.indexOf('    Segment:\n');
  const description = spec.slice(spec.indexOf('Supported names:', from), spec.indexOf('Another name', from));
  const documented = [...description.matchAll(/`([A-Za-z]+)`/g)].map((match) => match[1]).sort();
  expect(documented).toEqual(Object.keys(SEGMENT_DIMENSIONS).sort());
});
