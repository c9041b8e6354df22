import { isNumeric, phpString } from './php-values';

// A spreadsheet reads a cell starting with one of these as a formula.
const formulaStarts = new Set(['=', '+', '-', '@']);

/** Matomo's `removeFirstPercentSign`: leading NULs (also URL-encoded) and the first `%` go. */
function withoutFirstPercentSign(text: string): string {
  let value = text.replace(/^\0+/, '');
  while (value.startsWith('%00')) value = value.slice(3).replace(/^\0+/, '');
  const percent = value.indexOf('%');
  return percent === -1 ? value : value.slice(0, percent) + value.slice(percent + 1);
}

/**
 * Matomo's guard against formula injection (`Csv::formatFormulas`): a text that a spreadsheet
 * would run as a formula gets a leading `'`; numbers (`-5`, `-5%`) stay as they are.
 */
function neutralizeFormula(value: string): string {
  const stripped = withoutFirstPercentSign(value);
  if (stripped === '' || stripped === '0' || isNumeric(stripped)) return value;
  return formulaStarts.has(stripped.charAt(0)) ? `'${value}` : value;
}

/**
 * One CSV or TSV cell as Matomo writes it (`Csv::formatValue`): formulas neutralized, tabs as
 * spaces, and quoted (with `"` doubled) when it holds a quote, the separator, a comma or a
 * semicolon. Matomo leaves line breaks unquoted, which splits the row; this server quotes them
 * too, so that a cell stays one cell.
 */
export function formatCsvValue(value: unknown, separator: string): string {
  if (value === false) return '0';
  if (typeof value !== 'string') return phpString(value);
  if (isNumeric(value)) return value.replace(/,/g, '.');
  const text = neutralizeFormula(value).replace(/\t/g, ' ');
  const quote = /["\n\r,;]/.test(text) || text.includes(separator);
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}
