import { defineMessages } from '../platform/i18n/i18n.js';
import { eventsDe, eventsEn } from './events/messages.js';
import { groupsDe, groupsEn } from './groups/messages.js';
import { inquiriesDe, inquiriesEn } from './inquiries/messages.js';
import { knowledgeDe, knowledgeEn } from './knowledge/messages.js';
import { mentorsDe, mentorsEn } from './mentors/messages.js';
import { notifyDe, notifyEn } from './notify/messages.js';

/**
 * Texts of the desk module, German first (the parity test checks both languages). Each part keeps its texts in
 * `<part>/messages.ts` (`xxxDe`, `xxxEn`) and they are spread in here.
 */
const de = {
  ...inquiriesDe,
  ...groupsDe,
  ...eventsDe,
  ...notifyDe,
  ...knowledgeDe,
  ...mentorsDe,
  'desk.nav': 'Beratung',
};

const en: Record<keyof typeof de, string> = {
  ...inquiriesEn,
  ...groupsEn,
  ...eventsEn,
  ...notifyEn,
  ...knowledgeEn,
  ...mentorsEn,
  'desk.nav': 'Advice',
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('desk', de, en);
