/**
 * End-to-end: from a profile, sign up (the return target kept) → confirm through the outbox → sign in → the
 * request form → request access to a Gemeinde (the profile says it waits) → an advisor of the Land approves
 * (the applicant gets the decision by mail) → the member sees the workspace home; a first sign-in without
 * target lands on "Ihre Kommune finden"; with JavaScript on and off, at 1280 and 320 px; a platform admin signs
 * in with a one-time link and reads the outbox; axe-core finds nothing on these pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { makeAdvisor } from '../../src/organisations/organisations.service.js';
import { expectNoAxeViolations, newContext, startServerAndBrowser } from '../helpers/browser.js';
import { TEST_T } from '../helpers/deps.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, realDataAvailable } from '../helpers/shared-data.js';

const HAVE_DATA = realDataAvailable();
const PASSWORD = 'Unser Rathaus hat 3 Türme und einen Brunnen';

let server: TestServer | undefined;
let browser: Browser | undefined;
let closeAll: (() => Promise<void>) | undefined;

before(async () => {
  if (!HAVE_DATA) return;
  ({ server, browser, close: closeAll } = await startServerAndBrowser(GV100AD_2025));
});
after(() => closeAll?.());

/** The link of the newest mail to `email` (sign-up and reset mails are written right after the answer). */
async function mailLink(email: string, path: string): Promise<string> {
  await server!.server.app.platform.tasks.idle();
  const rows = await server!.server.db.query<{ body: string }>(
    'SELECT body_text AS body FROM mail_outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1',
    [email],
  );
  // The link with everything it carries (the verification link keeps the return target: `&weiter=…`).
  const m = rows[0]?.body.match(new RegExp(`https?://[^\\s]*(${path}\\?token=[A-Za-z0-9_-]+(?:&\\S+)?)`));
  assert.ok(m, `a ${path} link was mailed to ${email}`);
  return m[1]!;
}

