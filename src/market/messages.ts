import { defineMessages } from '../platform/i18n/i18n.js';
import { standardsDe, standardsEn } from './standards-messages.js';

/** Texts of the market module, German first (the parity test checks both languages). */
const de = {
  ...standardsDe,
};

const en: Record<keyof typeof de, string> = {
  ...standardsEn,
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('market', de, en);
