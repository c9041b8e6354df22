import type { ResponseFormat } from './response-format';
import { formatValueXml, renderXmlError } from './xml';

/**
 * An error in Matomo's layout for `format` (plugins/API/Renderer/*.php). Matomo escapes every
 * error message as XML whatever the format (`ResponseBuilder::formatExceptionMessage`), and JSON
 * puts it on one line.
 */
export function renderError(
  format: ResponseFormat | 'console',
  message: string,
): { contentType: string; body: string } {
  const escaped = formatValueXml(message);
  switch (format) {
    case 'json':
      return {
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({ result: 'error', message: escaped.replace(/\r?\n/g, ' ') }),
      };
    case 'xml':
      return { contentType: 'text/xml; charset=utf-8', body: renderXmlError(escaped) };
    case 'csv':
    case 'tsv':
      return { contentType: 'text/html; charset=utf-8', body: `Error: ${escaped}` };
    case 'console':
      return { contentType: 'text/plain; charset=utf-8', body: `Error: ${escaped}` };
  }
}
