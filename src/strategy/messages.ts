import { defineMessages } from '../platform/i18n/i18n.js';
import { lagebildStrategyDe, lagebildStrategyEn } from './lagebild-messages.js';

/** Texts of the strategy module, German first (the parity test checks both languages). */
const de = {
  ...lagebildStrategyDe,
  'apidoc.getMeasures.summary': 'Der Maßnahmenkatalog',
  'apidoc.getMeasures.description':
    'Alle Maßnahmen, die eine Kommune umsetzen kann, mit Beschreibung, Dimensionen und Sektoren des Reifegradmodells, den Fragen, die sie voranbringen, Voraussetzungen, Aufwand, Kosten, Dauer, passenden Größen und Arten, Standards, Förderprogrammen, Erfolgsindikatoren und Quellen. Mit version eine ältere Fassung.',
  'apidoc.getMeasures.param.version': 'Fassung des Katalogs, z. B. 1 (ohne Angabe: die aktuelle)',
  'measures.err.version': 'Diese Fassung des Maßnahmenkatalogs gibt es nicht. Vorhanden: {versions}.',
};

const en: Record<keyof typeof de, string> = {
  ...lagebildStrategyEn,
  'apidoc.getMeasures.summary': 'The measures catalogue',
  'apidoc.getMeasures.description':
    'Every measure a municipality can carry out, with its description, the dimensions and sectors of the maturity model, the questions it raises, prerequisites, effort, cost, duration, the sizes and types it suits, standards, funding programmes, success indicators and sources. With version an older edition.',
  'apidoc.getMeasures.param.version': 'Edition of the catalogue, e.g. 1 (default: the current one)',
  'measures.err.version': 'This edition of the measures catalogue does not exist. Available: {versions}.',
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('strategy', de, en);
