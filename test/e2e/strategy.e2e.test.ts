/**
 * End-to-end: from a submitted Digitalcheck to an adopted, published digital strategy, as a Gemeinde of about
 * 5,000 inhabitants does it — a member drafts the strategy from the result, removes one measure, adds another,
 * looks at a measure, the settings, the versions and their diff, the council document, downloads it as PDF and
 * DOCX; the workspace's admin records the council's decision and publishes it; the public page and the profile
 * show it. Once with JavaScript and once without; axe-core on every page of the way, at 1280 and 320 px.
 *
 * Time-to-strategy: the test counts the form submissions and the characters typed between the submitted check
 * and the adopted document, prints them and writes bench/results/strategy-journey-*.json (nothing is timed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeResult } from '../../bench/common.js';
import { saveAnswer, startCheck, submitCheck } from '../../src/assessment/assessment.service.js';
import { seedDemo } from '../../src/assessment/demo.js';
import { applicableQuestions, loadModel } from '../../src/assessment/model.js';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { decideRequest, requestAccess } from '../../src/organisations/organisations.service.js';
import {
  expectNoAxeViolationsAtBothWidths,
  newContext,
  signInWithLink,
  startServerAndBrowser,
  submitForm,
} from '../helpers/browser.js';
import { TEST_T } from '../helpers/deps.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, realDataAvailable } from '../helpers/shared-data.js';

const HAVE_DATA = realDataAvailable();
let server: TestServer | undefined;
let browser: Browser | undefined;
let closeAll: (() => Promise<void>) | undefined;

before(async () => {
  if (!HAVE_DATA) return;
  ({ server, browser, close: closeAll } = await startServerAndBrowser(GV100AD_2025));
  await seedDemo(server.server.db, { share: 0.05, seed: 9 });
  await server.server.app.platform.events.drain();
});
after(() => closeAll?.());

const GEMEINDEN = {
  // Gemeinden of about 5,000 inhabitants (GV100AD 2025-11), the size of the promise.
  js: { ags: '09176120', name: 'Denkendorf' },
  nojs: { ags: '06632011', name: 'Kirchheim' },
};

/** What the people did on the way: submissions and characters typed. */
class Cost {
  submissions = 0;
  typed = 0;
}

const signIn = (link: string, javaScriptEnabled: boolean) =>
  signInWithLink(browser!, server!.baseUrl, link, javaScriptEnabled, { acceptDownloads: true });

/** Submit a form and wait for the page it leads to. */
async function submit(page: Page, cost: Cost, name: string | RegExp) {
  await submitForm(page, name);
  cost.submissions++;
}

