import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, settle } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { GV100AD_2025, realDataAvailable } from '../../../test/helpers/shared-data.js';
import { insertStrategies, type TestStrategy } from '../../../test/helpers/strategies.js';
import { sizeClassOf } from '../../assessment/model.js';
import { publish } from '../../platform/events/events.js';
import { ensureEmbeddedDefault, importGv100ad } from '../../register/register.service.js';
import { STRATEGY_EVENTS } from '../events.js';
import type { StrategyLagebild } from '../lagebild.js';
import { strategyLagebildFigures } from '../lagebild.service.js';

const available = realDataAvailable();

/** The visible text of an HTML fragment. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\s+/g, ' ')
    .trim();

/** The row of a table (by its id) whose row header is `name`, as text. */
function row(html: string, tableId: string, name: string): string {
  const table = html.slice(html.indexOf(`id="${tableId}"`), html.indexOf('</table>', html.indexOf(`id="${tableId}"`)));
  const rows = table.split('<tr').map((r) => text(`<tr${r}`));
  const found = rows.find((r) => r.startsWith(`${name} `));
  assert.ok(found, `row "${name}" in ${tableId}: ${rows.join(' | ')}`);
  return found;
}

/**
 * The strategy figures on the Lagebild (issue 9), on the real register: adoptions by Land and size class with
 * the k ≥ 5 rule and complementary suppression, measures done by sector and dimension, on the page and in the open
 * data — after a release, which the strategy events trigger also when no check changed.
 */
