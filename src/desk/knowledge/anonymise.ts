/**
 * The anonymiser of FAQ drafts (issue 12, "Wissen aus Antworten"): a pure function that replaces what identifies
 * the municipality or a person in an inquiry's text with a placeholder, so that the advisor starts from an
 * anonymous draft and edits it. It removes
 * - the municipality's name and the names of its Kreis (and their adjective forms: "Musterhausener"),
 * - its AGS/ARS (and any 8- or 12-digit official key that looks like one),
 * - e-mail addresses, phone and fax numbers,
 * - web addresses of the municipality (its domains, the domains of removed mail addresses, hosts with its name),
 * - the names of the conversation's participants, and names after titles and forms of address
 *   ("Bürgermeister Hans Müller", "Frau Schmidt") and under a closing ("Viele Grüße\nMaria Schmidt"),
 * - street addresses with a house number, post codes with their place ("82256 Fürstenfeldbruck").
 * The Land stays (answers often depend on its law). Placeholders are German, in square brackets.
 */

export interface AnonymiseContext {
  /** The municipality's name(s), e.g. "Musterhausen" (a register name like "Musterhausen, Stadt" is split). */
  municipality: readonly string[];
  /** Its Kreis and other names that point to it (Verbandsgemeinde, Amt …). */
  kreis?: readonly string[];
  /** Official keys (AGS, ARS) of the municipality. */
  keys?: readonly string[];
  /** Names of the people in the conversation (display names; mail addresses are turned into names too). */
  people?: readonly string[];
  /** Web domains of the municipality, e.g. "musterhausen.de". */
  domains?: readonly string[];
}

export const PLACEHOLDER = {
  municipality: '[Kommune]',
  kreis: '[Landkreis]',
  key: '[Schlüssel]',
  email: '[E-Mail]',
  phone: '[Telefon]',
  url: '[Website]',
  person: '[Name]',
  address: '[Adresse]',
  place: '[PLZ Ort]',
} as const;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Letters as a regular expression class (German umlauts included). */
const L = 'A-Za-zÄÖÜäöüßÀ-ÿ';
const UPPER = 'A-ZÄÖÜÀ-Þ';
const NAME_WORD = `[${UPPER}][${L}'’-]+`;

/** Folds for comparing host names with names: lowercase, umlauts transliterated, only letters and digits. */
export function slug(s: string): string {
  return s
    .toLocaleLowerCase('de-DE')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '');
}

/**
 * The names a register entry is known by: the full form, the part before a comma or parenthesis
 * ("Fürstenfeldbruck, St" → "Fürstenfeldbruck") and without a leading "Stadt"/"Gemeinde"/"Markt"/"Landkreis"; a
 * common first word alone ("Neustadt" of "Neustadt a.d.Waldnaab") is not a form. Forms under three letters drop.
 */
