/**
 * End-to-end: the small Gemeinde's whole journey in one go, as its digital officer walks it — the profile of
 * the Gemeinde → sign-up → "Ihre Kommune finden" → the request (mail to the Land's advisors, who decide; the
 * decision by mail) → the Digitalcheck with a question put off and one handed to a colleague invited by mail →
 * the summary with its warning → submit → the locked check → the result with level names, next steps, named
 * peer groups and the demo label → publish → the public profile shows it → withdraw. Once with JavaScript
 * and once without, at 1280 px with axe-core also at 320 px on the pages of the way.
 *
 * It also records what the journey costs a person — form submissions, characters typed, words on the pages
 * read — and prints it (and writes bench/results/journey-*.json) for the closing notes; nothing is timed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeResult } from '../../bench/common.js';
import { seedDemo } from '../../src/assessment/demo.js';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { makeAdvisor } from '../../src/organisations/organisations.service.js';
import { expectNoAxeViolationsAtBothWidths, newContext, startServerAndBrowser } from '../helpers/browser.js';
import { TEST_T } from '../helpers/deps.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, realDataAvailable } from '../helpers/shared-data.js';

const HAVE_DATA = realDataAvailable();
const PASSWORD = 'Unser Rathaus hat 3 Türme und einen Brunnen';
/** Reading speed for text one acts on (the same as the check's estimate, src/assessment/estimate.ts). */
const WORDS_PER_MINUTE = 200;

let server: TestServer | undefined;
let browser: Browser | undefined;
let closeAll: (() => Promise<void>) | undefined;

before(async () => {
  if (!HAVE_DATA) return;
  ({ server, browser, close: closeAll } = await startServerAndBrowser(GV100AD_2025));
  // Demo checks give the peer comparison something to compare with (and must be labelled where they enter).
  await seedDemo(server.server.db, { share: 0.05, seed: 3 });
  await server.server.app.platform.events.drain();
});
after(() => closeAll?.());

/** What the person did and read on the way. */
class Journey {
  submissions = 0;
  typed = 0;
  words = 0;
  pages = 0;
  private readonly seen = new Set<string>();

  constructor(readonly page: Page) {}

  /** Count the words of the page's main content once per distinct page (what a person reads there). */
  async read(): Promise<string> {
    const text = await this.page.locator('main').innerText();
    const key = `${new URL(this.page.url()).pathname}\n${text.slice(0, 200)}`;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.pages++;
      this.words += text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    }
    return text;
  }

  async fill(label: string | RegExp, value: string, exact = false) {
    await this.page.getByLabel(label, { exact }).fill(value);
    this.typed += value.length;
  }

  async submit(name: string | RegExp) {
    await this.page.getByRole('button', { name }).click();
    this.submissions++;
  }

  /** Submit a form that leads to another page, and wait until that page is there. */
  async submitAndGo(name: string | RegExp) {
    const before = this.page.url();
    await Promise.all([this.page.waitForURL((u) => u.href !== before), this.submit(name)]);
    await this.page.waitForLoadState('load');
  }
}

async function newestMail(to: string, kind: string): Promise<string> {
  await server!.server.app.platform.tasks.idle();
  const rows = await server!.server.db.query<{ body: string }>(
    'SELECT body_text AS body FROM mail_outbox WHERE to_address = $1 AND kind = $2 ORDER BY id DESC LIMIT 1',
    [to, kind],
  );
  assert.ok(rows[0], `a ${kind} mail to ${to}`);
  return rows[0].body;
}

function linkIn(body: string, path: string): string {
  const m = body.match(new RegExp(`https?://[^\\s]*(${path}[^\\s]*)`));
  assert.ok(m, `a link to ${path} in:\n${body}`);
  return m[1]!;
}

