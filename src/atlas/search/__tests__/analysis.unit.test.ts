import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decompound,
  editDistance,
  foldWord,
  forEachWord,
  isQuestion,
  loadLexicon,
  loadThesaurus,
  normalizeWord,
  phraseKey,
  QUESTION_ACTORS,
  QUESTION_VERBS,
  stem,
  tokenize,
  WORD_PATTERN,
} from '../analysis.js';

const st = (w: string) => stem(normalizeWord(w));

describe('normalising', () => {
  it('folds umlauts, their transliterations and ß so that the three spellings meet', () => {
    for (const group of [
      ['Bürgerbüro', 'Buergerbuero', 'Burgerburo', 'BÜRGERBÜRO'],
      ['Straße', 'Strasse', 'STRASSE'],
      ['Anträge', 'Antraege', 'Antrage'],
      ['Öffentlich', 'Oeffentlich', 'offentlich'],
      ['Müll', 'Muell', 'mull'],
      ['Café', 'Cafe'],
    ]) {
      const forms = new Set(group.map(normalizeWord));
      assert.equal(forms.size, 1, `${group.join(' / ')} → ${[...forms].join(', ')}`);
    }
  });

  it('keeps ae/oe/ue after a vowel or q, so diphthongs and "qu" survive and "neuen" is not "neun"', () => {
    assert.equal(foldWord('bauer'), 'bauer');
    assert.equal(foldWord('neue'), 'neue');
    assert.equal(foldWord('steuer'), 'steuer');
    assert.equal(foldWord('quelle'), 'quelle');
    assert.notEqual(normalizeWord('neuen'), normalizeWord('neun'));
    assert.notEqual(st('Frauen'), st('Fraun'));
    assert.equal(st('Frauen'), st('Frau'));
  });

  it('tokenises with positions, drops punctuation and stop words, keeps digits', () => {
    const t = tokenize('Wie kann ich die Bauanträge (2024) digital einreichen?');
    assert.deepEqual(
      t.map((x) => [x.norm, x.pos]),
      [
        ['bauantrage', 0],
        ['2024', 1],
        ['digital', 2],
        ['einreichen', 3],
      ],
    );
    assert.equal(t[0]!.raw, 'Bauanträge');
    assert.equal(tokenize('der die das und wie kann ich').length, 0);
  });

  it('keeps a hyphenated word joined and its parts at the following positions', () => {
    const [e, x] = tokenize('E-Akte Einführung');
    assert.equal(e!.norm, 'eakte');
    assert.deepEqual(e!.hyphenParts, ['e', 'akte']);
    assert.equal(e!.pos, 0);
    assert.equal(x!.pos, 2);
    assert.equal(tokenize('On-Demand-Verkehr')[0]!.norm, 'ondemandverkehr');
  });
});

// ---------------------------------------------------------------------------------------------

