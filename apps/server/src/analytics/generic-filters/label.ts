import type { Params } from '../../http/params';
import { type Row, subtableOf, type Table } from './table';

/** Separates the labels of a path down the subtables: `blog>2026>post-a`. */
export const LABEL_PATH_SEPARATOR = '>';

/**
 * The `label` parameter (`label=…`, or several as `label[]=…`). Matomo HTML-escapes request
 * values and turns `&gt;` back into `>` for this one; we never escape, so it arrives as sent.
 */
export function requestedLabels(params: Params): string[] {
  const list = params.getAll('label[]');
  if (list.length > 0) return list;
  const one = params.get('label');
  return one === undefined ? [] : [one];
}

/** Whether a label reaches into subtables, so that the report must load them. */
export function isLabelPath(label: string): boolean {
  return urlDecode(label).includes(LABEL_PATH_SEPARATOR);
}

/**
 * Matomo's LabelFilter: for each label, in order, the row it names (if any). A label is
 * trimmed, stripped of a leading `@` (Matomo's "terminal row" marker), URL-decoded, split on
 * `>`, and each part URL-decoded again, so that a part may itself contain an encoded `>`
 * (`%253E`). A path descends through the subtables of the rows it names.
 */
export function filterByLabels(table: Table, labels: readonly string[]): Table {
  const found: Table = [];
  for (const label of labels) {
    const row = findPath(table, labelPath(label));
    if (row) found.push(row);
  }
  return found;
}

function labelPath(label: string): string[] {
  let text = label.trim();
  if (text.startsWith('@')) text = text.slice(1);
  return urlDecode(text)
    .trim()
    .split(LABEL_PATH_SEPARATOR)
    .map((part) => urlDecode(part.trim()).trim());
}

function findPath(table: Table, path: readonly string[]): Row | undefined {
  const [part, ...rest] = path;
  if (part === undefined) return undefined;
  // As Matomo indexes rows by label, the last of several rows with one label wins.
  let row: Row | undefined;
  for (const candidate of table) if (String(candidate.label ?? '') === part) row = candidate;
  if (!row || rest.length === 0) return row;
  const subtable = subtableOf(row);
  return subtable ? findPath(subtable, rest) : undefined;
}

/** PHP's `urldecode`: `+` is a space, `%XX` a byte; malformed escapes stay as they are. */
export function urlDecode(text: string): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '+') bytes.push(32);
    else if (char === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = text.codePointAt(i) ?? 0;
      const encoded = encoder.encode(String.fromCodePoint(code));
      bytes.push(...encoded);
      if (code > 0xffff) i++;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
