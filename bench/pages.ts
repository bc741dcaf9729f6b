/**
 * Page weight: what a person's browser loads for the pages of the small Gemeinde's journey — the home page,
 * a Gemeinde's profile, the Digitalcheck result and the Lagebild — with an empty cache in headless Chromium:
 * number of requests, bytes transferred (encoded, with headers), bytes of the HTML, and the time until the
 * load event on this machine. Baseline of the same run: the privacy notice, a plain text page with the same
 * layout (what every page costs before its own content). See bench/README.md.
 */
import { checkContext, saveAnswer, startCheck, submitCheck } from '../src/assessment/assessment.service.js';
import { seedDemo } from '../src/assessment/demo.js';
import { createUserWithLoginLink } from '../src/identity/identity.service.js';
import { createI18n } from '../src/modules.js';
import { decideRequest, requestAccess } from '../src/organisations/organisations.service.js';
import { newContext, startServerAndBrowser } from '../test/helpers/browser.js';
import { assertRealData, GV100AD_2025, printEnvironment, printTable, writeResult } from './common.js';

/** A Gemeinde of about 5,000 inhabitants (Bayern), the journey's reference municipality. */
const AGS = '09176120'; // Denkendorf (Landkreis Eichstätt), 5,036 inhabitants (GV100AD 2025-11)

interface Weight {
  page: string;
  path: string;
  requests: number;
  transferredKiB: number;
  htmlKiB: number;
  loadMs: number;
}

export async function runPagesBench(): Promise<void> {
  assertRealData();
  const load = printEnvironment('pages: weight of the journey pages (cold cache, headless Chromium)');
  const { server, browser, close } = await startServerAndBrowser(GV100AD_2025);
  try {
    const db = server.server.db;
    await seedDemo(db, { share: 0.1, seed: 1 });
    const deps = {
      db,
      mailer: { send: async () => ({}) },
      publicUrl: server.baseUrl,
      t: createI18n().translator('de'),
    };
    const email = 'digital@denkendorf.example';
    const { userId, link } = await createUserWithLoginLink(deps, email, false);
    const admin = await createUserWithLoginLink(deps, 'bench-admin@example.org', true);
    const member = { id: userId, email, isPlatformAdmin: false };
    const orgId = await requestAccess(deps, member, AGS, '');
    const [req] = await db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [
      orgId,
    ]);
    await decideRequest(deps, { id: admin.userId, email: 'a', isPlatformAdmin: true }, orgId, req!.id, true, 'admin');
    const checkId = await startCheck(db, member, orgId);
    const ctx = await checkContext(db, member, checkId);
    for (const [i, q] of ctx.questions.entries()) {
      const r = await saveAnswer(db, member, checkId, q.id, {
        value: String(i % 5),
        comment: '',
        evidenceUrl: '',
        expectedVersion: 0,
      });
      if (!r.ok) throw new Error(`saving ${q.id} failed`);
    }
    await submitCheck(db, member, checkId);
    await server.server.app.platform.events.drain();

    const context = await newContext(browser, { baseURL: server.baseUrl });
    const signIn = await context.newPage();
    await signIn.goto(link);
    await signIn.getByRole('button', { name: 'Jetzt anmelden' }).click();
    await signIn.waitForLoadState('load');
    await signIn.close();

    const pages: [string, string][] = [
      ['baseline: privacy notice', '/datenschutz'],
      ['home', '/'],
      ['profile of the Gemeinde', `/kommunen/${AGS}`],
      ['Digitalcheck result', `/digitalcheck/${checkId}/ergebnis`],
      ['Lagebild', '/lagebild'],
    ];
    const rows: Weight[] = [];
    for (const [name, path] of pages) {
      // A new page in a context without cache for each: what a first visit costs.
      const cold = await browser.newContext({ baseURL: server.baseUrl, storageState: await context.storageState() });
      const page = await cold.newPage();
      const responses: Promise<number>[] = [];
      page.on('requestfinished', (request) => {
        // A request whose sizes are unavailable (a data: URL, or one finishing as the page closes) counts 0 bytes.
        responses.push(
          request
            .sizes()
            .then((s) => s.responseBodySize + s.responseHeadersSize)
            .catch(() => 0),
        );
      });
      const started = performance.now();
      const res = await page.goto(path, { waitUntil: 'load' });
      const loadMs = performance.now() - started;
      if (res?.status() !== 200 || !res) throw new Error(`${path} answered ${res?.status()}`);
      const html = Buffer.byteLength(await res.text());
      const sizes = await Promise.all(responses);
      rows.push({
        page: name,
        path,
        requests: sizes.length,
        transferredKiB: Math.round((sizes.reduce((a, b) => a + b, 0) / 1024) * 10) / 10,
        htmlKiB: Math.round((html / 1024) * 10) / 10,
        loadMs: Math.round(loadMs),
      });
      await cold.close();
    }
    printTable(
      'pages',
      rows.map((r) => ({
        page: r.page,
        path: r.path,
        requests: r.requests,
        'transferred KiB': r.transferredKiB,
        'HTML KiB': r.htmlKiB,
        'load ms': r.loadMs,
      })),
    );
    writeResult('pages', { loadAverage: load, rows });
  } finally {
    await close();
  }
}
