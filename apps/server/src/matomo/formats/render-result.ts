import type { Params } from '../../http/params';
import { renderCsvText } from './csv';
import { returnsDataTable } from './data-table-methods';
import { readMatomoResult } from './matomo-result';
import type { ResponseFormat } from './response-format';
import { renderXml } from './xml';

export interface RenderedResponse {
  contentType: string;
  body: string | Buffer;
  headers: Record<string, string>;
}

/** Whether the request named several sites: then Matomo keys the result by `idSite` first. */
function namesSeveralSites(params: Params): boolean {
  const idSite = params.getAll('idSite').join(',').replace(/\s/g, '');
  return idSite === 'all' || idSite.includes(',');
}

/** PHP's `rawurlencode`: everything but letters, digits and `-_.~`. */
function rawUrlEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Excel reads UTF-16LE with a byte order mark; Matomo sends that unless `convertToUnicode=0`. */
function wantsUnicode(params: Params): boolean {
  const value = params.get('convertToUnicode');
  return value === undefined || !/^-?[0-9]+$/.test(value) || Number(value) !== 0;
}

function renderSpreadsheet(
  result: unknown,
  separator: string,
  { method, params }: { method: string; params: Params },
): RenderedResponse {
  const contentType = 'application/vnd.ms-excel';
  const read = readMatomoResult(result, {
    dataTable: returnsDataTable(method),
    multiSite: namesSeveralSites(params),
  });
  const text = renderCsvText(read, { separator });
  if (read.kind === 'success') {
    return {
      contentType,
      body: text,
      headers: { 'Content-Disposition': 'attachment; filename=piwik-report-export.csv' },
    };
  }
  if (text === '') return { contentType, body: 'No data available', headers: {} };
  // Matomo names the file "Export _ <report name> _ <period, localized>.csv"; this server keeps
  // the "Export" stem without the report's name and the localized period.
  const fileName = params.has('period') || params.has('date') ? 'Export.csv' : 'Export';
  const body = wantsUnicode(params)
    ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    : text;
  return {
    contentType,
    body,
    headers: { 'Content-Disposition': `attachment; filename*=UTF-8''${rawUrlEncode(fileName)}` },
  };
}

/**
 * A method's result in the requested format, with Matomo's content type and, for exports,
 * `Content-Disposition`. JSON is the method's result as it is.
 */
export function renderResult(
  format: ResponseFormat,
  result: unknown,
  request: { method: string; params: Params },
): RenderedResponse {
  switch (format) {
    case 'json':
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(result), headers: {} };
    case 'xml': {
      const read = readMatomoResult(result, {
        dataTable: returnsDataTable(request.method),
        multiSite: namesSeveralSites(request.params),
      });
      return { contentType: 'text/xml; charset=utf-8', body: renderXml(read), headers: {} };
    }
    case 'csv':
      return renderSpreadsheet(result, ',', request);
    case 'tsv':
      return renderSpreadsheet(result, '\t', request);
  }
}
