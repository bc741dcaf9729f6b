import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadLexicon, loadThesaurus } from '../analysis.js';
import { createMemoryEngine, type SearchDoc, type SearchQuery, type SearchResult } from '../engine.js';
import { EMPTY_FACETS, SAMPLE_PRACTICES } from './sample-practices.js';

const LEXICON = loadLexicon();
const THESAURUS = loadThesaurus();

function sampleEngine() {
  const e = createMemoryEngine({ lexicon: LEXICON, thesaurus: THESAURUS });
  e.replaceAll(SAMPLE_PRACTICES);
  return e;
}
const ENGINE = sampleEngine();
const TITLE = new Map(SAMPLE_PRACTICES.map((d) => [d.id, d.title]));

const q = (text: string, more: Partial<SearchQuery> = {}): SearchQuery => ({
  q: text,
  filters: {},
  limit: 10,
  offset: 0,
  ...more,
});
const titles = (r: SearchResult) => r.hits.map((h) => TITLE.get(h.id));
const top = (text: string, engine = ENGINE) => titles(engine.search(q(text)))[0];
const doc = (id: number, title: string, description = '', more: Partial<SearchDoc> = {}): SearchDoc => ({
  id,
  title,
  summary: '',
  tags: [],
  description,
  facets: EMPTY_FACETS,
  sortKey: id,
  ...more,
});

