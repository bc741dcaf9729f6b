/**
 * End-to-end: a member of a Gemeinde founds a cooperation group, starts a discussion, corrects their post, uploads
 * a document and deletes it — once with JavaScript on and once with it off; axe-core on the group page, the thread
 * and the edit form.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { ensureEmbeddedDefault } from '../../src/register/register.service.js';
import { expectNoAxeViolationsAtBothWidths, launchBrowser, signInWithLink, submitForm } from '../helpers/browser.js';
import { TEST_T } from '../helpers/deps.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
let browser: Browser | undefined;

before(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await ensureEmbeddedDefault(server.server.db);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

for (const javaScriptEnabled of [true, false]) {
  const tag = javaScriptEnabled ? 'js' : 'nojs';
  describe(`cooperation groups (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () => {
    it('found a group, discuss, correct a post, share and delete a document', async () => {
      const db = server!.server.db;
      const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
      const member = await createUserWithLoginLink(deps, `kooperation-${tag}@gemeinde.example`, false);
      const [region] = await db.query<{ key: string }>(
        "SELECT key FROM regions WHERE level IN ('gemeinde', 'kreis') ORDER BY key OFFSET $1 LIMIT 1",
        [javaScriptEnabled ? 0 : 1],
      );
      assert.ok(region, 'the embedded register has Kreise');
      const [org] = await db.query<{ id: number }>(
        "INSERT INTO organisations (kind, region_key, name) VALUES ('region', $1, $2) RETURNING id::int AS id",
        [region.key, `Gemeinde ${tag}`],
      );
      await db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
        org!.id,
        member.userId,
      ]);

      const { context, page } = await signInWithLink(browser!, server!.baseUrl, member.link, javaScriptEnabled);
      try {
        await page.goto('/kooperation/neu');
        const title = `Gemeinsames Bürgerportal ${tag}`;
        await page.locator('#title').fill(title);
        await page.locator('#description').fill('Wir beschaffen ein Bürgerportal gemeinsam.');
        await submitForm(page, 'Gruppe gründen');
        await page.getByRole('heading', { name: title, level: 1 }).waitFor();
        const groupUrl = new URL(page.url()).pathname;
        assert.match(groupUrl, /^\/kooperation\/\d+$/);

        await page.getByLabel('Titel', { exact: true }).fill('Anbieterauswahl');
        await page.getByLabel('Erster Beitrag').fill('Wir prüfen zwei Anbieter.');
        await submitForm(page, 'Diskussion beginnen');
        await page.getByRole('heading', { name: 'Anbieterauswahl', level: 1 }).waitFor();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);

        await Promise.all([
          page.waitForEvent('framenavigated'),
          page.getByRole('link', { name: /Beitrag bearbeiten \(Ihr Beitrag vom / }).click(),
        ]);
        await page.getByRole('heading', { name: 'Beitrag bearbeiten', level: 1 }).waitFor();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.getByRole('textbox').fill('Wir prüfen drei Anbieter.');
        await submitForm(page, 'Änderung speichern');
        await page.getByText('Der Beitrag ist geändert.').waitFor();
        await page.getByText('Wir prüfen drei Anbieter.').waitFor();
        assert.equal(await page.getByText('Wir prüfen zwei Anbieter.').count(), 0);
        await page.getByText(/\(geändert am /).waitFor();

        await page.goto(groupUrl);
        await page
          .getByLabel('Datei')
          .setInputFiles({ name: 'Protokoll.pdf', mimeType: 'application/pdf', buffer: PDF });
        await submitForm(page, 'Hochladen');
        await page.getByText('Das Dokument ist hochgeladen.').waitFor();
        await page.getByRole('link', { name: 'Protokoll.pdf' }).waitFor();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await submitForm(page, '„Protokoll.pdf“ löschen');
        await page.getByText('Das Dokument ist gelöscht.').waitFor();
        assert.equal(await page.getByRole('link', { name: 'Protokoll.pdf' }).count(), 0);
      } finally {
        await context.close();
      }
    });
  });
}
