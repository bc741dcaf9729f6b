import { defineMessages } from '../platform/i18n/i18n.js';
import { solutionsDe, solutionsEn } from './solutions/messages.js';

/** Texts of the market module, German first (the parity test checks both languages); one file per part. */
const de = {
  ...solutionsDe,
};

const en: Record<keyof typeof de, string> = {
  ...solutionsEn,
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('market', de, en);
