import { defineMessages } from '../platform/i18n/i18n.js';
import { pagesDe, pagesEn } from './pages-messages.js';
import { validationDe, validationEn } from './validation-messages.js';

/** Texts of the atlas module, German first (the parity test checks both languages). */
const de = {
  ...validationDe,
  ...pagesDe,
};

const en: Record<keyof typeof de, string> = {
  ...validationEn,
  ...pagesEn,
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('atlas', de, en);
