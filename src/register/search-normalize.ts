import { spellOutUmlauts } from '../platform/text.js';

/**
 * Normalisation of place names for search, so that "München", "Munchen", "MUENCHEN" and
 * "muenchen" meet. Two forms are stored and queried:
 *  - fold:     lower case, diacritics dropped ("münchen" → "munchen", "Chóśebuz" → "chosebuz")
 *  - translit: lower case, German umlauts spelled out ("münchen" → "muenchen"), then folded
 * Punctuation becomes a space, so "Halle (Saale)" → "halle saale".
 */
function clean(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function fold(s: string): string {
  return clean(s.toLowerCase().replace(/ß/g, 'ss'));
}

export function translit(s: string): string {
  return clean(spellOutUmlauts(s.toLowerCase()));
}

/** The name without its designation suffix: "Neustadt a.d.Aisch, Stadt" → "Neustadt a.d.Aisch". */
export function baseName(name: string): string {
  const i = name.indexOf(',');
  return (i >= 0 ? name.slice(0, i) : name).trim();
}

export interface SearchForms {
  nameFold: string;
  nameTranslit: string;
  baseFold: string;
  baseTranslit: string;
}

export function searchForms(name: string): SearchForms {
  const base = baseName(name);
  return { nameFold: fold(name), nameTranslit: translit(name), baseFold: fold(base), baseTranslit: translit(base) };
}
