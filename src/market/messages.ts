import { defineMessages } from '../platform/i18n/i18n.js';
import { conformanceDe, conformanceEn } from './conformance-messages.js';

/** Texts of the market module, German first (the parity test checks both languages). */
const de = {
  ...conformanceDe,
};

const en: Record<keyof typeof de, string> = {
  ...conformanceEn,
};

export const messages = defineMessages('market', de, en);
