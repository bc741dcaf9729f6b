import { defineMessages } from '../platform/i18n/i18n.js';
import { checkDe, checkEn } from './check-messages.js';
import { conformanceDe, conformanceEn } from './conformance-messages.js';
import { demandDe, demandEn } from './demand/demand-messages.js';
import { solutionsDe, solutionsEn } from './solutions/messages.js';
import { standardsDe, standardsEn } from './standards-messages.js';

/** Texts of the market module, German first (the parity test checks both languages). */
const de = {
  'market.nav.demand': 'Gemeinsame Beschaffung',
  ...standardsDe,
  ...solutionsDe,
  ...checkDe,
  ...conformanceDe,
  ...demandDe,
};

const en: Record<keyof typeof de, string> = {
  'market.nav.demand': 'Joint procurement',
  ...standardsEn,
  ...solutionsEn,
  ...checkEn,
  ...conformanceEn,
  ...demandEn,
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('market', de, en);
