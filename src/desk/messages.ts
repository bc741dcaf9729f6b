import { defineMessages } from '../platform/i18n/i18n.js';
import { inquiriesDe, inquiriesEn } from './inquiries/messages.js';
import { mentorsDe, mentorsEn } from './mentors/messages.js';

/**
 * Texts of the desk module, German first (the parity test checks both languages). Each part keeps its texts in
 * `<part>/messages.ts` (`xxxDe`, `xxxEn`) and they are spread in here.
 */
const de = {
  ...inquiriesDe,
  ...mentorsDe,
  'desk.nav': 'Beratung',
};

const en: Record<keyof typeof de, string> = {
  ...inquiriesEn,
  ...mentorsEn,
  'desk.nav': 'Advice',
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('desk', de, en);