for (const kind of databaseKinds()) {
  describe(`strategy figures on the Lagebild on ${kind}`, { skip: !available && 'shared data not present' }, () => {
    let t: TestDb;
    let app: FastifyInstance;
    /** Small Gemeinden (under 2,000 inhabitants) per Land, by key. */
    const small: Record<string, string[]> = {};
    const strategy = async () =>
      (await app.inject('/api/v1/lagebild')).json().contributions.strategy as StrategyLagebild;
    const page = async (lang = 'de') =>
      (await app.inject({ url: '/lagebild', headers: { accept: 'text/html', 'accept-language': lang } })).body;

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      await importGv100ad(t.db, { fileName: 'GV100AD_30112025.txt', data: fs.readFileSync(GV100AD_2025) });
      app = await buildTestApp(t.db);
      await settle(app); // the import's event: the first release
      const rows = await t.db.query<{ key: string; stateKey: string; population: number | null }>(
        `SELECT key, state_key AS "stateKey", population FROM regions
         WHERE level = 'gemeinde' AND valid_to IS NULL AND population BETWEEN 100 AND 1999 ORDER BY key`,
      );
      for (const r of rows) {
        small[r.stateKey] ??= [];
        small[r.stateKey]!.push(r.key);
      }
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    const adopted = (state: string, i: number, items: TestStrategy['items'] = [], o: Partial<TestStrategy> = {}) =>
      ({
        regionKey: small[state]![i]!,
        status: 'adopted',
        sizeClass: sizeClassOf(500),
        items,
        ...o,
      }) satisfies TestStrategy;
    const beauftragte = [
      { measureId: 'digitalbeauftragte-benennen', status: 'done' },
      { measureId: 'steuerungsgruppe-einrichten', status: 'in_progress' },
      { measureId: 'ausgangslage-erheben', status: 'planned' },
    ] as const;
    const schulIt = [
      { measureId: 'schul-it-wartungsvertrag', status: 'done' },
      { measureId: 'medienentwicklungsplan', status: 'dropped' },
    ] as const;

    test('before any adoption: zeros, released with the first Lagebild', async () => {
      const s = await strategy();
      assert.equal(s.adopted.total.adopted, 0);
      assert.ok(s.adopted.total.municipalities > 10_000, 'the register’s Gemeinden are the denominator');
      assert.equal(Object.keys(s.adopted.byState).length, 16);
      assert.equal(s.includesDemo, false);
      assert.match(text(await page()), /Bisher hat keine Gemeinde eine beschlossene Digitalstrategie eingetragen/);
    });

    test('adoptions reach the Lagebild by event; a Land with 4 adoptions shows none', async () => {
      const before = await strategy();
      await insertStrategies(t.db, [
        // Schleswig-Holstein: 6 Gemeinden; the first also has an older, superseded version (counted once).
        adopted('01', 0, beauftragte, { status: 'superseded' }),
        ...[0, 1, 2, 3, 4].map((i) => adopted('01', i, beauftragte)),
        adopted('01', 5),
        // Niedersachsen: 5; four of them did the school IT contract, one an energy measure.
        ...[0, 1, 2, 3].map((i) => adopted('03', i, schulIt)),
        adopted('03', 4, [{ measureId: 'energiemonitoring-gebaeude', status: 'done' }]),
        // Thüringen: 4.
        ...[0, 1, 2, 3].map((i) => adopted('16', i, beauftragte)),
        // Not adopted, not counted: a draft and a strategy submitted to the council (Bayern); a Kreis.
        adopted('09', 0, beauftragte, { status: 'draft' }),
        adopted('09', 1, beauftragte, { status: 'submitted' }),
        { regionKey: '01051', status: 'adopted', items: beauftragte },
      ]);
      // Nothing is released without an event (or the scheduled run, off in tests).
      assert.deepEqual(await strategy(), before);
      await publish(t.db, STRATEGY_EVENTS.adopted, { regionKey: small['16']![3]! });
      await settle(app);

      const s = await strategy();
      assert.equal(s.adopted.total.adopted, 15);
      assert.deepEqual(s.adopted.byState['01'], {
        adopted: 6,
        municipalities: s.adopted.byState['01']!.municipalities,
        share: Math.round((6 / s.adopted.byState['01']!.municipalities) * 10_000) / 10_000,
      });
      assert.equal(s.adopted.byState['16']!.adopted, null, 'Thüringen: 4 adoptions are not shown');
      assert.equal(s.adopted.byState['16']!.share, null);
      assert.equal(s.adopted.byState['03']!.adopted, null, 'Niedersachsen withheld: 15 − 6 − 5 would be 4');
      assert.deepEqual(s.suppressed.byState, { '03': 'complementary', '16': 'primary' });
      assert.equal(s.adopted.byState['09']!.adopted, 0, 'a draft and a submitted strategy are not adopted');
      assert.equal(s.adopted.bySize['<2000']!.adopted, 15);
      assert.deepEqual(s.done.bySector.verwaltung, { measures: 9, municipalities: 9 });
      assert.deepEqual(s.done.byDimension.sg, { measures: 9, municipalities: 9 });
      assert.equal(s.done.bySector.bildung, null, 'the school IT contract in 4 Gemeinden only');
      assert.equal(s.done.byDimension.ic, null);
      assert.equal(s.done.bySector['energie-umwelt'], null);
      assert.equal(s.includesDemo, false);

      // The open data are the stored figures, complete (the API serialises them with the schema).
      assert.deepEqual(s, await strategyLagebildFigures(t.db));

      const de = await page();
      assert.match(
        text(de),
        /15 von [\d.]+ Gemeinden \([\d,]+ %\) haben eine Digitalstrategie, die ihr Rat beschlossen hat/,
      );
      assert.match(row(de, 'strategies-by-state', 'Schleswig-Holstein'), /^Schleswig-Holstein [\d.]+ 6 [\d,]+$/);
      assert.match(row(de, 'strategies-by-state', 'Thüringen'), /^Thüringen [\d.]+ weniger als 5 –$/);
      assert.match(row(de, 'strategies-by-state', 'Niedersachsen'), /^Niedersachsen [\d.]+ zurückgehalten –$/);
      assert.match(row(de, 'strategies-done-by-sector', 'Verwaltung'), /^Verwaltung 9 9$/);
      assert.match(row(de, 'strategies-done-by-sector', 'Bildung'), /^Bildung weniger als 5 Gemeinden –$/);
      assert.match(de, /<caption id="strategies-by-state-caption"[^>]*>Beschlossene Digitalstrategien nach Land/);
      assert.match(de, /<th scope="row" class="kern-table__cell">Thüringen<\/th>/);
      const en = await page('en');
      assert.match(
        text(en),
        /15 of [\d,]+ municipalities \([\d.]+ %\) have a digital strategy adopted by their council/,
      );
      assert.match(row(en, 'strategies-by-state', 'Thuringia'), /^Thuringia [\d,]+ fewer than 5 –$/);
    });

    test('progress on a measure and a fifth adoption are released by their events', async () => {
      // Niedersachsen's fifth Gemeinde adopts a new version with the school IT contract done as well.
      const [old] = await t.db.query<{ id: number }>(
        "SELECT id::int AS id FROM strategies WHERE region_key = $1 AND status = 'adopted'",
        [small['03']![4]!],
      );
      await t.db.query("UPDATE strategies SET status = 'superseded' WHERE id = $1", [old!.id]);
      await insertStrategies(t.db, [
        adopted('03', 4, [...schulIt, { measureId: 'energiemonitoring-gebaeude', status: 'done' }]),
      ]);
      await publish(t.db, STRATEGY_EVENTS.measureStatusChanged, { measureId: 'schul-it-wartungsvertrag' });
      await settle(app);
      let s = await strategy();
      assert.deepEqual(s.done.bySector.bildung, { measures: 5, municipalities: 5 });
      assert.deepEqual(s.done.byDimension.ic, { measures: 5, municipalities: 5 });
      assert.equal(s.adopted.total.adopted, 15, 'the new version does not count twice');

      // Thüringen's fifth: every Land has 5 or more, all are shown.
      await insertStrategies(t.db, [adopted('16', 4)]);
      await publish(t.db, STRATEGY_EVENTS.published, {});
      await settle(app);
      s = await strategy();
      assert.equal(s.adopted.byState['16']!.adopted, 5);
      assert.equal(s.adopted.byState['03']!.adopted, 5);
      assert.deepEqual(s.suppressed.byState, {});
      assert.match(row(await page(), 'strategies-by-state', 'Thüringen'), /^Thüringen [\d.]+ 5 [\d,]+$/);
    });

    test('demo strategies are marked; the Digitalcheck figures stay as they were', async () => {
      const before = (await app.inject('/api/v1/lagebild')).json();
      await insertStrategies(t.db, [adopted('07', 0, [], { isDemo: true })]);
      await publish(t.db, STRATEGY_EVENTS.adopted, {});
      await settle(app);
      const after = (await app.inject('/api/v1/lagebild')).json();
      assert.equal(after.contributions.strategy.includesDemo, true);
      assert.equal(after.contributions.strategy.adopted.total.adopted, 17);
      assert.equal(after.includesDemo, false, 'no demo checks');
      assert.deepEqual(after.participation, before.participation);
      assert.match(
        text(await page()),
        /Demodaten: Diese Zahlen enthalten erfundene Beispiel-Strategien/,
        'the section says so',
      );
      // The CSV (the Digitalcheck figures) still answers.
      const csv = await app.inject('/api/v1/lagebild?format=csv');
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.match(csv.body, /^group,key,name,submitted/);
    });

    test('the OpenAPI document describes the figures', async () => {
      const doc = (await app.inject('/api/v1/openapi.json')).json();
      const ok = doc.paths['/api/v1/lagebild'].get.responses['200'];
      const schema = ok.content['application/json'].schema;
      const strategy = schema.properties.contributions.properties.strategy;
      assert.ok(strategy.properties.adopted.properties.byState, JSON.stringify(strategy).slice(0, 300));
      assert.ok(strategy.properties.done.properties.bySector);
      assert.ok(ok.content['text/csv']);
    });
  });
}
