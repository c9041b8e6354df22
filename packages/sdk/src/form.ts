/**
 * Serializes Matomo API parameters as a form, PHP style: arrays as `name[]=a&name[]=b`, booleans as
 * `1`/`0`; `undefined` and `null` are left out.
 *
 * @example
 * ```ts
 * toForm({ idSite: 1, grantTypes: ['a', 'b'], flat: true }).toString();
 * // 'idSite=1&grantTypes%5B%5D=a&grantTypes%5B%5D=b&flat=1'
 * ```
 */
export function toForm(params: object | undefined, form = new URLSearchParams()): URLSearchParams {
  for (const [name, value] of Object.entries(params ?? {})) {
    for (const item of [value].flat()) {
      if (item !== undefined && item !== null) {
        form.append(
          Array.isArray(value) ? `${name}[]` : name,
          item === true ? '1' : item === false ? '0' : String(item),
        );
      }
    }
  }
  return form;
}

/**
 * `application/x-www-form-urlencoded` encoding of one value (spaces as `+`), as RFC 6749 §2.3.1 asks
 * for the client id and secret before they are joined for HTTP Basic.
 *
 * @example
 * ```ts
 * formEncode('p@ss w+rd%'); // 'p%40ss+w%2Brd%25'
 * ```
 */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