for (const javaScriptEnabled of [true, false]) {
  describe(`account journey (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('from a profile: signs up with the return target kept, confirms, lands on the request, requests access', async () => {
      const email = `digital-${javaScriptEnabled ? 'js' : 'nojs'}@gemeinde-beispiel.de`;
      const context = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
      try {
        const page = await context.newPage();
        // Request access to the workspace of a Gemeinde (a different one per run: each gets its first admin).
        const gemeinde = javaScriptEnabled
          ? { ags: '09575153', name: 'Neustadt a.d.Aisch, St' }
          : { ags: '09162000', name: 'München, Landeshauptstadt' };
        await page.goto(`/kommunen/${gemeinde.ags}`);
        await page.getByRole('link', { name: 'Zugang zum Arbeitsbereich beantragen' }).click();
        // Not signed in: the login, which keeps the request as its target through sign-up.
        await page.waitForURL((u) => u.pathname === '/anmelden');
        await page.getByRole('link', { name: /Registrieren/ }).click();
        assert.match(page.url(), /\/registrieren\?weiter=%2Forganisationen%2Fbeitreten/);
        await expectNoAxeViolations(page, javaScriptEnabled);
        // A too short password: error summary, e-mail kept.
        await page.getByLabel('E-Mail-Adresse').fill(email);
        await page.getByLabel('Passwort', { exact: true }).fill('kurz');
        await page.getByRole('button', { name: 'Konto anlegen' }).click();
        await page.locator('[role="alert"]').waitFor();
        assert.equal(await page.getByLabel('E-Mail-Adresse').inputValue(), email, 'the form keeps what was typed');
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Konto anlegen' }).click();
        await page.getByRole('heading', { name: 'Bitte prüfen Sie Ihr Postfach' }).waitFor();

        await page.goto(await mailLink(email, '/konto/bestaetigen'));
        await page.getByRole('heading', { name: 'E-Mail-Adresse bestätigt' }).waitFor();
        await page.getByRole('link', { name: 'Anmelden' }).last().click();
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.getByLabel('E-Mail-Adresse').fill(email);
        await page.getByLabel('Passwort').fill(PASSWORD);
        await page.getByRole('button', { name: 'Anmelden' }).click();
        // The first sign-in leads back to where the person set out: the request for the Gemeinde.
        await page.getByRole('heading', { name: /^Zugang beantragen/ }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/organisationen/beitreten');
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.getByLabel('Notiz (optional)').fill('Digitalbeauftragte der Stadt');
        await page.getByRole('button', { name: 'Antrag senden' }).click();
        await page.getByText('Ihr Antrag ist eingegangen').waitFor();
        const workspaceUrl = new URL(page.url()).pathname;
        // The profile says that the request waits, and offers no second one.
        await page.goto(`/kommunen/${gemeinde.ags}`);
        await page
          .getByText(/Ihr Antrag vom .* wartet auf Entscheidung durch die Beratung des Kompetenzzentrums für Bayern/)
          .waitFor();
        assert.equal(await page.getByRole('link', { name: 'Zugang zum Arbeitsbereich beantragen' }).count(), 0);

        // An advisor for Bayern approves, in another browser context.
        const advisorEmail = `beratung-${javaScriptEnabled ? 'js' : 'nojs'}@zentrum.example`;
        const { link, userId } = await createUserWithLoginLink(
          { db: server!.server.db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T },
          advisorEmail,
          false,
        );
        await makeAdvisor(server!.server.db, userId, '09');
        const advisorContext = await newContext(browser!, {
          baseURL: server!.baseUrl,
          javaScriptEnabled,
          bypassCSP: true,
        });
        try {
          const adv = await advisorContext.newPage();
          await adv.goto(link);
          await adv.getByRole('button', { name: 'Jetzt anmelden' }).click();
          await adv.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
          await adv.getByRole('link', { name: 'Organisationen' }).first().click();
          await expectNoAxeViolations(adv, javaScriptEnabled);
          // The advisor's list shows the applicant's note.
          await adv
            .getByText(/Digitalbeauftragte der Stadt/)
            .first()
            .waitFor();
          await adv.getByRole('link', { name: gemeinde.name }).click();
          await adv.getByText('Digitalbeauftragte der Stadt').waitFor();
          await expectNoAxeViolations(adv, javaScriptEnabled);
          await adv.getByRole('button', { name: 'Annehmen' }).click();
          await adv.getByText('Erledigt.').waitFor();
        } finally {
          await advisorContext.close();
        }

        // The decision reached the applicant by mail, with a link from BASE_URL.
        const decision = await server!.server.db.query<{ body: string }>(
          "SELECT body_text AS body FROM mail_outbox WHERE to_address = $1 AND kind = 'access-decision'",
          [email],
        );
        assert.match(decision[0]?.body ?? '', new RegExp(`${server!.baseUrl}${workspaceUrl}`));

        // The member sees the workspace home now, as its admin: the Digitalcheck to start, the members.
        await page.goto('/organisationen');
        await page.getByRole('link', { name: gemeinde.name }).click();
        assert.equal(new URL(page.url()).pathname, workspaceUrl);
        const home = await page.locator('main').innerText();
        assert.match(home, new RegExp(`${email.replace(/[.]/g, '\\.')} – Administration`));
        assert.match(home, /Digitalcheck beginnen/);
        assert.match(home, /Sie sind die einzige Administration|Arbeitsbereich verlassen/);
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.setViewportSize({ width: 320, height: 800 });
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.setViewportSize({ width: 1280, height: 800 });

        await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/');
        const account = await page.goto('/konto');
        assert.match(account!.url(), /\/anmelden\?weiter=%2Fkonto$/);
      } finally {
        await context.close();
      }
    });
  });
}

for (const javaScriptEnabled of [true, false]) {
  describe(`first sign-in without a workspace (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('lands on "Ihre Kommune finden", searches, and is offered the request', async () => {
      const email = `finden-${javaScriptEnabled ? 'js' : 'nojs'}@gemeinde-beispiel.de`;
      const context = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
      try {
        const page = await context.newPage();
        await page.goto('/registrieren');
        await page.getByLabel('E-Mail-Adresse').fill(email);
        await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Konto anlegen' }).click();
        await page.getByRole('heading', { name: 'Bitte prüfen Sie Ihr Postfach' }).waitFor();
        await page.goto(await mailLink(email, '/konto/bestaetigen'));
        await page.getByRole('link', { name: 'Anmelden' }).last().click();
        await page.getByLabel('E-Mail-Adresse').fill(email);
        await page.getByLabel('Passwort').fill(PASSWORD);
        await page.getByRole('button', { name: 'Anmelden' }).click();
        await page.getByRole('heading', { name: 'Ihre Kommune finden', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/kommune-finden');
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.getByLabel('Name, Postleitzahl oder Gemeindeschlüssel').fill('München');
        await page.getByRole('button', { name: 'Suchen' }).click();
        await page.getByRole('heading', { name: /Treffer für/ }).waitFor();
        // München shows once (the Kreis record 09162 is the same town hall as the Gemeinde 09162000).
        assert.equal(await page.locator('a[href="/kommunen/09162"]').count(), 0);
        assert.equal(await page.locator('a[href="/kommunen/09162000"]').count(), 1);
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.setViewportSize({ width: 320, height: 800 });
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.locator('a[href="/organisationen/beitreten?region=09162000"]').click();
        await page.getByRole('heading', { name: /^Zugang beantragen/ }).waitFor();
      } finally {
        await context.close();
      }
    });
  });
}

describe('platform admin', { skip: !HAVE_DATA && 'real data missing' }, () => {
  it('signs in with the one-time link and reads the outbox', async () => {
    const { link } = await createUserWithLoginLink(
      { db: server!.server.db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T },
      'admin@kompetenzzentrum.example',
      true,
    );
    const context = await newContext(browser!, { baseURL: server!.baseUrl, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(link);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Jetzt anmelden' }).click();
      await page.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
      await page.getByRole('link', { name: 'Verwaltung' }).click();
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Postausgang' }).click();
      await page.getByRole('heading', { name: 'Postausgang' }).waitFor();
      await expectNoAxeViolations(page);
      assert.match(await page.locator('main').innerText(), /Bestätigen Sie Ihre E-Mail-Adresse/);
      // The other signed-in pages, checked by axe as well.
      for (const path of [
        '/admin/audit',
        '/admin/audit?aktion=%3F%3F',
        '/konto/tokens',
        '/konto/loeschen',
        '/organisationen',
      ]) {
        await page.goto(path);
        await expectNoAxeViolations(page);
      }
    } finally {
      await context.close();
    }
  });
});
