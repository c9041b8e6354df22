import type { Params } from '../http/params';

/**
 * A Matomo list parameter: `name[]=a&name[]=b`, `name=a&name=b`, or one string split on
 * `separator`. Values are trimmed; empty ones dropped. Undefined when the parameter is absent.
 */
export function listParam(params: Params, name: string, separator: RegExp): string[] | undefined {
  const values = [...params.getAll(name), ...params.getAll(`${name}[]`)];
  if (values.length === 0) return undefined;
  return values
    .flatMap((value) => (values.length === 1 ? value.split(separator) : [value]))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}
