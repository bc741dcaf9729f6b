/**
 * End-to-end: sign up → confirm through the outbox → sign in → request access to a Gemeinde → an advisor
 * of the Land approves → the member sees the workspace, with JavaScript on and off; a platform admin signs
 * in with a one-time link and reads the outbox; axe-core finds nothing on these pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { makeAdvisor } from '../../src/organisations/organisations.service.js';
import { axeViolations, formatViolations, newContext, startServerAndBrowser } from '../helpers/browser.js';
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
  const m = rows[0]?.body.match(new RegExp(`https?://[^\\s]*(${path}\\?token=[A-Za-z0-9_-]+)`));
  assert.ok(m, `a ${path} link was mailed to ${email}`);
  return m[1]!;
}

async function expectNoAxeViolations(page: Page, javaScriptEnabled = true) {
  // axe runs as a script in the page: it needs JavaScript. The JavaScript-on pass covers the same pages.
  if (!javaScriptEnabled) return;
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe on ${page.url()}:\n${formatViolations(violations)}`);
}

for (const javaScriptEnabled of [true, false]) {
  describe(`account journey (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('signs up, confirms via the outbox, requests access, is approved by an advisor, sees the workspace', async () => {
      const email = `digital-${javaScriptEnabled ? 'js' : 'nojs'}@gemeinde-beispiel.de`;
      const context = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
      try {
        const page = await context.newPage();
        await page.goto('/');
        await page.getByRole('link', { name: 'Anmelden' }).click();
        await page.getByRole('link', { name: /Registrieren/ }).click();
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
        await page.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
        assert.match(await page.locator('main').innerText(), new RegExp(email.replace(/[.]/g, '\\.')));
        await expectNoAxeViolations(page, javaScriptEnabled);

        // Request access to the workspace of a Gemeinde (a different one per run: each gets its first admin).
        const gemeinde = javaScriptEnabled
          ? { ags: '09575153', name: 'Neustadt a.d.Aisch, St' }
          : { ags: '09162000', name: 'München, Landeshauptstadt' };
        await page.goto(`/kommunen/${gemeinde.ags}`);
        await page.getByRole('link', { name: 'Zugang zum Arbeitsbereich beantragen' }).click();
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.getByLabel('Notiz (optional)').fill('Digitalbeauftragte der Stadt');
        await page.getByRole('button', { name: 'Antrag senden' }).click();
        await page.getByText('Ihr Antrag ist eingegangen').waitFor();
        const workspaceUrl = new URL(page.url()).pathname;

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
          await adv.getByRole('link', { name: gemeinde.name }).click();
          await adv.getByText('Digitalbeauftragte der Stadt').waitFor();
          await expectNoAxeViolations(adv, javaScriptEnabled);
          await adv.getByRole('button', { name: 'Annehmen' }).click();
          await adv.getByText('Erledigt.').waitFor();
        } finally {
          await advisorContext.close();
        }

        // The member sees the workspace now, as its admin.
        await page.goto('/organisationen');
        await page.getByRole('link', { name: gemeinde.name }).click();
        assert.equal(new URL(page.url()).pathname, workspaceUrl);
        assert.match(
          await page.locator('main').innerText(),
          new RegExp(`${email.replace(/[.]/g, '\\.')} – Administration`),
        );
        await expectNoAxeViolations(page, javaScriptEnabled);

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