async function download(page: Page, name: string): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name, exact: true }).first().click(),
  ]);
  const p = await file.path();
  return fs.readFileSync(p!);
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'nojs';
  const g = GEMEINDEN[mode];
  describe(`the strategy of ${g.name} (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('from the submitted check to an adopted, published strategy in a few submissions and no typing', async () => {
      const db = server!.server.db;
      const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
      const adminMail = `buergermeisterin-${mode}@gemeinde.example`;
      const memberMail = `digital-${mode}@gemeinde.example`;
      const admin = await createUserWithLoginLink(deps, adminMail, false);
      const member = await createUserWithLoginLink(deps, memberMail, false);
      const platform = await createUserWithLoginLink(deps, `plattform-${mode}@zentrum.example`, true);
      const orgId = await requestAccess(
        deps,
        { id: admin.userId, email: adminMail, isPlatformAdmin: false },
        g.ags,
        '',
      );
      const [req] = await db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [
        orgId,
      ]);
      await decideRequest(
        deps,
        { id: platform.userId, email: 'p', isPlatformAdmin: true },
        orgId,
        req!.id,
        true,
        'admin',
      );
      await db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')", [
        orgId,
        member.userId,
      ]);
      // The submitted check the journey starts from (its answers are not part of this journey).
      const who = { id: member.userId, email: memberMail, isPlatformAdmin: false };
      const checkId = await startCheck(db, who, orgId);
      const [{ population } = { population: 0 }] = await db.query<{ population: number }>(
        'SELECT population FROM regions WHERE key = $1',
        [g.ags],
      );
      const questions = applicableQuestions(loadModel(), { population, kind: 'gemeinde' });
      for (const [i, q] of questions.entries()) {
        await saveAnswer(db, who, checkId, q.id, {
          value: String(i % 3),
          comment: '',
          evidenceUrl: '',
          expectedVersion: 0,
        });
      }
      await submitCheck(db, who, checkId);

      const cost = new Cost();
      const m = await signIn(member.link, javaScriptEnabled);
      const a = await signIn(admin.link, javaScriptEnabled);
      try {
        const page = m.page;
        await page.goto(`/digitalcheck/${checkId}/ergebnis`);
        await submit(page, cost, 'Strategie entwerfen');
        await page.getByRole('heading', { level: 1, name: /Digitalstrategie/ }).waitFor();
        assert.match(await page.locator('main').innerText(), /Ihr Entwurf ist fertig/);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        const main = await page.locator('main').innerText();
        assert.match(main, /Weil Ihre Antwort zu „/);
        const count = Number(/Maßnahmen \((\d+)\)/.exec(main)![1]);
        assert.ok(count >= 5, `${count} measures`);

        // Remove the last measure, add one from the catalogue.
        const removeButtons = page.getByRole('button', { name: /^Entfernen: / });
        const removedName = (await removeButtons.last().innerText()).replace(/^Entfernen: /, '');
        await Promise.all([page.waitForEvent('framenavigated'), removeButtons.last().click()]);
        await page.waitForLoadState('load');
        cost.submissions++;
        await page.getByText('Gespeichert.', { exact: true }).waitFor();
        assert.match(await page.locator('main').innerText(), new RegExp(`Maßnahmen \\(${count - 1}\\)`));
        const select = page.getByLabel('Maßnahme hinzufügen');
        const options = await select.locator('option').allInnerTexts();
        const addedName = options.find((o) => o !== 'Bitte wählen' && o !== removedName)!;
        await select.selectOption({ label: addedName });
        await submit(page, cost, 'Hinzufügen');
        await page.getByText('Gespeichert.', { exact: true }).waitFor();
        assert.match(await page.locator('main').innerText(), new RegExp(`Maßnahmen \\(${count}\\)`));
        assert.ok((await page.locator('main').innerText()).includes(addedName));

        // The pages around it: a measure, the settings, versions, the diff, the document.
        await page.getByRole('link', { name: `Ändern: ${addedName}` }).click();
        await page.getByRole('heading', { level: 1, name: addedName }).waitFor();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.getByRole('link', { name: 'Zurück zur Strategie' }).click();
        await page.getByRole('link', { name: /Titel, Vision, Beginn/ }).click();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.goBack();
        await page.getByRole('link', { name: /Alle Stände und Änderungen/ }).click();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.getByLabel('Stand 1 als älteren Stand').check();
        await page.getByRole('button', { name: 'Vergleichen' }).click();
        await page.getByRole('heading', { level: 1, name: /Unterschiede/ }).waitFor();
        const diff = await page.locator('main').innerText();
        assert.ok(diff.includes(`Entfernt: „${removedName}“`), diff);
        assert.ok(diff.includes(`Hinzugefügt: „${addedName}“`), diff);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.goBack();
        await page.goBack();
        await page.getByRole('link', { name: 'Im Browser ansehen' }).click();
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        assert.match(await page.locator('main').innerText(), new RegExp(g.name));
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.goBack();

        // Downloads: the PDF has the name and the added measure as text; the DOCX is a Word file.
        const pdf = await download(page, 'Als PDF herunterladen');
        assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strategie-'));
        fs.writeFileSync(path.join(dir, 's.pdf'), pdf);
        const text = execFileSync('pdftotext', ['-layout', path.join(dir, 's.pdf'), '-'])
          .toString()
          .replace(/\s+/g, ' ');
        assert.ok(text.includes(g.name), 'the PDF names the municipality');
        assert.ok(text.includes(addedName.slice(0, 25)), 'the PDF lists the added measure');
        const docx = await download(page, 'Als Word-Datei (DOCX) herunterladen');
        assert.equal(docx.subarray(0, 2).toString(), 'PK');

        // The admin records the council's decision (the date is filled in) and publishes it.
        const adminPage = a.page;
        const strategyUrl = new URL(page.url()).pathname;
        await adminPage.goto(strategyUrl);
        await submit(adminPage, cost, 'Beschluss festhalten');
        assert.match(await adminPage.locator('main').innerText(), /beschlossen am/);
        await expectNoAxeViolationsAtBothWidths(adminPage, javaScriptEnabled);
        await submit(adminPage, cost, 'Veröffentlichen');
        assert.match(await adminPage.locator('main').innerText(), /veröffentlicht/);

        // Everyone sees it on the profile and its public page.
        const anon = await (
          await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true })
        ).newPage();
        await anon.goto(`/kommunen/${g.ags}`);
        await anon.getByRole('link', { name: 'Zur Digitalstrategie' }).click();
        assert.match(await anon.locator('main').innerText(), new RegExp(addedName.slice(0, 25)));
        await expectNoAxeViolationsAtBothWidths(anon, javaScriptEnabled);
        await anon.context().close();

        console.log(`strategy journey ${mode}: ${cost.submissions} submissions, ${cost.typed} characters typed`);
        writeResult(`strategy-journey-${mode}`, { submissions: cost.submissions, typed: cost.typed, measures: count });
        assert.ok(cost.submissions <= 10, `${cost.submissions} submissions`);
        assert.equal(cost.typed, 0, 'no mandatory free text');
      } finally {
        await m.context.close();
        await a.context.close();
      }
    });
  });
}
