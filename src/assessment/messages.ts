import { defineMessages } from '../platform/i18n/i18n.js';

/** Texts of the assessment module, German first (the parity test checks both languages). */
const de = {
  'nav.digitalcheck': 'Digitalcheck',
  'check.err.noSuchCheck': 'Es gibt keinen Digitalcheck {id}.',
  'check.err.noSuchOrg': 'Es gibt keine Organisation {id}.',
  'check.err.notMunicipal': 'Der Digitalcheck ist für Gemeinden, Städte und Kreise.',
  'check.err.frozen': 'Dieser Digitalcheck ist abgeschickt; seine Antworten können nicht mehr geändert werden.',
  'check.err.noSuchQuestion': 'Die Frage {id} gehört nicht zu diesem Digitalcheck.',
  'check.err.chooseLevel': 'Bitte wählen Sie eine Stufe oder „trifft nicht zu“.',
  'check.err.evidenceUrl': 'Der Nachweis muss ein Link sein, der mit http:// oder https:// beginnt.',
  'check.err.commentTooLong': 'Der Kommentar darf höchstens {max} Zeichen lang sein.',
  'check.err.alreadySubmitted': 'Dieser Digitalcheck ist bereits abgeschickt.',
  'check.err.incomplete': 'Es fehlen noch {missing} Antworten.',
  'check.err.publishDraft': 'Nur ein abgeschickter Digitalcheck kann veröffentlicht werden.',
  'check.err.notSubmitted': 'Dieser Digitalcheck ist noch nicht abgeschickt.',
  'check.err.membersOnly': 'Dieser Digitalcheck ist nur für den Arbeitsbereich sichtbar.',
  'check.err.startMembersOnly': 'Nur Mitglieder des Arbeitsbereichs können den Digitalcheck beginnen.',
  'check.err.publishAdminsOnly': 'Nur die Administration des Arbeitsbereichs kann ein Ergebnis veröffentlichen.',
  'nav.lagebild': 'Lagebild',
};

const en: Record<keyof typeof de, string> = {
  'nav.digitalcheck': 'Digitalcheck',
  'check.err.noSuchCheck': 'There is no Digitalcheck {id}.',
  'check.err.noSuchOrg': 'There is no organisation {id}.',
  'check.err.notMunicipal': 'The Digitalcheck is for municipalities, cities and districts.',
  'check.err.frozen': 'This Digitalcheck has been submitted; its answers can no longer be changed.',
  'check.err.noSuchQuestion': 'The question {id} does not belong to this Digitalcheck.',
  'check.err.chooseLevel': 'Please choose a level or “does not apply”.',
  'check.err.evidenceUrl': 'The evidence must be a link starting with http:// or https://.',
  'check.err.commentTooLong': 'The comment may have at most {max} characters.',
  'check.err.alreadySubmitted': 'This Digitalcheck has already been submitted.',
  'check.err.incomplete': '{missing} answers are still missing.',
  'check.err.publishDraft': 'Only a submitted Digitalcheck can be published.',
  'check.err.notSubmitted': 'This Digitalcheck has not been submitted yet.',
  'check.err.membersOnly': 'This Digitalcheck is visible to its workspace only.',
  'check.err.startMembersOnly': 'Only members of the workspace can start the Digitalcheck.',
  'check.err.publishAdminsOnly': 'Only the administration of the workspace can publish a result.',
  'nav.lagebild': 'National picture',
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('assessment', de, en);
