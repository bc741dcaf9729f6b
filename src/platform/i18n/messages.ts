/**
 * UI texts, German first. Every key exists in both languages (a unit test checks it).
 * Placeholders: {name}.
 */
export const de = {
  'site.name': 'Kommunallotse',
  'site.tagline': 'Kompetenzzentrum Digitale Städte und Regionen',
  'nav.main': 'Hauptnavigation',
  'nav.home': 'Start',
  'nav.register': 'Kommunen',
  'nav.sources': 'Datenquellen',
  'nav.api': 'API',
  'nav.skip': 'Zum Inhalt springen',
  'nav.language': 'Sprache',
  'nav.switchTo': 'English',
  'nav.breadcrumb': 'Brotkrumennavigation',
  'footer.label': 'Fußzeile',
  'footer.imprint': 'Impressum',
  'footer.accessibility': 'Barrierefreiheit',
  'footer.sources': 'Datenquellen',
  'footer.licence': 'Freie Software unter der EUPL-1.2',
  'home.title': 'Kommunallotse – jede Kommune finden',
  'home.lead':
    'Kommunallotse kennt alle Gemeinden, Gemeindeverbände, Kreise und Länder Deutschlands – nach dem amtlichen Gemeindeverzeichnis.',
  'home.registerState': 'Stand des Registers',
  'search.label': 'Kommune, Kreis, Gemeindeschlüssel oder Postleitzahl',
  'search.hint': 'Zum Beispiel „Neustadt“, „09162000“ oder „80331“.',
  'search.submit': 'Suchen',
  'search.title': 'Kommunen suchen',
  'search.titleWithQuery': 'Suche nach „{q}“',
  'search.filters': 'Filter',
  'search.level': 'Ebene',
  'search.levelAll': 'alle Ebenen',
  'search.state': 'Land',
  'search.stateAll': 'alle Länder',
  'search.minPopulation': 'Einwohner mindestens',
  'search.maxPopulation': 'Einwohner höchstens',
  'search.apply': 'Filter anwenden',
  'search.results': '{count} Treffer',
  'search.noResults': 'Keine Treffer. Prüfen Sie die Schreibweise oder suchen Sie nach dem Gemeindeschlüssel.',
  'search.next': 'Weitere Treffer',
  'search.colName': 'Name',
  'search.colLevel': 'Ebene',
  'search.colKreis': 'Kreis',
  'search.colState': 'Land',
  'search.colPopulation': 'Einwohner',
  'search.colKey': 'Schlüssel',
  'search.ended': 'aufgelöst',
  'level.land': 'Land',
  'level.regierungsbezirk': 'Regierungsbezirk',
  'level.region': 'Region',
  'level.kreis': 'Kreis',
  'level.gemeindeverband': 'Gemeindeverband',
  'level.gemeinde': 'Gemeinde',
  'profile.keyFigures': 'Kennzahlen',
  'profile.ags': 'Amtlicher Gemeindeschlüssel (AGS)',
  'profile.key': 'Schlüssel',
  'profile.ars': 'Amtlicher Regionalschlüssel (ARS)',
  'profile.designation': 'Bezeichnung',
  'profile.seat': 'Verwaltungssitz',
  'profile.area': 'Fläche',
  'profile.population': 'Einwohner',
  'profile.inhabitants': '{count} Einwohner',
  'profile.populationMale': 'davon männlich',
  'profile.populationFemale': 'davon weiblich',
  'profile.density': 'Einwohner je km²',
  'profile.postcode': 'Postleitzahl des Verwaltungssitzes',
  'profile.severalPostcodes': 'mehrere Postleitzahlen',
  'profile.children': 'Untergeordnete Gebiete',
  'profile.peers': 'Ähnlich große Kommunen in {state}',
  'profile.noPeers': 'Keine vergleichbaren Kommunen gefunden.',
  'profile.source': 'Quelle und Gebietsstand',
  'profile.sourceText': '{source}, Gebietsstand {release}.',
  'profile.validFrom': 'Im Register seit dem Stand vom {date}.',
  'profile.validTo': 'gültig bis',
  'profile.ended': 'Diese Region besteht nicht mehr (gültig bis {date}).',
  'profile.successor': 'Nachfolger: {name}',
  'profile.successorInferred':
    'Die Zuordnung wurde aus den Gebietsständen abgeleitet (Methode: {method}) und ist nicht amtlich bestätigt.',
  'profile.successorOfficial': 'Die Zuordnung folgt der amtlichen Liste der Gebietsänderungen.',
  'profile.predecessors': 'Vorgänger',
  'profile.childrenLink': '{count} untergeordnete Gebiete anzeigen',
  'profile.noData': 'keine Angabe',
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
  'error.title': 'Fehler',
  'error.notFound': 'Nicht gefunden',
  'error.validation': 'Ungültige Eingabe',
  'error.conflict': 'Konflikt',
  'error.import': 'Import fehlgeschlagen',
  'error.internal': 'Interner Fehler',
  'error.unavailable': 'Dienst nicht verfügbar',
  'error.tooMany': 'Zu viele Anfragen',
  'error.summary': 'Bitte prüfen Sie Ihre Eingaben',
  'error.requestId': 'Anfrage-ID',
  'error.back': 'Zur Startseite',
} as const;

