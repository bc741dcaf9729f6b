/**
 * Damaged copies of GV100AD files, built byte by byte from the handwritten fixtures (or the real files):
 * for the tests of invalid bytes and control characters, which a text-level edit cannot produce.
 */
import fs from 'node:fs';

export const GV100AD_FIXTURES = new URL('../fixtures/gv100ad/', import.meta.url);

/** The bytes of a fixture in test/fixtures/gv100ad/. */
export function fixtureBytes(name: string): Buffer {
  return fs.readFileSync(new URL(name, GV100AD_FIXTURES));
}

/** Byte offset of the start of 1-based line `lineNo` (lines end in LF or CRLF). */
function lineStart(buf: Uint8Array, lineNo: number): number {
  let offset = 0;
  for (let line = 1; line < lineNo; line++) {
    const lf = buf.indexOf(0x0a, offset);
    if (lf < 0) throw new Error(`the file has fewer than ${lineNo} lines`);
    offset = lf + 1;
  }
  return offset;
}

/**
 * A copy of `buf` where, on line `lineNo`, the first occurrence of the bytes `from` is replaced by `to`
 * (strings are taken as UTF-8; use a byte array for anything else).
 */
export function patchLine(buf: Uint8Array, lineNo: number, from: string | number[], to: string | number[]): Buffer {
  const src = Buffer.from(buf);
  const bytesOf = (v: string | number[]) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v));
  const start = lineStart(src, lineNo);
  const lf = src.indexOf(0x0a, start);
  const end = lf < 0 ? src.length : lf;
  const at = src.subarray(start, end).indexOf(bytesOf(from));
  if (at < 0) throw new Error(`line ${lineNo} does not contain ${JSON.stringify(from)}`);
  return Buffer.concat([src.subarray(0, start + at), bytesOf(to), src.subarray(start + at + bytesOf(from).length)]);
}

/**
 * A copy of `buf` with the byte at 1-based position `position` of line `lineNo` replaced. Bytes count as
 * characters: use it where the line has one byte per character up to there (ASCII, or ISO-8859-1).
 */
export function setByte(buf: Uint8Array, lineNo: number, position: number, byte: number): Buffer {
  const out = Buffer.from(buf);
  out[lineStart(out, lineNo) + position - 1] = byte;
  return out;
}
