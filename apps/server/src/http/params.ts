/**
 * Request parameters exactly as sent: repeated names are kept (never merged or nested), so
 * that callers can refuse a repeated OAuth parameter (RFC 6749 §3.1) or read a Matomo list
 * (`urls[]=a&urls[]=b`). An empty value counts as absent (RFC 6749 §3.1).
 */
export class Params {
  readonly #values: Map<string, string[]>;

  constructor(entries: Iterable<[string, string]> = []) {
    this.#values = new Map();
    for (const [name, value] of entries) {
      const list = this.#values.get(name);
      if (list) list.push(value);
      else this.#values.set(name, [value]);
    }
  }

  /** Parses `application/x-www-form-urlencoded` text (a query string or a form body). */
  static parse(text: string): Params {
    return new Params(new URLSearchParams(text));
  }

  /** The one value of `name`; undefined when absent or empty. Use `isRepeated` first where it matters. */
  get(name: string): string | undefined {
    const value = this.#values.get(name)?.[0];
    return value === '' ? undefined : value;
  }

  /** Every non-empty value of `name`, in order. */
  getAll(name: string): string[] {
    return (this.#values.get(name) ?? []).filter((value) => value !== '');
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** True when `name` was sent at all, even empty. */
  sent(name: string): boolean {
    return this.#values.has(name);
  }

  /** True when `name` was sent more than once. */
  isRepeated(name: string): boolean {
    return (this.#values.get(name)?.length ?? 0) > 1;
  }

  names(): string[] {
    return [...this.#values.keys()];
  }

  /** These parameters, with `other`'s added after them. */
  merge(other: Params): Params {
    const entries: [string, string][] = [];
    for (const source of [this, other]) {
      for (const [name, values] of source.#values) {
        for (const value of values) entries.push([name, value]);
      }
    }
    return new Params(entries);
  }
}