export type MessageKey = keyof typeof de;

export const en: Record<MessageKey, string> = {
  'site.name': 'Kommunallotse',
  'site.tagline': 'Competence Centre for Digital Cities and Regions',
  'nav.main': 'Main navigation',
  'nav.home': 'Home',
  'nav.register': 'Municipalities',
  'nav.sources': 'Data sources',
  'nav.api': 'API',
  'nav.skip': 'Skip to content',
  'nav.language': 'Language',
  'nav.switchTo': 'Deutsch',
  'nav.breadcrumb': 'Breadcrumb',
  'footer.label': 'Footer',
  'footer.imprint': 'Imprint',
  'footer.accessibility': 'Accessibility',
  'footer.sources': 'Data sources',
  'footer.licence': 'Free software under the EUPL-1.2',
  'home.title': 'Kommunallotse – find any municipality',
  'home.lead':
    'Kommunallotse knows every municipality, association of municipalities, district and state in Germany – from the official municipality register.',
  'home.registerState': 'State of the register',
  'search.label': 'Municipality, district, municipality key or postcode',
  'search.hint': 'For example “Neustadt”, “09162000” or “80331”.',
  'search.submit': 'Search',
  'search.title': 'Find municipalities',
  'search.titleWithQuery': 'Search for “{q}”',
  'search.filters': 'Filters',
  'search.level': 'Level',
  'search.levelAll': 'all levels',
  'search.state': 'State',
  'search.stateAll': 'all states',
  'search.minPopulation': 'Population at least',
  'search.maxPopulation': 'Population at most',
  'search.apply': 'Apply filters',
  'search.results': '{count} results',
  'search.noResults': 'No results. Check the spelling or search by municipality key.',
  'search.next': 'More results',
  'search.colName': 'Name',
  'search.colLevel': 'Level',
  'search.colKreis': 'District',
  'search.colState': 'State',
  'search.colPopulation': 'Population',
  'search.colKey': 'Key',
  'search.ended': 'dissolved',
  'level.land': 'State',
  'level.regierungsbezirk': 'Government region',
  'level.region': 'Region',
  'level.kreis': 'District',
  'level.gemeindeverband': 'Association of municipalities',
  'level.gemeinde': 'Municipality',
  'profile.keyFigures': 'Key figures',
  'profile.ags': 'Official municipality key (AGS)',
  'profile.key': 'Key',
  'profile.ars': 'Official regional key (ARS)',
  'profile.designation': 'Designation',
  'profile.seat': 'Seat of administration',
  'profile.area': 'Area',
  'profile.population': 'Population',
  'profile.inhabitants': '{count} inhabitants',
  'profile.populationMale': 'of which male',
  'profile.populationFemale': 'of which female',
  'profile.density': 'Inhabitants per km²',
  'profile.postcode': 'Postcode of the administration',
  'profile.severalPostcodes': 'several postcodes',
  'profile.children': 'Subordinate areas',
  'profile.peers': 'Municipalities of similar size in {state}',
  'profile.noPeers': 'No comparable municipalities found.',
  'profile.source': 'Source and reference date',
  'profile.sourceText': '{source}, territorial status {release}.',
  'profile.validFrom': 'In the register since the release of {date}.',
  'profile.validTo': 'valid until',
  'profile.ended': 'This region no longer exists (valid until {date}).',
  'profile.successor': 'Successor: {name}',
  'profile.successorInferred':
    'This link was inferred from the releases (method: {method}) and is not officially confirmed.',
  'profile.successorOfficial': 'This link follows the official list of territorial changes.',
  'profile.predecessors': 'Predecessors',
  'profile.childrenLink': 'Show {count} subordinate areas',
  'profile.noData': 'not available',
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
  'error.title': 'Error',
  'error.notFound': 'Not found',
  'error.validation': 'Invalid input',
  'error.conflict': 'Conflict',
  'error.import': 'Import failed',
  'error.internal': 'Internal error',
  'error.unavailable': 'Service unavailable',
  'error.tooMany': 'Too many requests',
  'error.summary': 'Please check your input',
  'error.requestId': 'Request ID',
  'error.back': 'Back to the home page',
};

export type Lang = 'de' | 'en';
export const LANGS: Lang[] = ['de', 'en'];

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict: Record<MessageKey, string> = lang === 'en' ? en : de;
  return (key, params) => {
    const text = dict[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text;
  };
}

/** Pick the language from an Accept-Language header (q-values honoured), German by default. */
export function negotiateLang(header: string | undefined): Lang {
  if (!header) return 'de';
  const prefs = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) if (p.tag === 'de' || p.tag === 'en') return p.tag;
  return 'de';
}

export function formatNumber(lang: Lang, n: number, digits = 0): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(n);
}

export function formatDate(lang: Lang, iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return lang === 'en' ? `${d}/${m}/${y}` : `${d}.${m}.${y}`;
}
