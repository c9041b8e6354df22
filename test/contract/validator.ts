import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadSpec } from './spec';

/**
 * Validates values against the contract's schemas (OpenAPI 3.1 schemas are JSON Schema 2020-12).
 * `$ref`s resolve inside openapi.yaml.
 */
export function createValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('discriminator');
  ajv.addKeyword('example');
  ajv.addSchema({ ...(loadSpec() as object), $id: 'openapi.json' });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

  return {
    /** Problems of `value` against `#/components/<pointer>`; empty when it conforms. */
    check(pointer: string, value: unknown): string[] {
      let validate = compiled.get(pointer);
      if (!validate) {
        validate = ajv.compile({ $ref: `openapi.json#/components/${pointer}` });
        compiled.set(pointer, validate);
      }
      if (validate(value)) return [];
      return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
    },
  };
}