describe('German recall on the sample practices', () => {
  it('"Bauanträge digital einreichen" finds "Digitaler Bauantrag" first', () => {
    assert.equal(top('Bauanträge digital einreichen'), 'Digitaler Bauantrag');
    assert.equal(top('Wie kann ich Bauanträge digital einreichen?'), 'Digitaler Bauantrag');
  });

  it('"Verwaltungsdigitalisierung" ↔ "Digitalisierung der Verwaltung", both ways', () => {
    const a = titles(ENGINE.search(q('Verwaltungsdigitalisierung')));
    assert.ok(a.includes('Digitalisierung der Verwaltung in kleinen Gemeinden'), a.join(' | '));
    assert.ok(a.includes('Einführung der E-Akte in der Kreisverwaltung'), 'tag Verwaltungsdigitalisierung');
    const b = titles(ENGINE.search(q('Digitalisierung der Verwaltung')));
    assert.equal(b[0], 'Digitalisierung der Verwaltung in kleinen Gemeinden');
    assert.ok(b.includes('Einführung der E-Akte in der Kreisverwaltung'), b.join(' | '));
  });

  it('"Glasfaser Schulen" ↔ "Schulglasfaseranbindung"', () => {
    assert.equal(top('Glasfaser Schulen'), 'Glasfaseranbindung aller Schulen');
    assert.equal(top('Schulglasfaseranbindung'), 'Glasfaseranbindung aller Schulen');
    const e = createMemoryEngine({ lexicon: LEXICON });
    e.replaceAll([doc(1, 'Schulglasfaseranbindung im Kreis'), doc(2, 'Glasfaser für Haushalte'), doc(3, 'Schulen')]);
    assert.equal(e.search(q('Glasfaser Schulen')).hits[0]!.id, 1);
  });

  it('missing umlauts and typos: "Burgerbuero", "Glasfaserausbua", "Bauantarg" with corrections reported', () => {
    assert.equal(top('Burgerbuero'), 'Bürgerbüro mit Online-Terminvergabe');
    assert.deepEqual(ENGINE.search(q('Burgerbuero')).corrected, [], 'umlaut folding, no correction needed');
    const typo = ENGINE.search(q('Bauantarg'));
    assert.equal(titles(typo)[0], 'Digitaler Bauantrag');
    assert.deepEqual(typo.corrected, [{ from: 'Bauantarg', to: 'Bauantrag' }]);
    const compound = ENGINE.search(q('Glasfaserausbua'));
    assert.deepEqual(compound.corrected, [{ from: 'Glasfaserausbua', to: 'Glasfaserausbau' }]);
    assert.ok(titles(compound).includes('Breitbandausbau im ländlichen Raum'));
    // a word in the index is never "corrected"
    assert.deepEqual(ENGINE.search(q('Rufbus')).corrected, []);
  });

  it('corrections prefer the more frequent of equally near words', () => {
    const e = createMemoryEngine();
    e.replaceAll([doc(1, 'Parkhaus'), doc(2, 'Parkhaus Nord'), doc(3, 'Parkhaus Süd'), doc(4, 'Parkbaus')]);
    assert.deepEqual(e.search(q('Parkhaub')).corrected, [{ from: 'Parkhaub', to: 'Parkhaus' }]);
  });

  it('synonyms of the issue find each other, with a lower weight than the literal term', () => {
    const pairs: [string, string][] = [
      ['Bürgeramt', 'Bürgerbüro mit Online-Terminvergabe'],
      ['Bürgerservice', 'Bürgerbüro mit Online-Terminvergabe'],
      ['Nahverkehr', 'Rufbus für die Dörfer im Landkreis'],
      ['On-Demand-Verkehr', 'Rufbus für die Dörfer im Landkreis'],
      ['Anrufbus', 'Rufbus für die Dörfer im Landkreis'],
      ['Bedarfsverkehr', 'Rufbus für die Dörfer im Landkreis'],
      ['elektronische Akte', 'Einführung der E-Akte in der Kreisverwaltung'],
      ['digitale Akte', 'Einführung der E-Akte in der Kreisverwaltung'],
      ['Straßenlaterne', 'Intelligente Straßenbeleuchtung'],
      ['Kindertagesstätte', 'Online-Anmeldung für Kitaplätze'],
      ['PV', 'Photovoltaik auf kommunalen Dächern'],
      ['Ratsinfo', 'Ratsinformationssystem für alle Gremien'],
      ['WiFi', 'Freies WLAN auf dem Marktplatz'],
      ['Onlinezugangsgesetz', 'Digitalisierung der Verwaltung in kleinen Gemeinden'],
    ];
    for (const [query, want] of pairs) {
      const got = titles(ENGINE.search(q(query)));
      assert.ok(got.includes(want), `${query}: ${got.join(' | ')}`);
    }
    const e = createMemoryEngine({ thesaurus: THESAURUS });
    e.replaceAll([doc(1, 'Der Rufbus fährt'), doc(2, 'Der Anrufbus fährt')]);
    assert.deepEqual(titles(e.search(q('Rufbus'))).length, 2);
    assert.equal(e.search(q('Rufbus')).hits[0]!.id, 1, 'literal before synonym');
    assert.deepEqual(e.search(q('Rufbus')).hits[1]!.matched, ['Anrufbus']);
  });

  it('Breitband finds Glasfaser (narrower), Glasfaser does not find every Breitband project', () => {
    const e = createMemoryEngine({ thesaurus: THESAURUS });
    e.replaceAll([doc(1, 'Glasfaser im Dorf'), doc(2, 'Breitband per Funk')]);
    assert.deepEqual(
      e.search(q('Breitband')).hits.map((h) => h.id),
      [2, 1],
    );
    assert.deepEqual(
      e.search(q('Glasfaser')).hits.map((h) => h.id),
      [1],
    );
  });

  it('a natural question still finds the Rufbus project (OR fallback)', () => {
    assert.equal(top('Wie finde ich einen Rufbus auf dem Land?'), 'Rufbus für die Dörfer im Landkreis');
  });
});

