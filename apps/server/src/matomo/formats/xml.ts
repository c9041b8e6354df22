import type { MatomoResult } from './matomo-result';
import {
  entriesOf,
  firstValue,
  isAssociative,
  isNumeric,
  isPhpArray,
  isPhpEmpty,
  type PhpArray,
  phpString,
} from './php-values';

// Matomo's XML layout (core/DataTable/Renderer/Xml.php): tabs, `<row>` per table row, a record's
// columns straight under `<result>`, `<results>` with `<result idSite|date="…">` per table of a
// map, `<row key="…">` and `<col name="…">` where a name is not a valid tag.

const declaration = '<?xml version="1.0" encoding="utf-8" ?>\n';

/**
 * A value as Matomo writes it in XML (`Renderer::formatValueXml`): a non-numeric string with
 * `&`, `<`, `>` and `"` escaped, `false` as 0. Matomo first decodes HTML entities because it
 * stores tracked text HTML-escaped; this server stores text as sent, so it only escapes.
 */
export function formatValueXml(value: unknown): string {
  if (typeof value === 'string' && !isNumeric(value)) {
    return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  return value === false ? '0' : phpString(value);
}

// Matomo's rule, plus whitespace (a name with a space would not be a tag either).
const invalidTagChars = `!"#$%&'()*+,/;<=>?@[\\]^\`{|}~\\s`;
const validTag = new RegExp(`^[^${invalidTagChars}\\-.0-9][^${invalidTagChars}]*$`);

function isValidTagName(name: string): boolean {
  return validTag.test(name);
}

/** A one-column record reads as its value (`Renderer::convertDataTableToArray`). */
function flatten(result: MatomoResult): unknown {
  switch (result.kind) {
    case 'simple': {
      const values = Object.values(result.columns);
      return values.length === 1 ? values[0] : result.columns;
    }
    case 'table':
      return result.rows;
    case 'array':
      return result.value;
    default:
      return undefined;
  }
}

function tagsFor(name: string, invalidNames: boolean): [string, string] {
  return invalidNames ? [`col name="${formatValueXml(name)}"`, 'col'] : [name, name];
}

function hasInvalidNames(record: unknown): boolean {
  return isPhpArray(record) && entriesOf(record).some(([name]) => !isValidTagName(name));
}

/** A record's columns, one tag each (`renderDataTableSimple`). */
function renderColumns(columns: PhpArray, prefix: string): string {
  const invalid = hasInvalidNames(columns);
  let out = '';
  for (const [name, value] of entriesOf(columns)) {
    const [start, end] = tagsFor(name, invalid);
    if (isPhpArray(value)) {
      const inner = isPhpArray(firstValue(value))
        ? renderRows(value, `${prefix}\t`)
        : renderColumns(value, `${prefix}\t`);
      out += `${prefix}\t<${start}>\n${inner}${prefix}\t</${end}>\n`;
      continue;
    }
    const xml = formatValueXml(value);
    out += xml === '' ? `${prefix}\t<${start} />\n` : `${prefix}\t<${start}>${xml}</${end}>\n`;
  }
  return out;
}

/** A table's rows, `<row>` each, nested tables (subtables, goals, action details) inside (`renderDataTable`). */
function renderRows(rows: PhpArray, prefix: string): string {
  const invalid = hasInvalidNames(firstValue(rows));
  let out = '';
  for (const [rowId, row] of entriesOf(rows)) {
    if (!isPhpArray(row)) {
      const xml = formatValueXml(row);
      out += xml === '' ? `${prefix}\t\t<${rowId} />\n` : `${prefix}\t\t<${rowId}>${xml}</${rowId}>\n`;
      continue;
    }
    // Goals are keyed `idgoal=1`: the key becomes an attribute.
    const [attribute, attributeValue] = rowId.includes('=') ? rowId.split('=', 2) : [];
    out += `${prefix}\t<row${attribute === undefined ? '' : ` ${attribute}='${formatValueXml(attributeValue)}'`}>\n`;
    for (const [name, value] of entriesOf(row)) {
      let inner: string;
      if (isPhpArray(value)) {
        const nested = isPhpArray(firstValue(value))
          ? renderRows(value, `${prefix}\t\t`)
          : renderArray(value, `${prefix}\t\t`);
        inner = `\n${nested}${prefix}\t\t`;
      } else {
        inner = formatValueXml(value);
      }
      const [start, end] = tagsFor(name, invalid);
      out += inner === '' ? `${prefix}\t\t<${start} />\n` : `${prefix}\t\t<${start}>${inner}</${end}>\n`;
    }
    out += `\t${prefix}</row>\n`;
  }
  return out;
}

/** Whether a root array is one record, wrapped in `<row>` (`shouldWrapArrayBeforeRendering`). */
function isRecordArray(value: PhpArray, wrapSingleValues: boolean): boolean {
  const entries = entriesOf(value);
  if (entries.length === 0 || !isAssociative(value)) return false;
  if (!wrapSingleValues && entries.length === 1 && !isPhpArray(entries[0]?.[1])) return false;
  return entries.every(([, item]) => !isPhpArray(item));
}

/** A PHP array, as Matomo renders arrays that are not DataTables (`renderArray`). */
function renderArray(value: PhpArray, prefix: string): string {
  const associative = isAssociative(value);
  const wrapInRow = prefix === '\t' && isRecordArray(value, false);
  const lines = wrapInRow ? `${prefix}\t` : prefix;
  let out = wrapInRow ? `${prefix}<row>\n` : '';
  for (const [key, item] of entriesOf(value)) {
    let open = '<row>';
    let close = '</row>';
    let empty = '<row/>';
    if (associative && key.includes('=')) {
      const [attribute, attributeValue] = key.split('=', 2);
      open = `<row ${attribute}="${formatValueXml(attributeValue)}">`;
      empty = `<row ${attribute}="${formatValueXml(attributeValue)}" />`;
    } else if (associative && !isValidTagName(key)) {
      open = `<row key="${formatValueXml(key)}">`;
      empty = `<row key="${formatValueXml(key)}"/>`;
    } else if (associative) {
      open = `<${key}>`;
      close = `</${key}>`;
      empty = `<${key} />`;
    }
    if (isPhpArray(item)) {
      out += `${lines}${open}\n${renderArray(item, `${lines}\t`)}${lines}${close}\n`;
    } else {
      const xml = formatValueXml(item);
      out += xml === '' ? `${lines}${empty}\n` : `${lines}${open}${xml}${close}\n`;
    }
  }
  return wrapInRow ? `${out}${prefix}</row>\n` : out;
}

/** One table of a map: `<result date="…">` around it, or empty (`renderDataTableMap`). */
function renderMapEntry(
  keyName: string,
  key: string,
  table: MatomoResult,
  prefix: string,
  scalarMap: boolean,
): string {
  const open = `${prefix}\t<result ${keyName}="${formatValueXml(key)}"`;
  if (table.kind === 'map') {
    return `${open}>\n${renderMapBody(table, `${prefix}\t`)}${prefix}\t</result>\n`;
  }
  const value = flatten(table);
  // In a map of single values, a zero is an empty element too (PHP's `empty()`).
  if (scalarMap ? isPhpEmpty(value) : isPhpArray(value) && isPhpEmpty(value)) return `${open} />\n`;
  if (!isPhpArray(value)) return `${open}>${formatValueXml(value)}</result>\n`;
  if (table.kind === 'table' || isPhpArray(firstValue(value))) {
    return `${open}>\n${renderRows(value, `${prefix}\t`)}${prefix}\t</result>\n`;
  }
  return `${open}>\n${renderColumns(value, `${prefix}\t`)}${prefix}\t</result>\n`;
}

function renderMapBody(map: Extract<MatomoResult, { kind: 'map' }>, prefix: string): string {
  const first = map.tables[0]?.[1];
  const scalarMap = first !== undefined && first.kind !== 'map' && !isPhpArray(flatten(first));
  return map.tables
    .map(([key, table]) => renderMapEntry(map.keyName, key, table, prefix, scalarMap))
    .join('');
}

function renderBody(result: MatomoResult): string {
  switch (result.kind) {
    case 'success':
      return `<result>\n\t<success message="${formatValueXml(result.message)}" />\n</result>`;
    case 'map':
      return `<results>\n${renderMapBody(result, '')}</results>`;
    case 'table':
      return result.rows.length === 0 ? '<result />' : `<result>\n${renderRows(result.rows, '')}</result>`;
    case 'simple': {
      const value = flatten(result);
      if (isPhpArray(value)) {
        return isPhpEmpty(value) ? '<result />' : `<result>\n${renderColumns(value, '')}</result>`;
      }
      const xml = formatValueXml(value);
      return xml === '' ? '<result />' : `<result>${xml}</result>`;
    }
    case 'array': {
      if (isPhpEmpty(result.value)) return '<result />';
      const rows = isRecordArray(result.value, true) ? [result.value] : result.value;
      return `<result>\n${renderArray(rows, '\t')}</result>`;
    }
  }
}

/** A result in Matomo's XML. */
export function renderXml(result: MatomoResult): string {
  return declaration + renderBody(result);
}

/** An error in Matomo's XML (plugins/API/Renderer/Xml.php); `message` is already escaped. */
export function renderXmlError(message: string): string {
  return `${declaration}<result>\n\t<error message="${message}" />\n</result>`;
}