/** Word groups whose members must share one stem. */
const UNIFY: string[][] = [
  ['Bauantrag', 'Bauanträge', 'Bauanträgen', 'Bauantrags', 'Bauantrages'],
  ['digital', 'digitaler', 'digitale', 'digitalen', 'digitales', 'digitalem'],
  ['Digitalisierung', 'digitalisieren', 'digitalisiert', 'digitalisierte', 'digitalisierten', 'Digitalisierungen'],
  ['Schule', 'Schulen'],
  ['Verwaltung', 'Verwaltungen', 'verwalten'],
  ['einreichen', 'eingereicht', 'Einreichung'],
  ['Bürger', 'Bürgerin', 'Bürgerinnen', 'Bürgern', 'Bürgers'],
  ['Lehrer', 'Lehrerin', 'Lehrerinnen', 'Lehrern'],
  ['Antrag', 'Anträge', 'Anträgen', 'Antrags'],
  ['Verkehr', 'Verkehrs', 'Verkehre'],
  ['Sensor', 'Sensoren', 'Sensors'],
  ['System', 'Systeme', 'Systemen', 'Systems'],
  ['Portal', 'Portale', 'Portalen', 'Portals'],
  ['Dienst', 'Dienste', 'Diensten', 'Dienstes'],
  ['Netz', 'Netze', 'Netzen', 'Netzes'],
  ['Kita', 'Kitas'],
  ['Bus', 'Busse', 'Bussen'],
  ['Akte', 'Akten'],
  ['App', 'Apps'],
  ['Gemeinde', 'Gemeinden'],
  ['Kommune', 'Kommunen'],
  ['Stadt', 'Städte'],
  ['Prozess', 'Prozesse', 'Prozessen', 'Prozesses'],
  ['Ergebnis', 'Ergebnisse', 'Ergebnissen'],
  ['Gesetz', 'Gesetze', 'Gesetzes'],
  ['Leistung', 'Leistungen', 'leisten'],
  ['Förderung', 'fördern', 'Förderungen'],
  ['Beratung', 'beraten', 'Beratungen'],
  ['Beteiligung', 'beteiligen', 'Beteiligungen'],
  ['Anwendung', 'anwenden', 'Anwendungen'],
  ['Ausstattung', 'ausstatten', 'ausgestattet'],
  ['Umsetzung', 'umsetzen', 'umgesetzt'],
  ['Einführung', 'einführen', 'eingeführt'],
  ['Ausbau', 'ausbauen', 'ausgebaut'],
  ['Vernetzung', 'vernetzen', 'Vernetzungen'],
  ['Modernisierung', 'modernisieren', 'modernisiert'],
  ['Optimierung', 'optimieren', 'optimiert'],
  ['Informationen', 'Information'],
  ['öffentlich', 'öffentliche', 'öffentlichen', 'öffentlicher'],
  ['elektronisch', 'elektronische', 'elektronischen', 'elektronischer'],
  ['kommunal', 'kommunale', 'kommunalen', 'kommunaler'],
  ['regional', 'regionale', 'regionalen'],
  ['virtuell', 'virtuelle', 'virtueller'],
  ['modern', 'moderne', 'modernen', 'moderner'],
  ['neu', 'neue', 'neuen', 'neuer'],
  ['smart', 'smarte', 'smarten'],
  ['nachhaltig', 'nachhaltige', 'nachhaltigen'],
  ['barrierefrei', 'barrierefreie', 'barrierefreien'],
  ['Plattform', 'Plattformen'],
  ['Lösung', 'Lösungen'],
  ['Datei', 'Dateien'],
  ['Projekt', 'Projekte', 'Projekten', 'Projekts'],
  ['Mitarbeiter', 'Mitarbeitern', 'Mitarbeiterin', 'Mitarbeiterinnen'],
  ['Nutzer', 'Nutzern', 'Nutzerin', 'Nutzerinnen'],
  ['Straße', 'Straßen', 'Strassen'],
  ['Schulung', 'Schulungen'],
  ['Haltestelle', 'Haltestellen'],
  ['Kalender', 'Kalendern'],
  ['Ladesäule', 'Ladesäulen'],
  ['Tool', 'Tools'],
  ['Erfahrung', 'Erfahrungen', 'erfahren'],
];

/** Pairs that must keep different stems. */
const APART: [string, string][] = [
  ['Bürger', 'Burg'],
  ['Bürgerinnen', 'Burg'],
  ['Schulung', 'Schule'],
  ['Bildung', 'Bild'],
  ['Zeitung', 'Zeit'],
  ['Steuerung', 'Steuer'],
  ['Stiftung', 'Stift'],
  ['Sitzung', 'Sitz'],
  ['Änderung', 'andere'],
  ['Lehrer', 'lehren'],
  ['Rechner', 'rechnen'],
  ['Haus', 'Hau'],
  ['Glas', 'Gla'],
  ['Kreis', 'Krei'],
  ['Akte', 'Akt'],
  ['neuen', 'neun'],
  ['Digitalisierung', 'digital'],
  ['Angebot', 'Anbot'],
  ['Partner', 'Part'],
  ['Wasser', 'Wass'],
  ['Leitung', 'leiten'],
  ['Kurs', 'Kur'],
];

describe('stemming', () => {
  it(`unifies the ${UNIFY.length} inflection and derivation groups`, () => {
    const failed = UNIFY.filter((g) => new Set(g.map(st)).size !== 1).map(
      (g) => `${g.join('/')} → ${g.map(st).join('/')}`,
    );
    assert.deepEqual(failed, []);
  });

  it(`keeps the ${APART.length} pairs of different words apart`, () => {
    const failed = APART.filter(([a, b]) => st(a) === st(b)).map(([a, b]) => `${a} = ${b} (${st(a)})`);
    assert.deepEqual(failed, []);
  });

  it('is pinned: stems of sample words do not change silently', () => {
    assert.deepEqual(
      ['Bürgerinnen', 'Digitalisierung', 'Verwaltungen', 'Bauanträgen', 'eingereicht', 'Schulen'].map(st),
      ['burger', 'digitalisier', 'verwalt', 'bauantrag', 'einreich', 'schul'],
    );
  });
});