describe('ranking', () => {
  const e = createMemoryEngine({ lexicon: LEXICON });
  e.replaceAll([
    doc(1, 'Projekt Nord', 'Hier geht es um einen Abfallkalender für die Stadt.'),
    doc(2, 'Abfallkalender', 'Ein Projekt für die Stadt.'),
    doc(3, 'Glasfaser Ausbau', 'Schnell.'),
    doc(4, 'Glasfaser und noch viel mehr zum schnellen Ausbau', 'Schnell.'),
    doc(5, 'Ausbau der Wege', 'Die Glasfaser liegt schon.'),
  ]);

  it('the title beats the description', () => {
    assert.deepEqual(
      e.search(q('Abfallkalender')).hits.map((h) => h.id),
      [2, 1],
    );
  });

  it('the exact phrase beats scattered words', () => {
    assert.deepEqual(
      e
        .search(q('Glasfaser Ausbau'))
        .hits.map((h) => h.id)
        .slice(0, 2),
      [3, 4],
    );
  });

  it('reports the matched query terms for highlighting', () => {
    const r = e.search(q('Glasfaser Ausbau'));
    assert.deepEqual(r.hits[0]!.matched, ['Glasfaser', 'Ausbau']);
  });

  it('AND when enough documents have every term, OR with a coverage bonus otherwise', () => {
    const many = createMemoryEngine();
    const docs: SearchDoc[] = [];
    for (let i = 1; i <= 12; i++) docs.push(doc(i, `Sensor Wasser ${i}`));
    docs.push(doc(100, 'Sensor allein'));
    many.replaceAll(docs);
    assert.equal(many.search(q('Sensor Wasser')).total, 12, 'AND: the lone sensor is not a hit');
    many.remove(1);
    many.remove(2);
    many.remove(3);
    const or = many.search(q('Sensor Wasser'));
    assert.equal(or.total, 10, 'nine AND hits are too few: OR');
    assert.equal(or.hits.at(-1)!.id, 100, 'covering one term of two ranks last');
  });
});

describe('filters and facets', () => {
  it('values within a facet OR, across facets AND', () => {
    const r = ENGINE.search(
      q('', { filters: { sector: ['mobilitaet', 'energie'], status: ['operation'] }, limit: 50 }),
    );
    const ids = r.hits.map((h) => h.id).sort((a, b) => a - b);
    assert.deepEqual(ids, [2, 6, 8, 20, 29]);
    assert.equal(r.total, 5);
  });

  it('counts facets disjunctively: a facet ignores its own filter, not the others', () => {
    const r = ENGINE.search(q('', { filters: { sector: ['mobilitaet'], status: ['operation'] } }));
    const sector = Object.fromEntries(r.facets.sector.map((f) => [f.value, f.count]));
    const status = Object.fromEntries(r.facets.status.map((f) => [f.value, f.count]));
    // sector counts: all operating projects by sector
    assert.equal(sector.mobilitaet, 4);
    assert.equal(sector.verwaltung, 8);
    // status counts: all mobility projects by status
    assert.deepEqual(status, { operation: 4 });
    // sorted by count, then value
    const counts = r.facets.sector.map((f) => f.count);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
    );
    // a state the filters exclude is still counted under its own facet only through the others' filters
    assert.equal(
      r.facets.state.reduce((s, f) => s + f.count, 0),
      4,
    );
  });

  it('facet counts follow the query', () => {
    const r = ENGINE.search(q('Sensoren'));
    const sector = Object.fromEntries(r.facets.sector.map((f) => [f.value, f.count]));
    assert.ok(sector.mobilitaet! >= 1 && sector.umwelt! >= 1 && sector.sicherheit! >= 1, JSON.stringify(sector));
    assert.equal(sector.bildung, undefined);
  });

  it('a selected value without hits is listed with count 0; an unknown value matches nothing', () => {
    const r = ENGINE.search(q('', { filters: { state: ['99'] } }));
    assert.equal(r.total, 0);
    assert.deepEqual(
      r.facets.state.find((f) => f.value === '99'),
      { value: '99', count: 0 },
    );
  });
});

