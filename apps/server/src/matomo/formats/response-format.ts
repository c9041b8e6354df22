import { MatomoApiError } from '../../errors/matomo-api-error';
import type { Params } from '../../http/params';

/** The formats this server renders, by Matomo's names. */
export const responseFormats = ['csv', 'json', 'tsv', 'xml'] as const;
export type ResponseFormat = (typeof responseFormats)[number];

/**
 * The format when `format` is absent: Matomo's, `xml` (`API\Request::process` reads
 * `getRequestVar('format', 'xml', …)` before anything else, so an unknown method or a refused
 * token is answered in XML too). Callers that want JSON send `format=json`, as the SDK does.
 */
export const defaultFormat: ResponseFormat = 'xml';

function isResponseFormat(name: string): name is ResponseFormat {
  return (responseFormats as readonly string[]).includes(name);
}

/** `format`, any letter case, as Matomo reads it; an unknown one is Matomo's error. */
export function readResponseFormat(params: Params): ResponseFormat {
  const name = params.get('format')?.toLowerCase() ?? defaultFormat;
  if (isResponseFormat(name)) return name;
  throw new MatomoApiError(
    `Renderer format '${name.slice(0, 100)}' not valid. Try any of the following instead: ${responseFormats.join(', ')}.`,
  );
}

/**
 * The format an error is answered in: the requested one, or, when the format itself is unknown,
 * Matomo's plain-text console format (the response builder could not be made).
 */
export function errorFormatOf(params: Params): ResponseFormat | 'console' {
  const name = params.get('format')?.toLowerCase() ?? defaultFormat;
  return isResponseFormat(name) ? name : 'console';
}