// ---------------------------------------------------------------------------------------------

const LEXICON = new Set(loadLexicon());
const LEX_STEMS = new Set([...LEXICON].map(stem));
const known = (p: string) => LEXICON.has(p) || LEX_STEMS.has(p);
const split = (w: string) => decompound(normalizeWord(w), known)?.map(stem) ?? null;

/** Compounds of the field and the stems of their expected parts. */
const COMPOUNDS: [string, string[]][] = [
  ['Verwaltungsdigitalisierung', ['verwalt', 'digitalisier']],
  ['Schulglasfaseranbindung', ['schul', 'glasfaser', 'anbind']],
  ['Bürgerbüro', ['burger', 'buro']],
  ['Breitbandausbau', ['breitband', 'ausbau']],
  ['Glasfaserausbau', ['glasfaser', 'ausbau']],
  ['Onlinezugangsgesetz', ['onlin', 'zugang', 'gesetz']],
  ['Rufbus', ['ruf', 'bus']],
  ['Bauantragsverfahren', ['bau', 'antrag', 'verfahr']],
  ['Ratsinformationssystem', ['rat', 'information', 'system']],
  ['Parkplatzsensoren', ['parkplatz', 'sensor']],
  ['Abfallkalender', ['abfall', 'kalender']],
  ['Straßenbeleuchtung', ['strass', 'beleucht']],
  ['Bürgerbeteiligungsplattform', ['burgerbeteilig', 'plattform']],
  ['Kitaplatz', ['kita', 'platz']],
  ['Wasserversorgung', ['wasser', 'versorg']],
  ['Energienetz', ['energi', 'netz']],
  ['Verkehrssensor', ['verkehr', 'sensor']],
  ['Schulportal', ['schul', 'portal']],
  ['Bürgerservicezentrum', ['burger', 'servic', 'zentrum']],
  ['Rathausportal', ['rathaus', 'portal']],
  ['Anrufbus', ['anruf', 'bus']],
  ['Abwassernetz', ['abwasser', 'netz']],
  ['Ladesäulennetz', ['ladesaul', 'netz']],
  ['Parkhausdaten', ['parkhaus', 'date']],
  ['Glasfaseranschluss', ['glasfaser', 'anschluss']],
  ['Mobilitätsplattform', ['mobilitat', 'plattform']],
  ['Klimaschutzkonzept', ['klimaschutz', 'konzept']],
  ['Abfallwirtschaft', ['abfall', 'wirtschaft']],
  ['Hochwassersensoren', ['hochwasser', 'sensor']],
  ['Feuerwehrhaus', ['feuerwehr', 'haus']],
];

