import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { loadModel } from '../../assessment/index.js';
import { loadMeasures } from '../measures.js';

/**
 * The public pages of the measures catalogue (issue 9): /massnahmen with its filters (a plain GET form: each
 * filter alone, combined, an unknown value refused with the field named) and /massnahmen/:id (everything the
 * catalogue knows of a measure; 404 for an unknown id), in German and English.
 */
const catalogue = loadMeasures();
const model = loadModel(catalogue.modelVersion);
const TOTAL = catalogue.measures.length;

/** The ids of the measures a list page links to, in page order. */
const listed = (html: string) =>
  [...html.matchAll(/<h3 class="result__name"><a class="kern-link" href="\/massnahmen\/([^"]+)">/g)].map((m) => m[1]!);

/** The visible text: tags removed, entities decoded, spaces and line breaks (not the no-break space) collapsed. */
const text = (html: string) =>
  html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/[ \t\r\n]+/g, ' ');

const ids = (pred: (m: (typeof catalogue.measures)[number]) => boolean) =>
  catalogue.measures.filter(pred).map((m) => m.id);

for (const kind of databaseKinds()) {
  describe(`measures pages on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const get = (url: string, lang: 'de' | 'en' = 'de') =>
      app.inject({ url, headers: { accept: 'text/html', 'accept-language': lang } });

    before(async () => {
      t = await createTestDb(kind);
      app = await buildTestApp(t.db);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('lists the whole catalogue with ranges in German, a link per measure, and no script', async () => {
      const res = await get('/massnahmen');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      const html = res.body;
      assert.deepEqual(
        listed(html),
        catalogue.measures.map((m) => m.id),
      );
      assert.match(
        html,
        new RegExp(`<h2 class="kern-heading-medium" id="measures-count">${TOTAL} von ${TOTAL} Maßnahmen</h2>`),
      );
      const entry = (id: string) =>
        text(html.slice(html.indexOf(`id="m-${id}"`), html.indexOf('</li>', html.indexOf(`id="m-${id}"`))));
      const lora = entry('lorawan-ausbau-offen');
      assert.match(lora, /Aufwand 15–40 Personentage/);
      assert.match(lora, /Kosten einmalig 10\.000–80\.000\u00a0€/);
      assert.match(lora, /Kosten pro Jahr 3\.000–20\.000\u00a0€/);
      assert.match(lora, /Dauer 6–18 Monate/);
      assert.match(lora, /Dimensionen Infrastruktur & Konnektivität/);
      const kpi = entry('kennzahlen-festlegen');
      assert.match(kpi, /Kosten einmalig keine Kosten pro Jahr keine/);
      assert.match(kpi, /Dimensionen Strategie & Steuerung Sektoren Verwaltung/);
      // The short description is the first sentence, not cut at "z. B.".
      assert.match(kpi, /Ein kleiner, fester Satz von Kennzahlen \(z\. B\. Anteil .*dem Rat berichtet\. Dimensionen/);
      assert.doesNotMatch(kpi, /Nur was gemessen wird/);
      assert.doesNotMatch(html, /<script/);
      // Breadcrumbs, the open-data link, a GET form that needs no script.
      assert.match(
        html,
        /<nav aria-label="Brotkrumennavigation"[\s\S]*?<a href="\/">Start<\/a>[\s\S]*?<span aria-current="page">Maßnahmenkatalog<\/span>/,
      );
      assert.match(html, /href="\/api\/v1\/measures"/);
      assert.match(html, /<form method="get" action="\/massnahmen"/);
    });

    test('filters by sector, by dimension and by size class, each alone', async () => {
      const cases: [string, string[]][] = [
        ['sektor=bildung', ids((m) => m.sectors.includes('bildung'))],
        ['dimension=is', ids((m) => m.dimensions.includes('is'))],
        ['groesse=%3C2000', ids((m) => m.sizes.includes('<2000'))],
      ];
      for (const [query, expected] of cases) {
        const res = await get(`/massnahmen?${query}`);
        assert.equal(res.statusCode, 200, query);
        assert.ok(expected.length > 0 && expected.length < TOTAL, query);
        assert.deepEqual(listed(res.body), expected, query);
        assert.match(res.body, new RegExp(`>${expected.length} von ${TOTAL} Maßnahmen<`), query);
        assert.match(res.body, /href="\/massnahmen">Alle Maßnahmen anzeigen</, query);
      }
      // The choice stays selected.
      const size = await get('/massnahmen?groesse=%3C2000');
      assert.match(size.body, /<option value="&lt;2000" selected>unter 2\.000 Einwohner<\/option>/);
      // Small Gemeinden do not see the traffic control centre of a city.
      assert.ok(!listed(size.body).includes('verkehrsleitzentrale'));
    });

    test('combines the filters, and says when nothing matches', async () => {
      const expected = ids(
        (m) => m.sectors.includes('verwaltung') && m.dimensions.includes('sg') && m.sizes.includes('<2000'),
      );
      const res = await get('/massnahmen?sektor=verwaltung&dimension=sg&groesse=%3C2000');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(listed(res.body), expected);
      assert.ok(expected.length < ids((m) => m.sectors.includes('verwaltung') && m.dimensions.includes('sg')).length);
      assert.match(res.body, new RegExp(`>${expected.length} von ${TOTAL} Maßnahmen<`));
      for (const [name, value] of [
        ['sektor', 'verwaltung'],
        ['dimension', 'sg'],
      ]) {
        assert.match(res.body, new RegExp(`<select[^>]*name="${name}"[\\s\\S]*?<option value="${value}" selected>`));
      }
      // Empty values mean "all".
      const all = await get('/massnahmen?sektor=&dimension=&groesse=');
      assert.equal(listed(all.body).length, TOTAL);
      const none = ids(
        (m) => m.sectors.includes('gesundheit-pflege') && m.sizes.includes('<2000') && m.dimensions.includes('bt'),
      );
      const empty = await get('/massnahmen?sektor=gesundheit-pflege&dimension=bt&groesse=%3C2000');
      assert.equal(listed(empty.body).length, none.length);
      if (none.length === 0) assert.match(empty.body, /Keine Maßnahme passt zu diesen Filtern\./);
    });

    test('refuses an unknown filter value with 400, the field named and linked, the other choices kept', async () => {
      const res = await get('/massnahmen?sektor=raumfahrt&dimension=sg');
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /<title>Fehler: Maßnahmenkatalog/);
      assert.match(res.body, /class="kern-alert kern-alert--danger error-summary"/);
      assert.match(
        res.body,
        /<a href="#sektor">Sektor: „raumfahrt“ gibt es nicht\. Wählen Sie einen Sektor aus der Liste\.<\/a>/,
      );
      assert.match(
        res.body,
        /<select class="kern-form-input__select kern-form-input__select--error" id="sektor" name="sektor" aria-invalid="true" aria-describedby="sektor-error">/,
      );
      assert.match(res.body, /<option value="sg" selected>/);
      assert.deepEqual(listed(res.body), [], 'no list that looks filtered but is not');
      const size = await get('/massnahmen?groesse=riesig&dimension=xx', 'en');
      assert.equal(size.statusCode, 400);
      assert.match(size.body, /Dimension: &quot;xx&quot; does not exist/);
      assert.match(size.body, /Size of the municipality: &quot;riesig&quot; does not exist/);
      // A parameter given twice is not a choice from the list either.
      const twice = await get('/massnahmen?sektor=bildung&sektor=verwaltung');
      assert.equal(twice.statusCode, 400);
    });

    test('shows a measure with ranges, what it raises, prerequisites, suits, standards, funding, indicators, sources', async () => {
      const m = catalogue.measures.find((x) => x.id === 'lorawan-ausbau-offen')!;
      const res = await get('/massnahmen/lorawan-ausbau-offen');
      assert.equal(res.statusCode, 200);
      const html = res.body;
      const body = text(html);
      assert.match(html, new RegExp(`<h1 class="kern-heading-large">${m.title.de}</h1>`));
      assert.ok(body.includes(m.description.de));
      assert.match(
        body,
        /Aufwand 15–40 Personentage Kosten einmalig 10\.000–80\.000\u00a0€ Kosten pro Jahr 3\.000–20\.000\u00a0€ Dauer 6–18 Monate/,
      );
      const q = model.questions.find((x) => x.id === 'ic-03')!;
      assert.ok(body.includes(`${q.text.de} bis Stufe 4 „Führend“`), body);
      for (const pre of m.prerequisites) {
        const title = catalogue.measures.find((x) => x.id === pre)!.title.de;
        assert.ok(html.includes(`<a class="kern-link" href="/massnahmen/${pre}">${title}</a>`), pre);
      }
      assert.match(body, /Größen 5\.000 bis unter 20\.000 Einwohner; 20\.000 bis unter 100\.000 Einwohner/);
      assert.doesNotMatch(body, /unter 2\.000 Einwohner/);
      assert.match(body, /Arten Kreisangehörige Gemeinden, Kreisfreie Städte, Landkreise/);
      assert.match(html, /<code>lorawan<\/code>[\s\S]*<code>ogc-sensorthings<\/code>/);
      assert.match(html, /<a class="kern-link" href="https:\/\/www\.smart-city-dialog\.de">/);
      for (const i of m.indicators) assert.ok(body.includes(i.de));
      for (const ref of m.sources) {
        const s = catalogue.sources.find((x) => x.id === ref.id)!;
        assert.ok(html.includes(`<a class="kern-link" href="${s.url}">`), ref.id);
      }
      assert.match(body, /– Sensorik/);
      // Breadcrumbs: home › catalogue › this measure.
      assert.match(html, /<a href="\/massnahmen">Maßnahmenkatalog<\/a>[\s\S]*?<span aria-current="page">/);
      assert.doesNotMatch(html, /<script/);

      // A measure others build on lists them; one without prerequisites says it can start at once.
      const root = await get('/massnahmen/digitalbeauftragte-benennen');
      const rootBody = text(root.body);
      assert.match(rootBody, /Keine – die Maßnahme kann sofort beginnen\./);
      for (const id of ids((x) => x.prerequisites.includes('digitalbeauftragte-benennen'))) {
        assert.match(root.body, new RegExp(`href="/massnahmen/${id}"`));
      }
      // A funding programme without a reliable address is named without a link.
      const unlinked = catalogue.funding.find((f) => f.url === null)!;
      const user = catalogue.measures.find((x) => x.funding.includes(unlinked.id))!;
      const page = await get(`/massnahmen/${user.id}`);
      assert.ok(text(page.body).includes(`${unlinked.name.de} (keine gesicherte Adresse bekannt)`));
    });

    test('answers an unknown measure with a 404 page that leads back to the catalogue', async () => {
      const res = await get('/massnahmen/gibt-es-nicht');
      assert.equal(res.statusCode, 404);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /<h1 class="kern-heading-large">Maßnahme nicht gefunden<\/h1>/);
      assert.match(res.body, /keine Maßnahme „gibt-es-nicht“/);
      assert.match(res.body, /<a class="kern-link" href="\/massnahmen">Zurück zum Maßnahmenkatalog<\/a>/);
      const escaped = await get(`/massnahmen/${encodeURIComponent('<b>x</b>')}`);
      assert.equal(escaped.statusCode, 404);
      assert.doesNotMatch(escaped.body, /<b>x<\/b>/);
    });

    test('speaks English through the language switch', async () => {
      const switched = await app.inject({ url: '/sprache?lang=en&zurueck=%2Fmassnahmen%3Fsektor%3Dbildung' });
      assert.equal(switched.statusCode, 303);
      assert.equal(switched.headers.location, '/massnahmen?sektor=bildung');
      const setCookie = [switched.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('lang='));
      const cookie = setCookie!.split(';')[0]!;
      assert.equal(cookie, 'lang=en');
      const res = await app.inject({ url: '/massnahmen?sektor=bildung', headers: { accept: 'text/html', cookie } });
      const n = ids((m) => m.sectors.includes('bildung')).length;
      assert.match(res.body, /<html lang="en">/);
      assert.match(res.body, new RegExp(`>${n} of ${TOTAL} measures<`));
      assert.match(res.body, /<option value="bildung" selected>Education<\/option>/);
      const detail = await app.inject({
        url: '/massnahmen/lorawan-ausbau-offen',
        headers: { accept: 'text/html', cookie },
      });
      const body = text(detail.body);
      const m = catalogue.measures.find((x) => x.id === 'lorawan-ausbau-offen')!;
      assert.ok(body.includes(m.title.en));
      assert.match(
        body,
        /Effort 15–40 person-days One-off cost €10,000–80,000 Cost per year €3,000–20,000 Duration 6–18 months/,
      );
      assert.match(body, /up to level 4 "Leading"/);
      assert.doesNotMatch(body, /Personentage/);
      const missing = await app.inject({ url: '/massnahmen/nope', headers: { accept: 'text/html', cookie } });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /Measure not found/);
    });
  });
}
