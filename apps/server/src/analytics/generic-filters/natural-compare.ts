/**
 * PHP's `strnatcasecmp`, the order Matomo sorts text columns in (`SORT_NATURAL | SORT_FLAG_CASE`):
 * runs of digits compare as numbers (`page2` before `page10`), letters without regard to case
 * (folded to upper case, as PHP does, so `_` sorts after letters), whitespace runs are skipped.
 */
export function naturalCompare(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return Math.sign(a.length - b.length);
  let i = 0;
  let j = 0;
  let leading = true;
  while (true) {
    if (leading) {
      i = skipLeadingZeros(a, i);
      j = skipLeadingZeros(b, j);
      leading = false;
    }
    i = skipSpaces(a, i);
    j = skipSpaces(b, j);
    if (isDigit(a, i) && isDigit(b, j)) {
      const fractional = a[i] === '0' || b[j] === '0';
      const [result, nextI, nextJ] = fractional ? compareLeft(a, i, b, j) : compareRight(a, i, b, j);
      if (result !== 0) return result;
      i = nextI;
      j = nextJ;
      if (i >= a.length && j >= b.length) return 0;
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
    }
    const ca = upper(codeAt(a, i));
    const cb = upper(codeAt(b, j));
    if (ca !== cb) return ca < cb ? -1 : 1;
    i++;
    j++;
    if (i >= a.length && j >= b.length) return 0;
    if (i >= a.length) return -1;
    if (j >= b.length) return 1;
  }
}

function isDigit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}

function skipLeadingZeros(text: string, index: number): number {
  let at = index;
  while (text[at] === '0' && isDigit(text, at + 1)) at++;
  return at;
}

function skipSpaces(text: string, index: number): number {
  let at = index;
  while (at < text.length && /[ \t\n\r\v\f]/.test(text.charAt(at))) at++;
  return at;
}

/** The character code, or 0 past the end (C's terminating NUL). */
function codeAt(text: string, index: number): number {
  return index < text.length ? text.charCodeAt(index) : 0;
}

function upper(code: number): number {
  return code >= 97 && code <= 122 ? code - 32 : code;
}

/** Whole numbers: the longer run is larger; at equal length the first difference decides. */
function compareRight(a: string, i: number, b: string, j: number): [number, number, number] {
  let bias = 0;
  let x = i;
  let y = j;
  while (true) {
    const da = isDigit(a, x);
    const db = isDigit(b, y);
    if (!da && !db) return [bias, x, y];
    if (!da) return [-1, x, y];
    if (!db) return [1, x, y];
    if (bias === 0) bias = Math.sign(a.charCodeAt(x) - b.charCodeAt(y));
    x++;
    y++;
  }
}

/** Runs with a leading zero compare digit by digit, as fractions do. */
function compareLeft(a: string, i: number, b: string, j: number): [number, number, number] {
  let x = i;
  let y = j;
  while (true) {
    const da = isDigit(a, x);
    const db = isDigit(b, y);
    if (!da && !db) return [0, x, y];
    if (!da) return [-1, x, y];
    if (!db) return [1, x, y];
    const difference = Math.sign(a.charCodeAt(x) - b.charCodeAt(y));
    if (difference !== 0) return [difference, x, y];
    x++;
    y++;
  }
}