describe('decompounding', () => {
  it(`splits the compounds of the field into their parts (${COMPOUNDS.length} compounds)`, () => {
    const wrong = COMPOUNDS.filter(([w, parts]) => JSON.stringify(split(w)) !== JSON.stringify(parts)).map(
      ([w, parts]) => `${w}: ${JSON.stringify(split(w))} ≠ ${JSON.stringify(parts)}`,
    );
    assert.deepEqual(wrong, []);
  });

  it('does not split simple words or words with unknown parts', () => {
    for (const w of ['Verwaltung', 'Digitalisierung', 'Information', 'Partner', 'Kalender', 'Beratung', 'Termin'])
      assert.equal(split(w), null, w);
    assert.equal(split('Quxbauzzz'), null);
  });

  it('prefers fewer parts, then fewer joining letters, and learns words from a corpus', () => {
    const lex = new Set(['glas', 'faser', 'glasfaser', 'ausbau']);
    assert.deepEqual(
      decompound('glasfaserausbau', (p) => lex.has(p)),
      ['glasfaser', 'ausbau'],
    );
    const learned = new Set(['windrad', 'wartung']);
    assert.deepEqual(
      decompound('windradwartung', (p) => learned.has(p)),
      ['windrad', 'wartung'],
    );
    assert.equal(
      decompound('windradwartung', () => false),
      null,
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('typo distance', () => {
  it('counts a swap of neighbours as one edit and stops early', () => {
    assert.equal(editDistance('glasfaserausbua', 'glasfaserausbau'), 1);
    assert.equal(editDistance('bauantarg', 'bauantrag'), 1);
    assert.equal(editDistance('verwaltnug', 'verwaltung'), 1);
    assert.equal(editDistance('kitta', 'kita'), 1);
    assert.equal(editDistance('rathaus', 'ratshaus'), 1);
    assert.equal(editDistance('abc', 'xyz', 1), 2);
    assert.equal(editDistance('bus', 'glasfaser', 2), 3);
  });
});

describe('thesaurus and lexicon', () => {
  it('loads the thesaurus: at least 50 groups, each with a source, and the groups the issue names', () => {
    const t = loadThesaurus();
    assert.ok(t.groups.length >= 50, `${t.groups.length} groups`);
    const together = (a: string, b: string) =>
      t.groups.some(
        (g) => g.terms.some((x) => phraseKey(x) === phraseKey(a)) && g.terms.some((x) => phraseKey(x) === phraseKey(b)),
      );
    for (const [a, b] of [
      ['Bürgeramt', 'Bürgerbüro'],
      ['Bürgeramt', 'Bürgerservice'],
      ['Bürgeramt', 'Bürgerzentrum'],
      ['ÖPNV', 'Nahverkehr'],
      ['ÖPNV', 'öffentlicher Personennahverkehr'],
      ['Rufbus', 'On-Demand-Verkehr'],
      ['Rufbus', 'Anrufbus'],
      ['Rufbus', 'Bedarfsverkehr'],
      ['E-Akte', 'elektronische Akte'],
      ['E-Akte', 'digitale Akte'],
      ['OZG', 'Onlinezugangsgesetz'],
      ['Ratsinfo', 'Ratsinformationssystem'],
      ['WLAN', 'WiFi'],
      ['WLAN', 'Hotspot'],
      ['Straßenlaterne', 'Straßenbeleuchtung'],
      ['Kita', 'Kindertagesstätte'],
      ['Photovoltaik', 'PV'],
      ['Photovoltaik', 'Solar'],
    ])
      assert.ok(together(a!, b!), `${a} ~ ${b}`);
    // Breitband finds Glasfaser only as a narrower term, never as an equivalent
    assert.equal(together('Breitband', 'Glasfaser'), false);
  });

  it('phrase keys are stems, so inflected phrases meet', () => {
    assert.equal(phraseKey('elektronischen Akten'), phraseKey('elektronische Akte'));
    assert.equal(phraseKey('öffentlichen Personennahverkehrs'), phraseKey('öffentlicher Personennahverkehr'));
  });

  it('the lexicon is folded and has a few hundred words', () => {
    assert.ok(LEXICON.size >= 300, `${LEXICON.size}`);
    assert.ok(LEXICON.has('burger') && LEXICON.has('strasse') && LEXICON.has('glasfaser'));
  });
});

describe('questions', () => {
  it('recognises a question by its question mark or its opening word', () => {
    assert.equal(isQuestion('Wie bekommen Schulen schnelles Internet?'), true);
    assert.equal(isQuestion('welche Kommunen haben einen Rufbus'), true);
    assert.equal(isQuestion('Rufbus auf dem Land?'), true);
    assert.equal(isQuestion('Rufbus auf dem Land'), false);
    assert.ok(QUESTION_VERBS.has('bekommen') && QUESTION_VERBS.has('abschaffen'));
    assert.ok(QUESTION_ACTORS.has(stem(normalizeWord('Kommunen'))));
    assert.ok(QUESTION_ACTORS.has(stem(normalizeWord('Gemeinden'))));
  });
});

describe('forEachWord', () => {
  it('finds exactly the words of WORD_PATTERN', () => {
    const texts = [
      'E-Akte, Bürger­büro (Öffnungszeiten) - 24/7 -- Kfz-Zulassung- -x x- a‐b‑c',
      'Straße ẞ café naïve é 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 abc😀def 1-2-3 -start end- İstanbul',
      '',
      '---',
      'ÄÖÜ-äöü_ß.x',
    ];
    for (const text of texts) {
      const got: string[] = [];
      forEachWord(text, (w) => got.push(w));
      assert.deepEqual(
        got,
        [...text.matchAll(WORD_PATTERN)].map((m) => m[0]),
        text,
      );
    }
  });
});
