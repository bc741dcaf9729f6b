import { defineMessages } from '../platform/i18n/i18n.js';

/** Texts of the site module, German first (the parity test checks both languages). */
const de = {
  'sources.publisher': 'Herausgeber',
  'sources.licence': 'Lizenz',
  'sources.attribution': 'Quellenvermerk',
  'sources.download': 'Bezug',
  'imprint.operatorTitle': 'Betreiber dieser Instanz',
  'imprint.name': 'Stelle',
  'imprint.address': 'Anschrift',
  'imprint.email': 'E-Mail',
  'imprint.phone': 'Telefon',
  'imprint.responsible': 'Verantwortlich nach § 18 Abs. 2 MStV',
  'imprint.notSet': 'noch nicht eingetragen',
  'imprint.incompleteTitle': 'Impressum unvollständig',
  'imprint.incomplete':
    'Die betreibende Stelle hat ihre Angaben noch nicht eingetragen. Vor dem öffentlichen Betrieb müssen diese Einstellungen gesetzt sein (siehe README, Konfiguration):',
  'imprint.privacyTitle': 'Datenschutz',
  'imprint.privacyContact': 'Kontakt für Fragen zum Datenschutz:',
  'imprint.accessibilityTitle': 'Barrierefreiheit',
  'imprint.accessibilityContact': 'Barrieren melden Sie bitte an:',
  'imprint.softwareTitle': 'Software',
  'imprint.sourceCode': 'Quellcode: freie Software unter der',
  'a11y.aim':
    'Der Kommunallotse soll für alle nutzbar sein – auch mit Screenreader, nur mit der Tastatur, auf kleinen Bildschirmen ab 320 Pixel Breite und ohne JavaScript. Maßstab sind die BITV 2.0 und die WCAG 2.1 Stufe AA.',
  'a11y.statusTitle': 'Stand der Vereinbarkeit',
  'a11y.status':
    'Jede Seite wird bei jeder Änderung automatisiert mit axe-core in Chromium geprüft (keine Verstöße gegen WCAG 2.1 A/AA-Regeln); die Kernabläufe werden mit und ohne JavaScript getestet. Eine manuelle Prüfung nach BITV-Prüfverfahren steht noch aus; die Seiten gelten daher als teilweise vereinbar.',
  'a11y.feedbackTitle': 'Feedback und Kontakt',
  'a11y.feedbackBefore': 'Barrieren melden Sie bitte der betreibenden Stelle (siehe',
  'a11y.feedbackContact': 'Barrieren melden Sie bitte an',
  'a11y.feedbackAfter':
    'Wir antworten innerhalb von zwei Wochen. Bleibt eine Antwort aus, können Sie sich an die Schlichtungsstelle nach § 16 BGG wenden.',
  'nav.sources': 'Datenquellen',
  'footer.imprint': 'Impressum',
  'footer.accessibility': 'Barrierefreiheit',
  'footer.sources': 'Datenquellen',
  'sources.title': 'Datenquellen',
  'sources.lead': 'Woher die Daten des Kommunallotsen stammen, unter welcher Lizenz und mit welchem Stand.',
  'sources.imported': 'Eingespielte Stände',
  'sources.colSource': 'Quelle',
  'sources.colRelease': 'Gebietsstand',
  'sources.colImported': 'eingespielt am',
  'sources.colFile': 'Datei',
  'sources.boundaries': 'Grenzen',
  'sources.noBoundaries': 'Noch keine Grenzen eingespielt.',
  'imprint.title': 'Impressum',
  'a11y.title': 'Erklärung zur Barrierefreiheit',
};

const en: Record<keyof typeof de, string> = {
  'sources.publisher': 'Publisher',
  'sources.licence': 'Licence',
  'sources.attribution': 'Attribution',
  'sources.download': 'Download',
  'imprint.operatorTitle': 'Operator of this instance',
  'imprint.name': 'Organisation',
  'imprint.address': 'Address',
  'imprint.email': 'Email',
  'imprint.phone': 'Phone',
  'imprint.responsible': 'Responsible under § 18 (2) MStV',
  'imprint.notSet': 'not yet provided',
  'imprint.incompleteTitle': 'Imprint incomplete',
  'imprint.incomplete':
    'The operator has not yet provided their details. These settings must be set before public operation (see README, configuration):',
  'imprint.privacyTitle': 'Data protection',
  'imprint.privacyContact': 'Contact for data protection questions:',
  'imprint.accessibilityTitle': 'Accessibility',
  'imprint.accessibilityContact': 'Please report barriers to:',
  'imprint.softwareTitle': 'Software',
  'imprint.sourceCode': 'Source code: free software under the',
  'a11y.aim':
    'Kommunallotse aims to be usable by everyone – with a screen reader, by keyboard only, on screens from 320 pixels wide and without JavaScript. The yardstick is BITV 2.0 and WCAG 2.1 level AA.',
  'a11y.statusTitle': 'Compliance status',
  'a11y.status':
    'Every page is checked automatically with axe-core in Chromium on every change (zero violations of WCAG 2.1 A/AA rules); the core journeys are tested with and without JavaScript. A manual BITV audit is pending, so the pages are partially compliant.',
  'a11y.feedbackTitle': 'Feedback and contact',
  'a11y.feedbackBefore': 'Please report barriers to the operator (see the',
  'a11y.feedbackContact': 'Please report barriers to',
  'a11y.feedbackAfter': 'We answer within two weeks.',
  'nav.sources': 'Data sources',
  'footer.imprint': 'Imprint',
  'footer.accessibility': 'Accessibility',
  'footer.sources': 'Data sources',
  'sources.title': 'Data sources',
  'sources.lead': 'Where the data of Kommunallotse comes from, under which licence and as of when.',
  'sources.imported': 'Imported releases',
  'sources.colSource': 'Source',
  'sources.colRelease': 'Territorial status',
  'sources.colImported': 'imported on',
  'sources.colFile': 'File',
  'sources.boundaries': 'Boundaries',
  'sources.noBoundaries': 'No boundaries imported yet.',
  'imprint.title': 'Imprint',
  'a11y.title': 'Accessibility statement',
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('site', de, en);
