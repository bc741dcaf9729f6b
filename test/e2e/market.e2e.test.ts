/**
 * End-to-end in Chromium, once with JavaScript and once without: a provider creates a solution naming a
 * publiccode.yml URL (a local fixture server), takes over its details, registers a GTFS feed of the solution for
 * checking and waits for the verdict, submits; a centre advisor publishes it; the provider asks a municipality for a
 * reference, whose admin confirms it; a member of another municipality compares it with two other published
 * solutions and downloads the CSV. axe-core on every page of the way.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { zipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { emptySolution } from '../../src/market/solutions/model.js';
import * as solutions from '../../src/market/solutions/solutions.service.js';
import { makeAdvisor } from '../../src/organisations/organisations.service.js';
import { ROOT } from '../../src/platform/paths.js';
import {
  expectNoAxeViolationsAtBothWidths,
  signInWithLink,
  startServerAndBrowser,
  submitForm,
} from '../helpers/browser.js';
import { TEST_T } from '../helpers/deps.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, realDataAvailable } from '../helpers/shared-data.js';

const HAVE_DATA = realDataAvailable();
const FIX = path.join(ROOT, 'test/fixtures/market');
let server: TestServer | undefined;
let browser: Browser | undefined;
let closeAll: (() => Promise<void>) | undefined;
let fixtures: http.Server | undefined;
let fixtureBase = '';

before(async () => {
  if (!HAVE_DATA) return;
  const gtfsDir = path.join(FIX, 'gtfs/valid');
  const zip = zipSync(
    Object.fromEntries(fs.readdirSync(gtfsDir).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(gtfsDir, f)))])),
  );
  const publiccode = fs.readFileSync(path.join(FIX, 'publiccode/solution-de-en.yml'));
  fixtures = http.createServer((req, res) => {
    if (req.url === '/publiccode.yml') {
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(publiccode);
    } else if (req.url === '/gtfs.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from(zip));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => fixtures!.listen(0, '127.0.0.1', r));
  fixtureBase = `http://127.0.0.1:${(fixtures.address() as AddressInfo).port}`;
  ({ server, browser, close: closeAll } = await startServerAndBrowser(GV100AD_2025, { CHECK_ALLOW_PRIVATE: 'true' }));
});
after(async () => {
  await closeAll?.();
  await new Promise<void>((r) => (fixtures ? fixtures.close(() => r()) : r()));
});

const PLACES = {
  // GV100AD 2025-11: the municipality confirming the reference and the one comparing.
  js: { referee: '08421000', comparer: '08115021' },
  nojs: { referee: '05111000', comparer: '05315000' },
};

const signIn = (link: string, javaScriptEnabled: boolean) =>
  signInWithLink(browser!, server!.baseUrl, link, javaScriptEnabled);

const submit = submitForm;

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'nojs';
  const p = PLACES[mode];
  describe(`the solution market (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('created, prefilled from publiccode.yml, GTFS checked, published, referenced, compared, exported', async () => {
      const db = server!.server.db;
      const deps = { db, mailer: { send: async () => ({ id: 0 }) }, publicUrl: server!.baseUrl, t: TEST_T };
      const sdeps = { ...deps, now: () => new Date() };
      const user = async (name: string) => createUserWithLoginLink(deps, `${name}-${mode}@example.org`, false);
      const [provider, advisor, refAdmin, comparer] = [
        await user('anbieter'),
        await user('zentrum'),
        await user('chefin'),
        await user('vergleich'),
      ];
      await makeAdvisor(db, advisor.userId, null);
      const member = async (org: number, u: number, role: string) =>
        db.query('INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3)', [org, u, role]);
      const providerName = `Anbieter ${mode} GmbH`;
      const [prov] = await db.query<{ id: number }>(
        "INSERT INTO organisations (kind, name) VALUES ('provider', $1) RETURNING id::int AS id",
        [providerName],
      );
      await member(prov!.id, provider.userId, 'admin');
      for (const [region, u] of [
        [p.referee, refAdmin.userId],
        [p.comparer, comparer.userId],
      ] as const) {
        const [org] = await db.query<{ id: number }>(
          "INSERT INTO organisations (kind, region_key, name) SELECT 'region', key, name FROM regions WHERE key = $1 RETURNING id::int AS id",
          [region],
        );
        await member(org!.id, u, region === p.referee ? 'admin' : 'member');
      }

      // The provider creates the solution with its publiccode.yml URL and takes over the details.
      const pr = await signIn(provider.link, javaScriptEnabled);
      await pr.page.goto('/loesungen/neu');
      await expectNoAxeViolationsAtBothWidths(pr.page, javaScriptEnabled);
      await pr.page.locator('#name').fill(`Mobilität ${mode}`);
      await pr.page.locator('#summary').fill('Kurz.');
      await pr.page.locator('#problem').fill('Fahrpläne offen.');
      await pr.page.locator('input[name="sectors"][value="verwaltung"]').check();
      await pr.page.locator('input[name="operatingModels"][value="saas"]').check();
      await pr.page.locator('#priceModel').selectOption('free');
      await pr.page.locator('#publiccodeUrl').fill(`${fixtureBase}/publiccode.yml`);
      await submit(pr.page, 'Speichern');
      assert.match(pr.page.url(), /\/loesungen\/\d+\?hinweis=angelegt/);
      const url = new URL(pr.page.url()).pathname;
      const id = Number(url.split('/').pop());
      await expectNoAxeViolationsAtBothWidths(pr.page, javaScriptEnabled);
      await submit(pr.page, 'Angaben aus publiccode.yml übernehmen');
      await pr.page.getByText('in den Entwurf übernommen').waitFor();
      await pr.page.getByRole('heading', { level: 1, name: 'Mobilitätsdaten-Plattform' }).waitFor();
      await expectNoAxeViolationsAtBothWidths(pr.page, javaScriptEnabled);

      // It registers the solution's GTFS feed and waits for the verdict.
      await pr.page.goto('/konformitaet/neu');
      await expectNoAxeViolationsAtBothWidths(pr.page, javaScriptEnabled);
      await pr.page.locator('#org').selectOption({ label: providerName });
      await pr.page.locator('#subject').selectOption('solution');
      await pr.page.locator('#solution').fill(String(id));
      await pr.page.locator('#standard').selectOption('gtfs');
      await pr.page.locator('#url').fill(`${fixtureBase}/gtfs.zip`);
      await submit(pr.page, 'Anmelden und prüfen');
      const checked = pr.page.getByText(/Geprüft am/);
      for (let i = 0; i < 120 && !(await checked.count()); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        await server!.server.app.platform.events.drain();
        await pr.page.reload();
      }
      await checked.first().waitFor();
      // The fixture feed is the valid handwritten one: the platform's own check says so (never the claim).
      const verdicts = await pr.page.locator('main').innerText();
      assert.match(verdicts, /\bkonform\b/);
      assert.doesNotMatch(verdicts, /nicht konform|nicht prüfbar/);
      await expectNoAxeViolationsAtBothWidths(pr.page, javaScriptEnabled);

      // Submitted; a centre advisor publishes it.
      await pr.page.goto(url);
      await submit(pr.page, 'Zur Prüfung einreichen');
      await pr.page.getByText('Eingereicht.').waitFor();
      const a = await signIn(advisor.link, javaScriptEnabled);
      await a.page.goto('/loesungen/pruefung');
      await expectNoAxeViolationsAtBothWidths(a.page, javaScriptEnabled);
      await a.page.goto(url);
      await expectNoAxeViolationsAtBothWidths(a.page, javaScriptEnabled);
      await submit(a.page, 'Veröffentlichen');
      await a.page.getByText('Veröffentlicht.').first().waitFor();
      await server!.server.app.platform.events.drain();

      // The provider asks a municipality for a reference; its admin confirms.
      await pr.page.goto(url);
      await pr.page.locator('#region').fill(p.referee);
      await submit(pr.page, 'Referenz anfragen');
      await pr.page.getByText('Die Referenz ist angefragt').waitFor();
      await expectNoAxeViolationsAtBothWidths(pr.page, javaScriptEnabled);
      const r = await signIn(refAdmin.link, javaScriptEnabled);
      await r.page.goto(url);
      await expectNoAxeViolationsAtBothWidths(r.page, javaScriptEnabled);
      await submit(r.page, 'Wir nutzen die Lösung: bestätigen');
      await r.page.getByText('Ihre Entscheidung ist gespeichert.').waitFor();

      // Two other published solutions, through the services.
      const provActor = { id: provider.userId, email: `anbieter-${mode}@example.org`, isPlatformAdmin: false };
      const advActor = { id: advisor.userId, email: `zentrum-${mode}@example.org`, isPlatformAdmin: false };
      const others: number[] = [];
      for (const name of [`Fahrplanauskunft ${mode}`, `Ratsinfo ${mode}`]) {
        const oid = await solutions.createSolution(sdeps, provActor, prov!.id, {
          ...emptySolution(),
          name,
          summary: `${name} kurz.`,
          problem: 'Ein Problem.',
          sectors: ['verwaltung'],
          operatingModels: ['saas'],
          licence: 'proprietär',
          priceModel: 'on-request',
        });
        await solutions.submitSolution(sdeps, provActor, oid);
        await solutions.reviewSolution(sdeps, advActor, oid, { publish: true, note: '' });
        others.push(oid);
      }

      // Another municipality's member compares the three and downloads the CSV.
      const c = await signIn(comparer.link, javaScriptEnabled);
      const ids = [id, ...others].join(',');
      await c.page.goto(`/loesungen/vergleich?ids=${ids}`);
      await c.page.getByRole('heading', { name: 'Lösungen vergleichen' }).waitFor();
      await expectNoAxeViolationsAtBothWidths(c.page, javaScriptEnabled);
      const csvLink = c.page.getByRole('link', { name: 'Als CSV herunterladen (Excel)' });
      const href = await csvLink.getAttribute('href');
      const csv = await c.page.request.get(href!);
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-type'] ?? '', /text\/csv/);
      const body = await csv.text();
      for (const name of ['Mobilitätsdaten-Plattform', `Fahrplanauskunft ${mode}`, `Ratsinfo ${mode}`]) {
        assert.ok(body.includes(name), `CSV names ${name}`);
      }
      assert.match(body, /Apache-2\.0/);
      for (const ctx of [pr.context, a.context, r.context, c.context]) await ctx.close();
    });
  });
}
