/**
 * Outlines of a cooperation agreement for a group: an öffentlich-rechtliche Vereinbarung and the Verbandssatzung
 * of a Zweckverband, prefilled with the group's topic and member municipalities, laid out by the strategy's
 * accessible DOCX renderer (real headings, document language de-DE). The texts are German on purpose: the
 * agreement is a German legal document whatever language the page is read in. They are a starting point for the
 * municipalities' legal departments, not legal advice.
 */
import {
  type Block,
  type DocumentOutline,
  LANGUAGE_TAG,
  renderOutlineDocx,
  type Section,
} from '../../strategy/index.js';

export const TEMPLATE_KINDS = ['vereinbarung', 'zweckverband'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export const isTemplateKind = (s: string): s is TemplateKind => (TEMPLATE_KINDS as readonly string[]).includes(s);

export interface TemplateInput {
  title: string;
  description: string;
  /** Member municipalities, the lead first. */
  members: readonly { name: string; lead: boolean }[];
  /** "10.03.2027" */
  date: string;
}

const LEGAL_BASIS =
  'Rechtsgrundlage sind die Gesetze der Länder über die kommunale Zusammenarbeit, zum Beispiel in Bayern das ' +
  'Gesetz über die kommunale Zusammenarbeit (KommZG), in Nordrhein-Westfalen das Gesetz über kommunale ' +
  'Gemeinschaftsarbeit (GkG NRW) und in Hessen das Gesetz über kommunale Gemeinschaftsarbeit (KGG). Welches ' +
  'Gesetz gilt, welche Form es zulässt und ob die Aufsichtsbehörde genehmigen muss, richtet sich nach dem Land ' +
  'der Beteiligten; bei Beteiligten aus mehreren Ländern ist ein Staatsvertrag oder eine besondere Regelung nötig.';

const NOT_ADVICE =
  'Hinweis: Diese Gliederung ist eine Arbeitshilfe des Kommunallotsen und keine Rechtsberatung. Sie ersetzt ' +
  'nicht die Prüfung durch die Rechtsämter der Beteiligten und die Abstimmung mit der Kommunalaufsicht.';

const p = (text: string): Block => ({ kind: 'paragraph', text });
const list = (...items: string[]): Block => ({ kind: 'list', items: items.map((text) => ({ text })) });
const section = (id: string, heading: string, ...blocks: Block[]): Section => ({
  id,
  heading,
  newPage: false,
  blocks,
});

function memberBlock(input: TemplateInput, role: string): Block[] {
  return [
    p(`Beteiligt sind als ${role}:`),
    list(...input.members.map((m) => (m.lead ? `${m.name} (federführend)` : m.name))),
    p('Für jede Beteiligte: vertreten durch [Bürgermeisterin/Bürgermeister bzw. Landrätin/Landrat], Anschrift […].'),
  ];
}

function vereinbarung(input: TemplateInput): Section[] {
  return [
    section('hinweis', 'Hinweis und Rechtsgrundlage', p(NOT_ADVICE), p(LEGAL_BASIS)),
    section('beteiligte', '§ 1 Beteiligte', ...memberBlock(input, 'Vertragspartnerinnen')),
    section(
      'gegenstand',
      '§ 2 Gegenstand',
      p(`Gegenstand der Vereinbarung ist: ${input.title}.`),
      ...(input.description ? [p(input.description)] : []),
      p(
        'Festzulegen ist, ob eine Beteiligte die Aufgabe für die anderen übernimmt (delegierende Vereinbarung, die ' +
          'Zuständigkeit geht über) oder für sie durchführt (mandatierende Vereinbarung, die Zuständigkeit bleibt).',
      ),
    ),
    section(
      'aufgaben',
      '§ 3 Aufgaben und Leistungen',
      list(
        'Welche Leistungen erbringt die federführende Beteiligte, welche die übrigen?',
        'Welche Fachverfahren, Schnittstellen und Standards werden gemeinsam genutzt?',
        'Wie werden Entscheidungen abgestimmt (z. B. Lenkungskreis, Stimmverhältnis)?',
        'Welche Berichte erhalten die Beteiligten und wie oft?',
      ),
    ),
    section(
      'kosten',
      '§ 4 Kosten und Finanzierung',
      list(
        'Verteilungsschlüssel (z. B. nach Einwohnerzahl, Fallzahlen oder zu gleichen Teilen)',
        'Einmalige Kosten (Einführung, Beschaffung) und laufende Kosten (Betrieb, Lizenzen, Personal)',
        'Fördermittel und ihre Weitergabe; Abrechnung und Fälligkeit; Umsatzsteuer (§ 2b UStG) prüfen',
      ),
    ),
    section(
      'datenschutz',
      '§ 5 Datenschutz und Auftragsverarbeitung',
      p(
        'Festzulegen ist, wer Verantwortliche im Sinne der DSGVO ist. Verarbeitet eine Beteiligte personenbezogene ' +
          'Daten im Auftrag der anderen, ist ein Vertrag nach Art. 28 DSGVO zu schließen; bei gemeinsamer ' +
          'Verantwortung eine Vereinbarung nach Art. 26 DSGVO. Technische und organisatorische Maßnahmen, ' +
          'Informationssicherheit (z. B. BSI IT-Grundschutz) und Löschfristen sind zu regeln.',
      ),
    ),
    section(
      'laufzeit',
      '§ 6 Laufzeit und Kündigung',
      list(
        'Beginn (nach Genehmigung und öffentlicher Bekanntmachung, soweit das Landesrecht sie verlangt)',
        'Laufzeit (befristet oder unbefristet) und Kündigungsfrist',
        'Kündigung aus wichtigem Grund; Auseinandersetzung von Vermögen, Daten und Personal beim Ausscheiden',
      ),
    ),
    section(
      'streit',
      '§ 7 Streitbeilegung',
      p(
        'Meinungsverschiedenheiten werden zunächst im Lenkungskreis erörtert; gelingt keine Einigung, wird die ' +
          'gemeinsame Aufsichtsbehörde zur Schlichtung angerufen, bevor der Verwaltungsrechtsweg beschritten wird.',
      ),
    ),
    section(
      'schluss',
      '§ 8 Schlussbestimmungen',
      list(
        'Änderungen bedürfen der Schriftform und der Zustimmung der zuständigen Gremien',
        'Salvatorische Klausel',
        'Genehmigung durch die Aufsichtsbehörde und Bekanntmachung, soweit erforderlich',
      ),
      p(`Ort, Datum: […], ${input.date}`),
      p('Unterschriften der Beteiligten: […]'),
    ),
  ];
}

function zweckverband(input: TemplateInput): Section[] {
  return [
    section('hinweis', 'Hinweis und Rechtsgrundlage', p(NOT_ADVICE), p(LEGAL_BASIS)),
    section(
      'beteiligte',
      '§ 1 Verbandsmitglieder, Name und Sitz',
      ...memberBlock(input, 'Verbandsmitglieder'),
      p('Name des Zweckverbands: […]; Sitz: […]. Der Zweckverband ist eine Körperschaft des öffentlichen Rechts.'),
    ),
    section(
      'gegenstand',
      '§ 2 Gegenstand und Aufgaben des Verbands',
      p(`Der Zweckverband hat die Aufgabe: ${input.title}.`),
      ...(input.description ? [p(input.description)] : []),
      list(
        'Welche Aufgaben gehen mit Zuständigkeit auf den Verband über?',
        'Darf der Verband Leistungen für Dritte erbringen?',
      ),
    ),
    section(
      'aufgaben',
      '§ 3 Organe: Verbandsversammlung und Verbandsvorsitz',
      list(
        'Zusammensetzung der Verbandsversammlung und Stimmen je Mitglied',
        'Zuständigkeiten der Verbandsversammlung (Satzung, Haushalt, Umlage, Personal)',
        'Wahl und Aufgaben der oder des Verbandsvorsitzenden und der Stellvertretung',
        'Geschäftsführung und Verwaltung (eigene Geschäftsstelle oder durch ein Mitglied)',
      ),
    ),
    section(
      'kosten',
      '§ 4 Deckung des Finanzbedarfs (Verbandsumlage)',
      list(
        'Wirtschaftsführung nach dem kommunalen Haushaltsrecht des Sitzlandes',
        'Umlageschlüssel (z. B. nach Einwohnerzahl oder Inanspruchnahme); Investitions- und Betriebsumlage',
        'Prüfung der Jahresrechnung',
      ),
    ),
    section(
      'datenschutz',
      '§ 5 Datenschutz und Auftragsverarbeitung',
      p(
        'Der Verband ist für die Daten seiner Aufgaben Verantwortlicher im Sinne der DSGVO und benennt eine ' +
          'Datenschutzbeauftragte oder einen Datenschutzbeauftragten. Verarbeiten Mitglieder oder Dienstleister ' +
          'Daten für ihn, sind Verträge nach Art. 28 DSGVO zu schließen. Informationssicherheit und Löschfristen ' +
          'sind zu regeln.',
      ),
    ),
    section(
      'laufzeit',
      '§ 6 Beitritt, Austritt und Auflösung',
      list(
        'Beitritt weiterer Mitglieder (Beschluss der Verbandsversammlung, Änderung der Satzung)',
        'Austritt: Frist, Zustimmung, Auseinandersetzung',
        'Auflösung und Verteilung von Vermögen, Verbindlichkeiten und Personal',
      ),
    ),
    section(
      'streit',
      '§ 7 Streitigkeiten',
      p(
        'Bei Streitigkeiten zwischen Verband und Mitgliedern oder zwischen Mitgliedern aus dem Verbandsverhältnis ' +
          'wird die Aufsichtsbehörde zur Schlichtung angerufen.',
      ),
    ),
    section(
      'schluss',
      '§ 8 Öffentliche Bekanntmachungen und Inkrafttreten',
      list(
        'Form der öffentlichen Bekanntmachungen des Verbands',
        'Genehmigung der Verbandssatzung durch die Aufsichtsbehörde',
        'Inkrafttreten am Tag nach der Bekanntmachung',
      ),
      p(`Ort, Datum: […], ${input.date}`),
    ),
  ];
}

const TITLES: Record<TemplateKind, string> = {
  vereinbarung: 'Öffentlich-rechtliche Vereinbarung',
  zweckverband: 'Verbandssatzung eines Zweckverbands',
};

/** The outline of a template for the group (pure: tests read it without rendering). */
export function templateOutline(kind: TemplateKind, input: TemplateInput): DocumentOutline {
  const title = TITLES[kind];
  const lead = input.members.find((m) => m.lead)?.name ?? '';
  return {
    lang: 'de',
    languageTag: LANGUAGE_TAG.de,
    title: `${title}: ${input.title}`,
    subject: `Gliederung (Entwurf) · ${input.title}`,
    author: 'Kommunallotse',
    header: `Kommunallotse · ${title} (Entwurf)`,
    page: (page, pages) => `Seite ${page} von ${pages}`,
    titlePage: {
      kicker: 'Entwurf einer Gliederung',
      title,
      municipality: input.title,
      facts: [
        { label: 'Federführung', value: lead },
        { label: 'Beteiligte', value: input.members.map((m) => m.name).join(', ') },
      ],
      status: NOT_ADVICE,
      demo: null,
      generated: `Erstellt am ${input.date} mit dem Kommunallotsen`,
    },
    sections: kind === 'vereinbarung' ? vereinbarung(input) : zweckverband(input),
  };
}

export function renderTemplate(kind: TemplateKind, input: TemplateInput): Promise<Buffer> {
  return renderOutlineDocx(templateOutline(kind, input));
}

/** The file name of a template: "vereinbarung-gemeinsames-buergerportal.docx". */
export function templateFilename(kind: TemplateKind, groupTitle: string): string {
  const slug = groupTitle
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${kind}${slug ? `-${slug}` : ''}.docx`;
}
