import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { type Db, openPostgres } from '../../../platform/db/db.js';
import type { Notification } from '../../contract.js';
import * as repo from '../notify.repository.js';
import * as svc from '../notify.service.js';

/**
 * Notifications on both databases: the default is an immediate mail with the unsubscribe link (and the one-click
 * header); a person's choices through the settings page (stale form 409, typed choices kept); daily and weekly
 * digests sent once even when two instances run the job at the same moment; "none" drops except essential ones;
 * unsubscribing by the mail's link without a session (a GET changes nothing); invalidated and forged links refused.
 */
const BASE = 'https://lotse.example';

for (const kind of databaseKinds()) {
  describe(`notifications on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let second: Db | null = null;
    const ids: Record<string, number> = {};
    // Wednesday 3 June 2026, 10:00 in Berlin.
    let now = new Date('2026-06-03T08:00:00Z');
    const identity = () => ({ db: t.db, mailer: { send: async () => ({ id: 0 }) }, publicUrl: BASE, t: TEST_T });
    const deps = (db?: Db): svc.NotifyDeps => ({
      db: db ?? t.db,
      mailer: app.platform.mailer,
      publicUrl: BASE,
      now: () => now,
      t: TEST_T,
    });
    const n = (userId: number, extra: Partial<Notification> = {}): Notification => ({
      userId,
      kind: 'inquiry',
      subject: 'Neue Antwort auf Ihre Anfrage',
      text: 'Das Kompetenzzentrum hat geantwortet. VERTRAULICHER-INHALT',
      link: '/beratung/anfragen/7',
      ...extra,
    });
    const mails = async (to: string) =>
      t.db.query<{ id: number; subject: string; text: string; kind: string; listUnsubscribe: string | null }>(
        `SELECT id::int AS id, subject, body_text AS text, kind, list_unsubscribe AS "listUnsubscribe"
         FROM mail_outbox WHERE to_address = $1 ORDER BY id`,
        [to],
      );
    const queued = async (userId: number) =>
      t.db.query<{ kind: string; delivery: string; sent: boolean }>(
        'SELECT kind, delivery, sent_at IS NOT NULL AS sent FROM desk_notify_queue WHERE user_id = $1 ORDER BY id',
        [userId],
      );
    const prefs = async (userId: number) =>
      Object.fromEntries((await repo.preferencesOf(t.db, userId)).map((p) => [p.kind, p.delivery]));
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(identity(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const tokenIn = (text: string) => {
      const m = new RegExp(`${BASE}/abmelden/([^\\s]+)`).exec(text);
      assert.ok(m, `an unsubscribe link in: ${text}`);
      return m[1]!;
    };

    before(async () => {
      t = await createTestDb(kind);
      app = await buildTestApp(t.db, undefined, { BASE_URL: BASE }, () => now);
      for (const name of ['anna', 'bert', 'carl', 'dora', 'emil', 'fred']) {
        ids[name] = (await createUserWithLoginLink(identity(), `${name}@example.org`, false)).userId;
      }
      if (t.url) second = await openPostgres(t.url, 3);
    });
    after(async () => {
      await second?.close();
      await app?.close();
      await t?.dispose();
    });

    test('by default a notification is a mail at once, ending with the unsubscribe link and the one-click header', async () => {
      const before = (await mails('anna@example.org')).length;
      await svc.notify(deps(), n(ids.anna!));
      const all = await mails('anna@example.org');
      assert.equal(all.length, before + 1);
      const mail = all.at(-1)!;
      assert.equal(mail.kind, 'desk-notification');
      assert.equal(mail.subject, 'Neue Antwort auf Ihre Anfrage');
      assert.match(mail.text, /https:\/\/lotse\.example\/beratung\/anfragen\/7/);
      assert.match(mail.text, /https:\/\/lotse\.example\/beratung\/benachrichtigungen/);
      const token = tokenIn(mail.text);
      assert.ok(mail.text.trimEnd().endsWith(token), 'the unsubscribe link ends the mail');
      assert.equal(mail.listUnsubscribe, `${BASE}/api/v1/unsubscribe/${token}`);
      const raw = app.platform.mailer.render((await app.platform.mailer.get(mail.id))!);
      assert.match(raw, /\r\nList-Unsubscribe: <https:\/\/lotse\.example\/api\/v1\/unsubscribe\//);
      assert.match(raw, /\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n/);
      // A link that is not a local path is a programming error of the caller.
      await assert.rejects(svc.notify(deps(), n(ids.anna!, { link: 'https://evil.example/x' })));
    });

    test('the settings page: the defaults shown, choices saved, a stale form 409 with the choices kept', async () => {
      const anna = await as('anna');
      const page = await anna.get('/beratung/benachrichtigungen');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<input[^>]*id="inquiry"[^>]*value="immediate"[^>]*checked/);
      assert.match(page.body, /<legend class="kern-label">Veranstaltungen<\/legend>/);
      const form = { inquiry: 'daily', events: 'weekly', groups: 'none', mentoring: 'immediate', version: '0' };
      const ok = await anna.post('/beratung/benachrichtigungen', form, '/beratung/benachrichtigungen');
      assert.equal(ok.statusCode, 303);
      assert.deepEqual(await prefs(ids.anna!), {
        inquiry: 'daily',
        events: 'weekly',
        groups: 'none',
        mentoring: 'immediate',
      });
      const stale = await anna.post(
        '/beratung/benachrichtigungen',
        { ...form, events: 'none' },
        '/beratung/benachrichtigungen',
      );
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /id="events-none"[^>]*checked|value="none"[^>]*id="events-none"/);
      assert.equal((await prefs(ids.anna!)).events, 'weekly', 'the stale form changed nothing');
      const bad = await anna.post(
        '/beratung/benachrichtigungen',
        { ...form, inquiry: 'hourly', version: '1' },
        '/beratung/benachrichtigungen',
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#inquiry"/);
      // Without a session: to the login.
      const anon = await new Agent(app).get('/beratung/benachrichtigungen');
      assert.equal(anon.statusCode, 303);
    });

    test('daily and weekly are queued, none is dropped, essential goes at once whatever was chosen', async () => {
      const before = (await mails('anna@example.org')).length;
      await svc.notify(deps(), n(ids.anna!, { subject: 'Antwort 1' }));
      await svc.notify(deps(), n(ids.anna!, { subject: 'Antwort 2', link: '/beratung/anfragen/8' }));
      await svc.notify(
        deps(),
        n(ids.anna!, { kind: 'events', subject: 'Neue Veranstaltung', link: '/veranstaltungen/3' }),
      );
      await svc.notify(deps(), n(ids.anna!, { kind: 'groups', subject: 'Neuer Beitrag', link: '/gruppen/1' }));
      assert.equal((await mails('anna@example.org')).length, before, 'no mail yet');
      assert.deepEqual(
        (await queued(ids.anna!)).map((q) => `${q.kind}:${q.delivery}`),
        ['inquiry:daily', 'inquiry:daily', 'events:weekly'],
      );
      await svc.notify(deps(), n(ids.anna!, { kind: 'groups', subject: 'Ihre Gruppe ist angelegt', essential: true }));
      const all = await mails('anna@example.org');
      assert.equal(all.length, before + 1);
      assert.equal(all.at(-1)!.subject, 'Ihre Gruppe ist angelegt');
      assert.match(all.at(-1)!.text, /unabhängig von Ihren Einstellungen/);
    });

    test('the digests go once, even when two instances run the job at the same moment', async () => {
      const digests = async () => (await mails('anna@example.org')).filter((m) => m.kind === 'desk-digest');
      // Same day, later: nothing due before tomorrow 07:00.
      now = new Date('2026-06-03T20:00:00Z');
      assert.deepEqual(await svc.sendDueDigests(deps()), { daily: 0, weekly: 0 });
      // Thursday 07:10 in Berlin: the daily digest, from two "instances" at once.
      now = new Date('2026-06-04T05:10:00Z');
      const runs = await Promise.all([svc.sendDueDigests(deps()), svc.sendDueDigests(deps(second ?? undefined))]);
      assert.equal(runs[0]!.daily + runs[1]!.daily, 1);
      assert.equal(runs[0]!.weekly + runs[1]!.weekly, 0);
      const [daily] = await digests();
      assert.ok(daily);
      assert.equal((await digests()).length, 1);
      assert.match(daily.subject, /tägliche Zusammenfassung: 2/);
      assert.match(daily.text, /- Antwort 1\n {2}https:\/\/lotse\.example\/beratung\/anfragen\/7/);
      assert.match(daily.text, /- Antwort 2\n {2}https:\/\/lotse\.example\/beratung\/anfragen\/8/);
      assert.doesNotMatch(daily.text, /VERTRAULICHER-INHALT/, 'a digest lists subjects and links only');
      assert.doesNotMatch(daily.text, /Neue Veranstaltung/, 'the weekly item waits for Monday');
      assert.match(
        daily.text,
        /Alle Benachrichtigungen abbestellen ohne Anmeldung: https:\/\/lotse\.example\/abmelden\/\d+\.all\./,
      );
      assert.ok(daily.listUnsubscribe?.startsWith(`${BASE}/api/v1/unsubscribe/`));
      assert.deepEqual(await svc.sendDueDigests(deps()), { daily: 0, weekly: 0 }, 'nothing twice');
      // Monday 8 June 07:05: the weekly digest, once.
      now = new Date('2026-06-08T05:05:00Z');
      const weekly = await Promise.all([svc.sendDueDigests(deps()), svc.sendDueDigests(deps(second ?? undefined))]);
      assert.equal(weekly[0]!.weekly + weekly[1]!.weekly, 1);
      const all = await digests();
      assert.equal(all.length, 2);
      assert.match(all[1]!.subject, /wöchentliche Zusammenfassung: 1/);
      assert.match(all[1]!.text, /- Neue Veranstaltung\n {2}https:\/\/lotse\.example\/veranstaltungen\/3/);
      assert.ok((await queued(ids.anna!)).every((q) => q.sent));
    });

    test('unsubscribing by the link: the GET only shows, the POST without a session sets "none"', async () => {
      await svc.notify(
        deps(),
        n(ids.bert!, { kind: 'events', subject: 'Neue Veranstaltung', link: '/veranstaltungen/3' }),
      );
      const token = tokenIn((await mails('bert@example.org')).at(-1)!.text);
      assert.match(token, /^\d+\.events\./);
      const anon = new Agent(app);
      const page = await anon.get(`/abmelden/${token}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<li>Veranstaltungen<\/li>/);
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      assert.equal(await repo.deliveryOf(t.db, ids.bert!, 'events'), null, 'a GET changes nothing');
      // Without the form's CSRF token a POST is refused.
      assert.equal((await anon.post(`/abmelden/${token}`, {})).statusCode, 403);
      const done = await anon.post(`/abmelden/${token}`, {}, `/abmelden/${token}`);
      assert.equal(done.statusCode, 303);
      assert.equal(await repo.deliveryOf(t.db, ids.bert!, 'events'), 'none');
      assert.equal(await repo.deliveryOf(t.db, ids.bert!, 'inquiry'), null, 'only the kind of the link');
      const after = await anon.get(String(done.headers.location));
      assert.match(after.body, /Abbestellt/);
      const before = (await mails('bert@example.org')).length;
      await svc.notify(deps(), n(ids.bert!, { kind: 'events', subject: 'Noch eine', link: '/veranstaltungen/4' }));
      assert.equal((await mails('bert@example.org')).length, before, 'no more mails of the kind');
    });

    test('one click (RFC 8058) without session or CSRF; forged and invalidated links are refused', async () => {
      await svc.notify(deps(), n(ids.carl!));
      const mail = (await mails('carl@example.org')).at(-1)!;
      const token = tokenIn(mail.text);
      const forged = token.replace(/^\d+/, String(ids.bert));
      assert.equal((await new Agent(app).get(`/abmelden/${forged}`)).statusCode, 404);
      const res = await app.inject({
        method: 'POST',
        url: new URL(mail.listUnsubscribe!).pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(res.statusCode, 200);
      assert.equal(await repo.deliveryOf(t.db, ids.carl!, 'inquiry'), 'none');
      // Carl makes every earlier link invalid.
      const carl = await as('carl');
      const r = await carl.post('/beratung/benachrichtigungen/links', {}, '/beratung/benachrichtigungen');
      assert.equal(r.statusCode, 303);
      assert.equal((await new Agent(app).get(`/abmelden/${token}`)).statusCode, 404);
      const again = await app.inject({ method: 'POST', url: `/api/v1/unsubscribe/${token}` });
      assert.equal(again.statusCode, 404);
      // A new mail carries a new, valid link.
      await svc.notify(deps(), n(ids.carl!, { kind: 'mentoring', link: '/mentoring' }));
      assert.equal(
        (await new Agent(app).get(`/abmelden/${tokenIn((await mails('carl@example.org')).at(-1)!.text)}`)).statusCode,
        200,
      );
    });

    test('one person whose digest cannot be written does not hold up the others; it is tried again', async () => {
      const daily = { inquiry: 'daily', events: 'immediate', groups: 'immediate', mentoring: 'immediate' };
      for (const who of ['emil', 'fred']) {
        await svc.saveSettings(
          deps(),
          { id: ids[who]!, email: `${who}@example.org`, isPlatformAdmin: false },
          daily,
          0,
        );
        await svc.notify(deps(), n(ids[who]!));
      }
      now = new Date(now.getTime() + 24 * 3600_000);
      const errors: unknown[] = [];
      const failing: svc.NotifyDeps = {
        ...deps(),
        mailer: {
          send: async (msg, tx) => {
            if (msg.to === 'emil@example.org') throw new Error('refused');
            return app.platform.mailer.send(msg, tx);
          },
        },
        onError: (err) => errors.push(err),
      };
      assert.deepEqual(await svc.sendDueDigests(failing), { daily: 1, weekly: 0 });
      assert.equal(errors.length, 1);
      assert.equal((await mails('fred@example.org')).filter((m) => m.kind === 'desk-digest').length, 1);
      assert.deepEqual(await queued(ids.emil!), [{ kind: 'inquiry', delivery: 'daily', sent: false }]);
      assert.deepEqual(await svc.sendDueDigests(deps()), { daily: 1, weekly: 0 });
      assert.equal((await mails('emil@example.org')).filter((m) => m.kind === 'desk-digest').length, 1);
    });

    test('a person erased: their choices and waiting items are gone, and nothing is sent to them', async () => {
      await svc.saveSettings(
        deps(),
        { id: ids.dora!, email: 'dora@example.org', isPlatformAdmin: false },
        {
          inquiry: 'weekly',
          events: 'immediate',
          groups: 'immediate',
          mentoring: 'immediate',
        },
        0,
      );
      await svc.notify(deps(), n(ids.dora!));
      assert.equal((await queued(ids.dora!)).length, 1);
      const counts = await t.db.transaction((tx) => repo.forgetPerson(tx, ids.dora!));
      assert.deepEqual(counts, { notifyPreferences: 4, notifyQueued: 1 });
      await t.db.query('DELETE FROM users WHERE id = $1', [ids.dora]);
      await svc.notify(deps(), n(ids.dora!));
      assert.equal((await mails('dora@example.org')).length, 0);
    });
  });
}