const GEMEINDEN = {
  // A Gemeinde of about 5,000 inhabitants and one of about 1,500 (GV100AD 2025-11), both in Bayern.
  js: { ags: '09176120', name: 'Denkendorf', inhabitants: 5036 },
  nojs: { ags: '09190120', name: 'Eberfing', inhabitants: 1503 },
};

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'nojs';
  const g = GEMEINDEN[mode];
  describe(`the journey of ${g.name}, ${g.inhabitants} inhabitants (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('from the profile to a published result and back, without a dead end', async () => {
      const db = server!.server.db;
      const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
      const email = `digital-${mode}@${g.name.toLowerCase()}.example`;
      const colleagueEmail = `kaemmerei-${mode}@${g.name.toLowerCase()}.example`;
      // The advisor of the competence centre for Bayern decides, as the workspace has no admin yet.
      const advisorEmail = `beratung-bayern-${mode}@zentrum.example`;
      const advisor = await createUserWithLoginLink(deps, advisorEmail, false);
      await makeAdvisor(db, advisor.userId, '09');

      const context = await newContext(browser!, {
        baseURL: server!.baseUrl,
        javaScriptEnabled,
        bypassCSP: true,
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      const j = new Journey(page);
      try {
        // 1. The Gemeinde's profile, read before anything else; then sign up.
        await page.goto(`/kommunen/${g.ags}`);
        await page.getByRole('heading', { name: g.name, level: 1 }).waitFor();
        assert.match(await j.read(), /Noch kein veröffentlichtes Ergebnis/);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.goto('/registrieren');
        await j.read();
        await j.fill('E-Mail-Adresse', email);
        await j.fill('Passwort', PASSWORD, true);
        await j.submit('Konto anlegen');
        await page.getByRole('heading', { name: 'Bitte prüfen Sie Ihr Postfach' }).waitFor();
        await j.read();
        await page.goto(linkIn(await newestMail(email, 'verify-email'), '/konto/bestaetigen'));
        await page.getByRole('link', { name: 'Anmelden' }).last().click();
        await j.fill('E-Mail-Adresse', email);
        await j.fill('Passwort', PASSWORD);
        await j.submit('Anmelden');

        // 2. Without a workspace the first sign-in leads to "Ihre Kommune finden".
        await page.getByRole('heading', { name: 'Ihre Kommune finden', level: 1 }).waitFor();
        await j.read();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await j.fill('Name, Postleitzahl oder Gemeindeschlüssel', g.name);
        await j.submit('Suchen');
        await page.getByRole('heading', { name: /Treffer für/ }).waitFor();
        await j.read();
        await page.locator(`a[href="/organisationen/beitreten?region=${g.ags}"]`).click();
        await page.getByRole('heading', { name: /^Zugang beantragen/ }).waitFor();
        await j.read();
        await j.fill('Notiz (optional)', 'Digitalbeauftragte');
        await j.submit('Antrag senden');
        await page.getByText('Ihr Antrag ist eingegangen').waitFor();
        await j.read();
        const workspacePath = new URL(page.url()).pathname;

        // 3. The mail reaches the decider with the note; the advisor approves; the decision reaches the applicant.
        assert.match(await newestMail(advisorEmail, 'access-request'), /Digitalbeauftragte/);
        const advisorContext = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled });
        try {
          const adv = await advisorContext.newPage();
          await adv.goto(advisor.link);
          await adv.getByRole('button', { name: 'Jetzt anmelden' }).click();
          await adv.goto(workspacePath);
          await adv.getByText('Digitalbeauftragte').first().waitFor();
          await adv.getByRole('button', { name: 'Annehmen' }).click();
          await adv.getByText('Erledigt.').waitFor();
        } finally {
          await advisorContext.close();
        }
        assert.match(await newestMail(email, 'access-decision'), new RegExp(`${server!.baseUrl}${workspacePath}`));

        // 4. The workspace home: start the Digitalcheck; the estimate before the start.
        await page.goto(workspacePath);
        await j.read();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await j.submit('Digitalcheck beginnen');
        await page.getByRole('heading', { name: /^Digitalcheck: / }).waitFor();
        const overview = await j.read();
        const estimate = overview.match(/Dauer: etwa (\d+) Minuten für (\d+) Fragen/);
        assert.ok(estimate, 'the estimate before the first question');
        const [minutes, total] = [Number(estimate[1]), Number(estimate[2])];
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        const checkPath = new URL(page.url()).pathname;

        // Question 1 put off; question 2 handed on to a colleague invited by mail.
        await page.locator('.question-list a').first().click();
        await page.getByText(`Frage 1 / ${total}`).waitFor();
        const first = await page.locator('h1').innerText();
        await j.read();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await j.submit('Später beantworten');
        await page.getByText(`Frage 2 / ${total}`).waitFor();
        await j.read();
        await page.getByRole('link', { name: 'An Kollegin/Kollegen geben' }).click();
        await page.getByRole('heading', { name: 'An Kollegin/Kollegen geben' }).waitFor();
        await j.read();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await j.fill('Oder per E-Mail einladen', colleagueEmail);
        await j.submit('Weitergeben');
        await page.getByText(`Frage 2 / ${total}`).waitFor();
        await page.getByText(new RegExp(`Diese Frage ist an ${colleagueEmail.replace(/[.]/g, '\\.')}`)).waitFor();
        await newestMail(colleagueEmail, 'invitation');

        // The other questions, answered one after another (mostly middle levels, some "trifft nicht zu").
        await page.goto(checkPath);
        await page.locator('.question-list a').nth(2).click();
        for (let i = 0; i < total; i++) {
          if (new URL(page.url()).pathname.endsWith('/abschliessen')) break;
          await page.locator('form [name="value"]').first().waitFor();
          await j.read();
          await page.locator(`#${i % 7 === 6 ? 'value-na' : `value-${(i % 3) + 1}`}`).check();
          await j.submitAndGo('Speichern und weiter');
        }

        // 5. The summary names what is open and warns that submitted answers are frozen.
        await page.getByRole('heading', { name: 'Vor dem Abschicken' }).waitFor();
        let summary = await j.read();
        assert.match(summary, /Auf später verschoben: 1/);
        assert.match(summary, /Abgeschickte Antworten sind eingefroren/);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        // The officer answers what is still open from the summary's links (the put-off question; the handed-on
        // one came up on the way and is answered).
        assert.match(summary, new RegExp(first.replace(/[?.()]/g, '.')), 'the put-off question is listed');
        for (let left = 5; left > 0; left--) {
          const open = page.locator('main li a');
          if ((await open.count()) === 0) break;
          await open.first().click();
          await page.locator('form [name="value"]').first().waitFor();
          await j.read();
          await page.locator('#value-2').check();
          await j.submitAndGo('Speichern und weiter');
          if (!new URL(page.url()).pathname.endsWith('/abschliessen')) await page.goto(`${checkPath}/abschliessen`);
        }
        await page.getByRole('heading', { name: 'Vor dem Abschicken' }).waitFor();
        summary = await j.read();
        assert.match(summary, /Noch nicht beantwortet: 0/);
        assert.match(summary, /Auf später verschoben: 0/);
        await j.submit('Digitalcheck abschicken');

        // 6. The result the municipality can act on.
        await page.getByRole('heading', { name: /^Ergebnis: / }).waitFor();
        const result = await j.read();
        assert.match(result, /Gesamtstufe: Stufe [0-4] „(Nicht begonnen|Erste Schritte|Im Aufbau|Etabliert|Führend)“/);
        assert.match(result, /Nächste Schritte/);
        assert.match(result, /Nächste Stufe [1-4] „[^“]+“:/);
        assert.match(result, /Warum das wichtig ist:/);
        assert.match(result, /in Bayern, n = \d+/, 'a named peer group');
        assert.match(result, /Demodaten/, 'demo data labelled where it enters the comparison');
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        const resultPath = new URL(page.url()).pathname;

        // The check is locked: "Eingereicht am … von …", no answer forms.
        await page.goto(checkPath);
        await page.getByText(/Eingereicht am \d\d\.\d\d\.\d{4} von /).waitFor();
        assert.equal(await page.locator('input[type="radio"]').count(), 0, 'no answer forms on a submitted check');
        await page.locator('.question-list a').first().click();
        await page.getByRole('heading', { name: 'Eingereichte Antwort' }).waitFor();
        assert.equal(await page.locator('input[type="radio"]').count(), 0);

        // 7. Publish: the public profile shows it; withdraw: it is gone.
        await page.goto(resultPath);
        await j.submit('Ergebnis veröffentlichen');
        await page.getByText('Das Ergebnis ist veröffentlicht').waitFor();
        const anonymous = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled });
        try {
          const pub = await anonymous.newPage();
          await pub.goto(`/kommunen/${g.ags}`);
          assert.match(await pub.locator('main').innerText(), /hat sein Ergebnis veröffentlicht: Stufe [0-4]/);
          await page.goto(resultPath);
          await page.getByRole('link', { name: 'Veröffentlichung zurückziehen' }).click();
          await j.read();
          await j.submit('Ja, Veröffentlichung zurückziehen');
          await page.getByText('Die Veröffentlichung ist zurückgezogen').waitFor();
          await pub.goto(`/kommunen/${g.ags}`);
          await pub.getByText('Noch kein veröffentlichtes Ergebnis.').waitFor();
        } finally {
          await anonymous.close();
        }

        // What the journey cost the person: reading at 200 words a minute, 30 s per answer (as the estimate),
        // 10 s for every other form, typing at 2 characters a second.
        const answers = total;
        const readingMin = j.words / WORDS_PER_MINUTE;
        const otherForms = j.submissions - answers;
        const computedMin = readingMin + (answers * 30 + otherForms * 10 + j.typed / 2) / 60;
        const figures = {
          gemeinde: `${g.name} (${g.ags}), ${g.inhabitants} inhabitants`,
          javaScript: javaScriptEnabled,
          questions: total,
          estimateShownMin: minutes,
          formSubmissions: j.submissions,
          charactersTyped: j.typed,
          pagesRead: j.pages,
          wordsRead: j.words,
          readingMin: Math.round(readingMin),
          computedJourneyMin: Math.round(computedMin),
        };
        console.log(`journey figures: ${JSON.stringify(figures)}`);
        writeResult(`journey-${mode}`, figures);
        // Plausibility, not timing: the whole journey is within an afternoon, and the estimate is for the check.
        assert.ok(computedMin < 240, `the journey takes ${Math.round(computedMin)} minutes`);
      } finally {
        await context.close();
      }
    });
  });
}
