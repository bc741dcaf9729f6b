/**
 * The font of the council PDF: Noto Sans (regular and bold, SIL Open Font License), as shipped by the KERN
 * design system (@kern-ux/native, a runtime dependency). Embedded as a subset, so every character of German,
 * Sorbian, Danish or Frisian place names prints (the standard Helvetica of PDF viewers only knows WinAnsi) and
 * the text extracts through its ToUnicode map.
 *
 * KERN ships WOFF, which fontkit reads only slowly (about 2 s more per document: it decompresses tables again
 * and again); so the files are unpacked once per process into plain TrueType data. WOFF 1.0 is a table directory
 * and zlib-compressed tables (W3C WOFF File Format 1.0, §4–5): a few lines with node:zlib.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { KERN_DIR } from '../../platform/paths.js';

const FONT_DIR = path.join(KERN_DIR, 'fonts', 'noto-sans');

/** The TrueType (sfnt) data of a WOFF 1.0 file, without the tables named in `drop`. Throws on anything else. */
export function woffToSfnt(woff: Buffer, drop: readonly string[] = []): Buffer {
  if (woff.length < 44 || woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 file');
  const flavor = woff.readUInt32BE(4);
  const all = woff.readUInt16BE(12);
  const entries: number[] = [];
  for (let i = 0; i < all; i++) {
    if (!drop.includes(woff.toString('latin1', 44 + i * 20, 48 + i * 20))) entries.push(44 + i * 20);
  }
  const numTables = entries.length;
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numTables) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  for (let i = 0; i < numTables; i++) {
    const entry = entries[i]!;
    const tag = woff.readUInt32BE(entry);
    const at = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const checksum = woff.readUInt32BE(entry + 16);
    const raw = woff.subarray(at, at + compLength);
    const data = compLength < origLength ? zlib.inflateSync(raw) : raw;
    if (data.length !== origLength) throw new Error(`WOFF table ${i}: ${data.length} bytes, expected ${origLength}`);
    const record = 12 + i * 16;
    header.writeUInt32BE(tag, record);
    header.writeUInt32BE(checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(origLength, record + 12);
    const pad = (4 - (data.length % 4)) % 4;
    parts.push(data);
    if (pad) parts.push(Buffer.alloc(pad));
    offset += data.length + pad;
  }
  return Buffer.concat(parts);
}

/**
 * Tables left out: OpenType substitution and positioning (ligatures, kerning, mark placement). Shaping every
 * word through them costs about half of the document's time; without them fontkit maps characters to glyphs
 * one by one. Umlauts and the Sorbian, Danish and Frisian letters are precomposed glyphs, so they print the
 * same; what is lost is kerning (slightly looser text) and ligatures (which also keeps "fi" extractable).
 */
const DROP = ['GSUB', 'GPOS', 'GDEF'];
let cached: { regular: Buffer; bold: Buffer } | null = null;

/** Noto Sans regular and bold as TrueType data (read and unpacked once per process). */
export function documentFonts(): { regular: Buffer; bold: Buffer } {
  cached ??= {
    regular: woffToSfnt(fs.readFileSync(path.join(FONT_DIR, 'NotoSans-Regular.woff')), DROP),
    bold: woffToSfnt(fs.readFileSync(path.join(FONT_DIR, 'NotoSans-Bold.woff')), DROP),
  };
  return cached;
}

/** Characters Noto Sans lacks that occur in the content, with a printable stand-in. */
const FALLBACK: Record<string, string> = { '→': '->', '←': '<-', '≥': '>=', '≤': '<=', '≠': '!=', '✓': 'x' };

/**
 * `text` with every character the font has no glyph for replaced (by a stand-in, else "?"): a missing glyph
 * would print as an empty box and extract as the wrong character.
 */
export function printable(text: string, hasGlyph: (codePoint: number) => boolean): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 && ch !== '\n') out += ' ';
    else if (ch === '\n' || hasGlyph(cp)) out += ch;
    else out += FALLBACK[ch] ?? '?';
  }
  return out;
}