export function nameForms(name: string): string[] {
  const out = new Set<string>();
  const n = name.trim();
  if (!n) return [];
  out.add(n);
  const head = n.split(/\s*[,(]/)[0]!.trim();
  out.add(head);
  for (const prefix of ['Stadt ', 'Gemeinde ', 'Markt ', 'Landkreis ', 'Kreis ', 'Hansestadt ', 'Samtgemeinde ']) {
    if (head.startsWith(prefix)) out.add(head.slice(prefix.length));
  }
  return [...out].filter((x) => x.length >= 3);
}

/** "hans.mueller@…" → "Hans Mueller"; null when the local part is not a first and last name. */
export function nameFromEmail(email: string): string | null {
  const local = email.split('@')[0] ?? '';
  const parts = local.split(/[._-]/).filter((p) => /^[a-zäöüß]{2,}$/i.test(p));
  if (parts.length < 2) return null;
  return parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join(' ');
}

/** Spelling variants of a name: "Müller" ↔ "Mueller". */
function variants(name: string): string[] {
  const v = new Set([name]);
  v.add(name.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss'));
  v.add(name.replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue'));
  v.add(
    name
      .replace(/ae/g, 'ä')
      .replace(/oe/g, 'ö')
      .replace(/ue/g, 'ü')
      .replace(/Ae/g, 'Ä')
      .replace(/Oe/g, 'Ö')
      .replace(/Ue/g, 'Ü'),
  );
  return [...v];
}

/** Replaces whole words (and their German adjective/genitive endings) of any of `names` with `placeholder`. */
function replaceNames(text: string, names: readonly string[], placeholder: string): string {
  const list = [...new Set(names.flatMap(variants))].filter((n) => n.length >= 3).sort((a, b) => b.length - a.length);
  if (list.length === 0) return text;
  const re = new RegExp(
    `(?<![${L}0-9])(?:${list.map(escapeRe).join('|')})(?:er|ern|erin|erinnen|ers|s|'s|’s)?(?![${L}0-9])`,
    'g',
  );
  return text.replace(re, placeholder);
}

const TITLES = [
  'Bürgermeisterin',
  'Bürgermeister',
  'Oberbürgermeisterin',
  'Oberbürgermeister',
  'Landrätin',
  'Landrat',
  'Amtsleiterin',
  'Amtsleiter',
  'Kämmerin',
  'Kämmerer',
  'Hauptamtsleiterin',
  'Hauptamtsleiter',
  'Beigeordnete',
  'Beigeordneter',
  'Stadtrat',
  'Stadträtin',
  'Gemeinderat',
  'Gemeinderätin',
  'Kollegin',
  'Kollege',
  'Herrn',
  'Herr',
  'Frau',
  'Hr\\.',
  'Fr\\.',
];
/** A title or form of address followed by an optional academic title and one or two capitalised name words. */
const TITLED_NAME = new RegExp(
  `(?<![${L}])(${TITLES.join('|')})(\\s+(?:Dr\\.|Prof\\.)(?:\\s*Dr\\.)?)?\\s+(${NAME_WORD})(\\s+${NAME_WORD})?`,
  'g',
);
/** Words after a title that are not names ("Herr Bürgermeister", "Frau Kollegin", "Gemeinderat hat …"). */
const NOT_NAMES = new Set([
  'Bürgermeister',
  'Bürgermeisterin',
  'Kollege',
  'Kollegin',
  'Der',
  'Die',
  'Das',
  'Und',
  'Oder',
  'Im',
  'In',
  'Am',
  'Hat',
  'Ist',
  'Wird',
  'Mit',
]);

const CLOSINGS =
  /((?:Mit\s+)?(?:freundlichen|besten|herzlichen|schönen|vielen|liebe[n]?|viele)\s+Grü(?:ß|ss)en?|Viele\s+Grü(?:ß|ss)e|Beste\s+Grü(?:ß|ss)e|Herzliche\s+Grü(?:ß|ss)e|Gruß|MfG|LG|VG)[ \t]*,?[ \t]*\r?\n[ \t]*((?:Dr\.\s+)?[A-ZÄÖÜ][a-zäöüß'’-]+(?:[ \t]+[A-ZÄÖÜ][a-zäöüß'’-]+){0,2})[ \t]*(?=\r?\n|$)/g;

const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>()"']+/gi;
/** A bare domain like "musterhausen.de" or "rathaus.musterhausen.de/x". */
const BARE_DOMAIN =
  /\b((?:[a-z0-9-]+\.)+(?:de|com|org|net|eu|info|bayern|berlin|hamburg|nrw|saarland|koeln|ruhr))(\/[^\s<>()"']*)?/gi;
/** Phone and fax: +49/0049/0 then at least six more digits with spaces, slashes, dashes, parentheses. */
const PHONE = /(?<![\w+])(?:\+\s?49|0049|\(0\d{2,5}\)|0)(?:[\s/\-–()]*\d){6,}(?:\s?-\s?\d{1,5})?/g;
const PHONE_LABEL = /\b(Tel\.?|Telefon|Fax|Mobil|Handy|Tel\.\/Fax)\s*:?\s*$/i;
const STREET_SUFFIX =
  '(?:straße|strasse|str\\.|weg|platz|allee|gasse|ring|damm|ufer|steig|pfad|chaussee|markt|hof|berg|graben|wall|anger|promenade|steige|zeile)';
const STREET = new RegExp(
  `(?<![${L}])(?:Dr\\.-|St\\.-)?(?:(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Zum|Zur|Unter den|Alte|Alter|Neue|Neuer)\\s+)?` +
    `(?:[${UPPER}][${L}-]*${STREET_SUFFIX}|[${UPPER}][${L}]+(?:-[${UPPER}][${L}]+)*[ -](?:Straße|Strasse|Str\\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer|Markt))` +
    `\\s+\\d{1,4}(?:\\s?[a-zA-Z](?![${L}]))?(?:\\s?[-–/]\\s?\\d{1,4}[a-z]?)?`,
  'g',
);
const POSTCODE_PLACE = new RegExp(
  `(?<![\\d-])(?:D-)?\\d{5}\\s+${NAME_WORD}(?:(?:\\s+|-)(?:a\\.\\s?d\\.\\s?|am\\s+|an\\s+der\\s+|im\\s+|bei\\s+)?${NAME_WORD})*`,
  'g',
);
/** An 8-digit AGS or a 12-digit ARS (Land 01–16 first), also written with spaces ("09 1 79 123"). */
const OFFICIAL_KEY = /(?<![\d.,])(?:0[1-9]|1[0-6])\d{6}(?:\d{4})?(?![\d.,])/g;

const hostOf = (url: string): string => {
  const m = /^(?:https?:\/\/)?([^/:?#\s]+)/i.exec(url);
  return (m?.[1] ?? '').toLowerCase().replace(/^www\./, '');
};

/** The anonymised text. Idempotent: anonymising the result again changes nothing. */
export function anonymise(text: string, ctx: AnonymiseContext): string {
  const domains = new Set((ctx.domains ?? []).map((d) => d.toLowerCase().replace(/^www\./, '')));
  const names = ctx.municipality.flatMap(nameForms);
  const kreis = (ctx.kreis ?? []).flatMap(nameForms).filter((k) => !names.includes(k));
  const nameSlugs = [...names, ...kreis].map(slug).filter((s) => s.length >= 4);
  const people = new Set<string>();
  for (const p of ctx.people ?? []) {
    const name = p.includes('@') ? nameFromEmail(p) : p.trim();
    if (name) people.add(name);
  }

  let out = text;
  // Mail addresses first (their domains identify the municipality's web addresses too).
  out = out.replace(EMAIL, (_m, domain: string) => {
    const d = domain.toLowerCase();
    domains.add(d);
    // the organisation's domain without a sub-domain ("rathaus.musterhausen.de" → "musterhausen.de")
    const parts = d.split('.');
    if (parts.length > 2) domains.add(parts.slice(-2).join('.'));
    return PLACEHOLDER.email;
  });
  const ownHost = (host: string) => {
    const h = host.replace(/^www\./, '');
    if ([...domains].some((d) => h === d || h.endsWith(`.${d}`))) return true;
    const hs = slug(h.split('.').slice(0, -1).join('.'));
    return nameSlugs.some((s) => hs.includes(s));
  };
  out = out.replace(URL, (m) => {
    const trail = /[.,;:!?]+$/.exec(m)?.[0] ?? '';
    const url = trail ? m.slice(0, -trail.length) : m;
    return (ownHost(hostOf(url)) ? PLACEHOLDER.url : url) + trail;
  });
  out = out.replace(BARE_DOMAIN, (m, host: string) => (ownHost(host.toLowerCase()) ? PLACEHOLDER.url : m));
  // Numbers: official keys, phone (with or without a label), post codes with places, street addresses.
  const keys = new Set((ctx.keys ?? []).map((k) => k.replace(/\s/g, '')).filter((k) => k.length >= 5));
  for (const k of [...keys].sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`(?<!\\d)${k.split('').map(escapeRe).join('\\s?')}(?!\\d)`, 'g'), PLACEHOLDER.key);
  }
  out = out.replace(OFFICIAL_KEY, PLACEHOLDER.key);
  out = out.replace(PHONE, (m, offset: number, whole: string) => {
    const digits = m.replace(/\D/g, '');
    const labelled = PHONE_LABEL.test(whole.slice(Math.max(0, offset - 20), offset));
    // a date or an amount is no phone number; an unlabelled number needs the length of one
    if (!labelled && digits.length < 8) return m;
    return PLACEHOLDER.phone;
  });
  out = out.replace(POSTCODE_PLACE, PLACEHOLDER.place);
  out = out.replace(STREET, PLACEHOLDER.address);
  // People: titled names, closings, the participants.
  out = out.replace(CLOSINGS, (_m, closing: string) => `${closing}\n${PLACEHOLDER.person}`);
  out = out.replace(TITLED_NAME, (m, title: string, academic: string | undefined, first: string, second?: string) => {
    if (NOT_NAMES.has(first)) return m;
    if (first.startsWith('[')) return m;
    const secondWord = second?.trim();
    // "Frau Schmidt hat …": only the name; a second capitalised word that is a noun stays ("Herr Meier Bescheid")
    const keepSecond = secondWord !== undefined && NOT_NAMES.has(secondWord);
    void academic;
    return `${title} ${PLACEHOLDER.person}${keepSecond ? second : ''}`;
  });
  const personNames = [...people].flatMap((p) => {
    const words = p.split(/\s+/).filter((w) => w.length >= 3);
    // the full name, and the surname alone ("Frau Müller" is caught above; "Müller sagte" here)
    return words.length >= 2 ? [p, words[words.length - 1]!] : words;
  });
  out = replaceNames(out, personNames, PLACEHOLDER.person);
  // Names of the place last (so that "82256 Fürstenfeldbruck" is one placeholder, not two).
  out = replaceNames(out, names, PLACEHOLDER.municipality);
  out = replaceNames(out, kreis, PLACEHOLDER.kreis);
  out = out.replace(/\[Name\](?:\s+\[Name\])+/g, PLACEHOLDER.person);
  return out;
}

/** Whether the anonymiser still finds something identifying in a text (shown as a warning before publishing). */
export const stillIdentifying = (text: string, ctx: AnonymiseContext): boolean => anonymise(text, ctx) !== text;
