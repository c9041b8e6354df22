/**
 * The `fetch` the SDK calls: always with one `Request`. `globalThis.fetch` fits, and so does any
 * test double or instrumented wrapper (e.g. one that counts token endpoint calls).
 *
 * @example
 * ```ts
 * const calls: string[] = [];
 * const countingFetch: FetchLike = (request) => { calls.push(request.url); return fetch(request); };
 * ```
 */
export type FetchLike = (request: Request) => Promise<Response>;

/** The given fetch, or the global one looked up at call time (never called as a method). */
export const fetchOf =
  (custom?: FetchLike): FetchLike =>
  (request) =>
    (custom ?? fetch)(request);

/** The JSON body, or `undefined` when there is none or it does not parse. */
export const readJson = async (response: Response): Promise<unknown> => {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
};

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