describe('index maintenance and empty queries', () => {
  it('an empty query lists all documents matching the filters, newest first, with paging', () => {
    const r = ENGINE.search(q('', { limit: 3 }));
    assert.equal(r.total, 30);
    assert.deepEqual(
      r.hits.map((h) => h.id),
      [30, 29, 28],
    );
    assert.deepEqual(
      ENGINE.search(q('   ', { limit: 2, offset: 3 })).hits.map((h) => h.id),
      [27, 26],
    );
    assert.equal(ENGINE.search(q('der die das')).total, 30, 'stop words only = empty');
  });

  it('upsert replaces a document, remove removes it', () => {
    const e = createMemoryEngine();
    e.replaceAll([doc(1, 'Rufbus im Kreis'), doc(2, 'Parkhaus')]);
    assert.equal(e.size, 2);
    e.upsert(doc(1, 'Ladesäulen im Kreis'));
    assert.equal(e.size, 2);
    assert.equal(e.search(q('Rufbus')).total, 0);
    assert.deepEqual(
      e.search(q('Ladesäulen')).hits.map((h) => h.id),
      [1],
    );
    e.remove(2);
    e.remove(2);
    assert.equal(e.size, 1);
    assert.equal(e.search(q('Parkhaus')).total, 0);
    assert.equal(e.search(q('')).total, 1);
    assert.deepEqual(e.suggest('Park', 5), []);
    e.upsert(doc(3, 'Parkhaus Süd'));
    assert.deepEqual(
      e.search(q('Parkhaus')).hits.map((h) => h.id),
      [3],
    );
  });

  it('survives many replacements (compaction keeps ids, scores and facets)', () => {
    const e = createMemoryEngine();
    const f = { ...EMPTY_FACETS, state: ['09'] };
    for (let round = 0; round < 5; round++)
      for (let i = 0; i < 600; i++) e.upsert(doc(i, `Projekt ${round} Nummer${i}`, '', { facets: f, sortKey: i }));
    assert.equal(e.size, 600);
    assert.deepEqual(
      e.search(q('Nummer17')).hits.map((h) => h.id),
      [17],
    );
    assert.equal(e.search(q('4', { filters: { state: ['09'] } })).total, 600);
    assert.equal(e.search(q('3')).total, 0);
    assert.deepEqual(
      e.search(q('', { limit: 1 })).hits.map((h) => h.id),
      [599],
    );
  });
});

describe('suggestions', () => {
  it('completes a prefix of at least two letters with original spellings, frequent first', () => {
    const s = ENGINE.suggest('bü', 5);
    assert.ok(s.length > 0 && s.every((x) => /^bü/i.test(x)), s.join(' | '));
    assert.ok(s.includes('Bürger'), s.join(' | '));
    assert.deepEqual(ENGINE.suggest('b', 5), []);
    assert.ok(ENGINE.suggest('glas', 5).includes('Glasfaser'));
    assert.ok(ENGINE.suggest('Buerger', 10).includes('Bürgerbüro'), 'folded prefix finds the umlaut spelling');
    assert.deepEqual(ENGINE.suggest('digitaler b', 5), ['Digitaler Bauantrag']);
  });

  it('ranks by frequency', () => {
    const e = createMemoryEngine();
    e.replaceAll([doc(1, 'Sensorik'), doc(2, 'Sensoren am Bach'), doc(3, 'Sensoren im Park'), doc(4, 'Sensoren')]);
    assert.equal(e.suggest('sens', 3)[0], 'Sensoren');
  });
});

