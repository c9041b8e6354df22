import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const specPath = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { $ref?: string; name?: string; in?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, MediaType> }>;
  'x-matomo-method'?: string;
  'x-matomo-route'?: string;
  'x-matomo-access'?: string;
  /** The token's scope needed where it is above the access level. */
  'x-matomo-scope'?: string;
}
interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, unknown>;
}
export interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: {
    responses: Record<string, { content?: Record<string, MediaType> }>;
    securitySchemes: Record<string, { flows?: Record<string, { scopes: Record<string, string> }> }>;
    schemas: Record<string, unknown>;
  };
}

/** The contract, parsed. */
export function loadSpec(): Spec {
  return parse(readFileSync(specPath, 'utf8')) as Spec;
}

const verbs = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Every operation with its path and HTTP method. */
export function operations(spec: Spec): { path: string; verb: string; op: Operation }[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([verb]) => verbs.has(verb))
      .map(([verb, op]) => ({ path, verb, op })),
  );
}

/** The Matomo API methods (one virtual path each). */
export function matomoMethods(spec: Spec): string[] {
  return Object.keys(spec.paths)
    .filter((path) => path.startsWith('/api/'))
    .map((path) => path.slice('/api/'.length));
}
