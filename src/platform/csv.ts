/**
 * CSV for exports (RFC 4180). One CSV cell: quoted when it holds a comma, quote or line break (quotes
 * doubled), and safe against formula injection: a cell starting with = + - @ (or tab / carriage return) gets
 * a leading single quote, so spreadsheets show it as text instead of running it. `separator` (default comma)
 * is quoted too, for the semicolon CSV of German spreadsheet programs.
 *
 * Numbers are not formulas and stay as they are: finite JavaScript numbers (and bigints), and strings that are
 * a plain decimal number (`-3`, `-12.5`). `-2+3`, `-1e3` as a string, or `-Infinity` keep the quote.
 */
export function csvCell(value: unknown, separator = ','): string {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !isNumber(value, s)) s = `'${s}`;
  const needsQuotes = /["\r\n]/.test(s) || s.includes(',') || s.includes(separator);
  return needsQuotes ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A plain decimal number: optional minus, digits, optional fraction. */
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

function isNumber(value: unknown, text: string): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'bigint') return true;
  return typeof value === 'string' && PLAIN_DECIMAL.test(text);
}

/** One CSV record with its CRLF line end. */
export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map((cell) => csvCell(cell)).join(',')}\r\n`;
}