describe('questions, frequent words and long typos', () => {
  // 30 filler documents so that "Kommune" is not a frequent word of the corpus
  const filler = Array.from({ length: 30 }, (_, i) => doc(100 + i, `Projekt ${i}`, `Text über Nummer${i}.`));

  it('a question does not require its actor ("Welche Kommunen …") nor its verb ("bekommen")', () => {
    const e = createMemoryEngine();
    e.replaceAll([
      ...filler,
      doc(1, 'Rufbus im Landkreis', 'Der Rufbus fährt nach Bedarf.'),
      doc(2, 'Kommunen teilen sich eine Plattform', 'Mehrere Kommunen arbeiten zusammen.'),
      doc(3, 'Glasfaser für die Schulen', 'Die Schulen werden angeschlossen.'),
    ]);
    const ids = (text: string) => e.search(q(text)).hits.map((h) => h.id);
    assert.deepEqual(ids('Welche Kommunen haben einen Rufbus?'), [1]);
    // the same words without a question: Kommunen is a topic and required (OR fallback finds both)
    assert.deepEqual(new Set(ids('Kommunen Rufbus')), new Set([1, 2]));
    assert.deepEqual(ids('Wie bekommen Schulen Glasfaser?'), [3]);
  });

  it('a word in more than 30 % of the documents is optional beside a rarer word', () => {
    const docs = Array.from({ length: 30 }, (_, i) => doc(i + 1, `Digital Nummer${i}`, ''));
    docs.push(doc(99, 'Tourismus im Ort', 'Gäste und Tourismus.'));
    const e = createMemoryEngine();
    e.replaceAll(docs);
    // AND would find nothing and OR would return 31 documents; the frequent word only ranks
    const r = e.search(q('Tourismus digital'));
    assert.equal(r.total, 1);
    assert.equal(r.hits[0]!.id, 99);
  });

  it('a long unknown word one edit from an indexed word is corrected before it is split', () => {
    const e = createMemoryEngine();
    e.replaceAll([
      ...filler,
      doc(1, 'Ratsinformationssystem der Stadt'),
      doc(2, 'Rat und Information'),
      doc(3, 'System der Information'),
    ]);
    const r = e.search(q('Ratsinformationsystem'));
    assert.deepEqual(r.corrected, [{ from: 'Ratsinformationsystem', to: 'Ratsinformationssystem' }]);
    assert.deepEqual(
      r.hits.map((h) => h.id),
      [1],
    );
  });

  it('a corrected word keeps its thesaurus group and is not split into parts', () => {
    const e = createMemoryEngine({ lexicon: LEXICON, thesaurus: THESAURUS });
    e.replaceAll([
      ...filler,
      doc(1, 'Das Onlinezugangsgesetz umsetzen'),
      doc(2, 'OZG in der Stadt'),
      doc(3, 'Online Zugang zum Gesetz', 'Ein Gesetz und ein Zugang, online.'),
    ]);
    const r = e.search(q('Onlinezugangsgestz'));
    assert.deepEqual(r.corrected, [{ from: 'Onlinezugangsgestz', to: 'Onlinezugangsgesetz' }]);
    const ids = r.hits.map((h) => h.id);
    assert.equal(ids[0], 1);
    assert.ok(ids.includes(2), 'the abbreviation of the thesaurus group is found');
  });
});

describe('facet counts over bitmaps', () => {
  it('stay exact and disjunctive after removals and compaction', () => {
    const e = createMemoryEngine();
    const docs = Array.from({ length: 3000 }, (_, i) =>
      doc(i + 1, `Sensor ${i % 3 === 0 ? 'Park' : 'Bach'}`, '', {
        facets: { ...EMPTY_FACETS, state: [i % 2 ? '09' : '05'], sector: i % 5 ? ['umwelt'] : ['umwelt', 'energie'] },
      }),
    );
    e.replaceAll(docs);
    for (let id = 1; id <= 2000; id++) e.remove(id); // more removed than live: compaction
    const live = docs.slice(2000);
    const r = e.search(q('Sensor', { filters: { state: ['09'] } }));
    assert.equal(r.total, live.filter((d) => d.facets.state[0] === '09').length);
    const stateCount = (v: string) => r.facets.state.find((f) => f.value === v)?.count;
    // the state facet is counted without its own filter
    assert.equal(stateCount('05'), live.filter((d) => d.facets.state[0] === '05').length);
    const energy = r.facets.sector.find((f) => f.value === 'energie')?.count;
    assert.equal(energy, live.filter((d) => d.facets.state[0] === '09' && d.facets.sector.includes('energie')).length);
    const empty = e.search(q('', { filters: { sector: ['energie'] } }));
    assert.equal(empty.total, live.filter((d) => d.facets.sector.includes('energie')).length);
    assert.equal(
      empty.facets.sector.find((f) => f.value === 'umwelt')?.count,
      live.length,
      'own facet: counted over all live documents',
    );
  });
});

