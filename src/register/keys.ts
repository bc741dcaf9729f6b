import { type Text, text } from '../platform/i18n/i18n.js';
import { KEY_LENGTH, type Level } from './region.js';

/**
 * Parsing and validation of official regional keys.
 *
 * AGS (Amtlicher Gemeindeschlüssel), 8 digits: Land (2) + Regierungsbezirk (1) + Kreis (2) + Gemeinde (3).
 * ARS (Amtlicher Regionalschlüssel), 12 digits: Land (2) + RB (1) + Kreis (2) + Gemeindeverband (4) + Gemeinde (3).
 * Shorter keys name the upper levels: Land 2, Regierungsbezirk 3, Region (BW) 4, Kreis 5, Gemeindeverband 9.
 */
export type ParsedKey =
  | { ok: true; kind: 'key'; key: string; level: Level }
  | { ok: true; kind: 'ars'; ars: string; ags: string }
  | { ok: false; reason: Text };

const LEVEL_BY_LENGTH = new Map<number, Level>(Object.entries(KEY_LENGTH).map(([level, len]) => [len, level as Level]));

/** Land codes 01–16 as used in AGS/ARS. */
export function isStateCode(code: string): boolean {
  const n = Number(code);
  return /^\d{2}$/.test(code) && n >= 1 && n <= 16;
}

export function parseRegionKey(input: string): ParsedKey {
  const key = input.trim();
  if (!/^\d+$/.test(key)) return { ok: false, reason: text('register.key.digitsOnly') };
  if (!isStateCode(key.slice(0, 2))) {
    return { ok: false, reason: text('register.key.noState', { state: key.slice(0, 2) }) };
  }
  if (key.length === 12) return { ok: true, kind: 'ars', ars: key, ags: arsToAgs(key) };
  const level = LEVEL_BY_LENGTH.get(key.length);
  if (!level) {
    return { ok: false, reason: text('register.key.length', { length: key.length }) };
  }
  return { ok: true, kind: 'key', key, level };
}

/** AGS of a Gemeinde from its 12-digit ARS: Kreis part + Gemeinde part, without the Verband. */
export function arsToAgs(ars: string): string {
  if (!/^\d{12}$/.test(ars)) throw new Error(`"${ars}" is not a 12-digit ARS`);
  return ars.slice(0, 5) + ars.slice(9, 12);
}

/** 12-digit ARS of a Gemeinde from its AGS and the 4-digit Verband code. */
export function agsToArs(ags: string, verband: string): string {
  if (!/^\d{8}$/.test(ags)) throw new Error(`"${ags}" is not an 8-digit AGS`);
  if (!/^\d{4}$/.test(verband)) throw new Error(`"${verband}" is not a 4-digit Verband code`);
  return ags.slice(0, 5) + verband + ags.slice(5, 8);
}

export function levelOfKey(key: string): Level | null {
  return LEVEL_BY_LENGTH.get(key.length) ?? null;
}

/** The Land (2 digits) and, below Kreis level, the Kreis (5 digits) a key belongs to. */
export function stateOf(key: string): string {
  return key.slice(0, 2);
}
export function kreisOf(key: string): string | null {
  return key.length >= 5 ? key.slice(0, 5) : null;
}
