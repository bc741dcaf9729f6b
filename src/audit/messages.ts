import { defineMessages } from '../platform/i18n/i18n.js';

/** Texts of the audit module, German first (the parity test checks both languages). */
const de = {
  'audit.adminCrumb': 'Verwaltung',
  'audit.title': 'Änderungsprotokoll',
  'audit.lead':
    'Jede Änderung auf der Plattform, neueste zuerst. Das Protokoll nennt Personen nur mit ihrer Kontonummer; angezeigt wird die aktuelle E-Mail-Adresse des Kontos.',
  'audit.filters': 'Filter',
  'audit.action': 'Aktion',
  'audit.actionHint': 'Zum Beispiel „user.signup“, oder „user“ für alle Aktionen an Konten.',
  'audit.actor': 'Handelnde Person (Kontonummer)',
  'audit.org': 'Organisation (Nummer)',
  'audit.from': 'Von (Datum)',
  'audit.to': 'Bis (Datum)',
  'audit.dateHint': 'Format JJJJ-MM-TT',
  'audit.apply': 'Filter anwenden',
  'audit.reset': 'Filter zurücksetzen',
  'audit.csv': 'Als CSV herunterladen',
  'audit.colAt': 'Zeitpunkt',
  'audit.colActor': 'Wer',
  'audit.colOrg': 'Organisation',
  'audit.colAction': 'Aktion',
  'audit.colEntity': 'Betrifft',
  'audit.colChange': 'Änderung (vorher → nachher)',
  'audit.colRequest': 'Anfrage-ID',
  'audit.system': 'System',
  'audit.deletedAccount': 'gelöschtes Konto #{id}',
  'audit.older': 'Ältere Einträge',
  'audit.newest': 'Zu den neuesten Einträgen',
  'audit.empty': 'Keine Einträge für diese Filter.',
  'audit.invalidNumber': 'Bitte geben Sie eine Nummer ein (nur Ziffern).',
  'audit.invalidDate': 'Bitte geben Sie ein Datum im Format JJJJ-MM-TT ein.',
  'audit.invalidAction': 'Eine Aktion besteht aus Kleinbuchstaben, Ziffern, Punkten, Binde- und Unterstrichen.',
};

const en: Record<keyof typeof de, string> = {
  'audit.adminCrumb': 'Administration',
  'audit.title': 'Audit log',
  'audit.lead':
    'Every change on the platform, newest first. The log names people by account number only; shown is the current e-mail address of the account.',
  'audit.filters': 'Filters',
  'audit.action': 'Action',
  'audit.actionHint': 'For example "user.signup", or "user" for all actions on accounts.',
  'audit.actor': 'Acting person (account number)',
  'audit.org': 'Organisation (number)',
  'audit.from': 'From (date)',
  'audit.to': 'To (date)',
  'audit.dateHint': 'Format YYYY-MM-DD',
  'audit.apply': 'Apply filters',
  'audit.reset': 'Reset filters',
  'audit.csv': 'Download as CSV',
  'audit.colAt': 'Time',
  'audit.colActor': 'Who',
  'audit.colOrg': 'Organisation',
  'audit.colAction': 'Action',
  'audit.colEntity': 'Concerns',
  'audit.colChange': 'Change (before → after)',
  'audit.colRequest': 'Request ID',
  'audit.system': 'System',
  'audit.deletedAccount': 'deleted account #{id}',
  'audit.older': 'Older entries',
  'audit.newest': 'Back to the newest entries',
  'audit.empty': 'No entries for these filters.',
  'audit.invalidNumber': 'Enter a number (digits only).',
  'audit.invalidDate': 'Enter a date in the format YYYY-MM-DD.',
  'audit.invalidAction': 'An action consists of lower-case letters, digits, dots, hyphens and underscores.',
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('audit', de, en);