describe('kept orders and suggestion arrays', () => {
  it('the empty-query order stays newest first through upserts and removals (no full re-sort)', () => {
    const e = createMemoryEngine({ lexicon: LEXICON });
    let state = 17;
    const rand = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const docs = new Map<number, number>();
    const put = (id: number) => {
      const sortKey = Math.floor(rand() * 50);
      docs.set(id, sortKey);
      e.upsert({ ...doc(id, `Projekt ${id}`), sortKey });
    };
    for (let id = 1; id <= 60; id++) put(id);
    e.search(q('')); // the order exists from here on
    for (let k = 0; k < 200; k++) {
      const id = 1 + Math.floor(rand() * 80);
      if (rand() < 0.3) {
        e.remove(id);
        docs.delete(id);
      } else put(id);
    }
    const want = [...docs].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([id]) => id);
    const got = e.search(q('', { limit: 1000 })).hits.map((h) => h.id);
    assert.deepEqual(got, want);
  });

  it('suggestions for a smaller limit are the head of those for a larger one (the early stop is exact)', () => {
    const words = ['Digital', 'Digitalisierung', 'Digitalpakt', 'Dienst', 'Dienstleistung', 'Dialog', 'Diesel'];
    const docs: SearchDoc[] = [];
    for (let i = 0; i < 120; i++)
      docs.push(doc(i + 1, `${words[i % words.length]} ${words[(i * 3) % words.length]}`, words[(i * 5) % 7]));
    const e = createMemoryEngine({ lexicon: LEXICON });
    e.replaceAll(docs);
    const all = e.suggest('di', 100);
    assert.ok(all.length > 8);
    for (let k = 1; k <= all.length; k++) assert.deepEqual(e.suggest('di', k), all.slice(0, k));
    e.remove(1);
    e.upsert(doc(500, 'Dienstleistung Dienstleistung', 'Dienstleistung'));
    assert.ok(e.suggest('dienstl', 3).includes('Dienstleistung'));
  });
});

describe('multi-valued facet counts', () => {
  it('equal a brute-force count after compaction renumbers the slots', () => {
    const e = createMemoryEngine();
    const sectors = ['umwelt', 'energie', 'bildung', 'verwaltung'];
    const facetsOf = (i: number) => ({
      ...EMPTY_FACETS,
      state: [i % 2 ? '09' : '05'],
      sector: [...new Set([sectors[i % 4]!, sectors[(i * 7) % 4]!, sectors[(i * 3) % 5 === 0 ? 2 : i % 4]!])],
    });
    const docs = Array.from({ length: 1500 }, (_, i) => doc(i + 1, 'Sensor', '', { facets: facetsOf(i) }));
    e.replaceAll(docs);
    for (let id = 1; id <= 1200; id += 1) if (id % 3 !== 0) e.remove(id);
    const extra = doc(5000, 'Sensor', '', { facets: facetsOf(5) });
    e.upsert(extra); // more removed than live: this add compacts
    const live = [...docs.filter((d) => d.id > 1200 || d.id % 3 === 0), extra];
    for (const text of ['', 'Sensor']) {
      const r = e.search(q(text, { filters: { state: ['09'] } }));
      for (const s of sectors) {
        const want = live.filter((d) => d.facets.state[0] === '09' && d.facets.sector.includes(s)).length;
        assert.equal(r.facets.sector.find((f) => f.value === s)?.count ?? 0, want, `${text}: ${s}`);
      }
    }
  });
});
