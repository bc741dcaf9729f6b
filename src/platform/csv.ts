/**
 * CSV for exports (RFC 4180). One CSV cell: quoted when it holds a comma, quote or line break (quotes
 * doubled), and safe against formula injection: a cell starting with = + - @ (or tab / carriage return) gets
 * a leading single quote, so spreadsheets show it as text instead of running it.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record with its CRLF line end. */
export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
