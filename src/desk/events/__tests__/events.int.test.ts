import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { makeAdvisor } from '../../../organisations/index.js';
import type { Notification } from '../../contract.js';
import * as svc from '../events.service.js';

/**
 * Events on both databases: only advisors create; capacity and the waiting list (moving up on a cancellation, also
 * with concurrent cancellations); the deadline; the certificate only for attendees; the feed token; reminders once.
 */
for (const kind of databaseKinds()) {
  describe(`events on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const sent: Notification[] = [];
    let now = new Date('2026-06-01T08:00:00Z');
    const deps = () => ({
      db: t.db,
      mailer: { send: async () => ({ id: 0 }) },
      publicUrl: 'http://localhost',
      t: TEST_T,
    });
    const sdeps = (): svc.EventDeps => ({
      db: t.db,
      now: () => now,
      notifier: { notify: async (n) => void sent.push(n) },
      t: TEST_T,
      publicUrl: 'https://lotse.example',
    });
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(deps(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const form = (over: Record<string, string> = {}) => ({
      title: 'Einführung E-Akte',
      description: 'Grundlagen, Praxis; Fragen',
      format: 'online',
      joinUrl: 'https://meet.example/e-akte',
      startsAt: '2026-06-10T10:00',
      endsAt: '2026-06-10T12:00',
      registrationDeadline: '2026-06-08T18:00',
      capacity: '2',
      ...over,
    });
    const statusOf = async (eventId: number, name: string) =>
      (
        await t.db.query<{ status: string }>(
          'SELECT status FROM desk_event_registrations WHERE event_id = $1 AND user_id = $2',
          [eventId, ids[name]],
        )
      )[0]?.status;

    before(async () => {
      t = await createTestDb(kind);
      app = await buildTestApp(t.db);
      for (const name of ['advisor', 'anna', 'ben', 'cora', 'dina', 'emil']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      await makeAdvisor(t.db, ids.advisor!, '16');
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('only advisors create events; the form keeps what was typed on error', async () => {
      const anna = await as('anna');
      const csrfPage = '/veranstaltungen';
      assert.equal((await anna.get('/veranstaltungen/neu')).statusCode, 403);
      assert.equal((await anna.post('/veranstaltungen/neu', form(), csrfPage)).statusCode, 403);
      const adv = await as('advisor');
      const bad = await adv.post('/veranstaltungen/neu', form({ capacity: '0', title: 'Behalten' }), csrfPage);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /value="Behalten"/);
      assert.match(bad.body, /href="#capacity"/);
      const ok = await adv.post('/veranstaltungen/neu', form(), csrfPage);
      assert.equal(ok.statusCode, 303);
      assert.match(String(ok.headers.location), /^\/veranstaltungen\/\d+\?hinweis=angelegt$/);
    });

    test('capacity, waiting list, moving up on cancel, notifications', async () => {
      const id = await svc.createEvent(sdeps(), actor('advisor'), form());
      assert.equal(await svc.register(sdeps(), actor('anna'), id), 'registered');
      assert.equal(await svc.register(sdeps(), actor('ben'), id), 'registered');
      assert.equal(await svc.register(sdeps(), actor('cora'), id), 'waiting');
      assert.equal(await svc.register(sdeps(), actor('dina'), id), 'waiting');
      await assert.rejects(svc.register(sdeps(), actor('anna'), id), (e: { status?: number }) => e.status === 409);
      sent.length = 0;
      assert.deepEqual(await svc.cancelRegistration(sdeps(), actor('anna'), id), [ids.cora]);
      assert.equal(await statusOf(id, 'cora'), 'registered');
      assert.equal(await statusOf(id, 'dina'), 'waiting');
      assert.equal(await statusOf(id, 'anna'), 'cancelled');
      assert.deepEqual(
        sent.map((n) => [n.userId, n.kind, n.link]),
        [[ids.cora, 'events', `/veranstaltungen/${id}`]],
      );
      // Registering again queues at the end.
      assert.equal(await svc.register(sdeps(), actor('anna'), id), 'waiting');
      // A waiting person leaving promotes nobody.
      assert.deepEqual(await svc.cancelRegistration(sdeps(), actor('dina'), id), []);
      // Through the pages: ben cancels, anna (now first) moves up.
      const ben = await as('ben');
      const res = await ben.post(`/veranstaltungen/${id}/abmelden`, {}, `/veranstaltungen/${id}`);
      assert.equal(res.statusCode, 303);
      assert.equal(await statusOf(id, 'anna'), 'registered');
      const page = await (await as('anna')).get(`/veranstaltungen/${id}`);
      assert.match(page.body, /Sie sind angemeldet/);
      assert.match(page.body, /meet\.example\/e-akte/, 'registered people see the join link');
      const anon = await new Agent(app).get(`/veranstaltungen/${id}`);
      assert.equal(anon.statusCode, 200);
      assert.doesNotMatch(anon.body, /meet\.example/, 'the join link is hidden from the public');
    });

    test('concurrent cancellations each move one person up, never more than the capacity', async () => {
      const id = await svc.createEvent(sdeps(), actor('advisor'), form({ capacity: '2' }));
      for (const n of ['anna', 'ben', 'cora', 'dina', 'emil']) await svc.register(sdeps(), actor(n), id);
      await Promise.all([
        svc.cancelRegistration(sdeps(), actor('anna'), id),
        svc.cancelRegistration(sdeps(), actor('ben'), id),
      ]);
      const rows = await t.db.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM desk_event_registrations WHERE event_id = $1 GROUP BY status ORDER BY status',
        [id],
      );
      assert.deepEqual(rows, [
        { status: 'cancelled', n: 2 },
        { status: 'registered', n: 2 },
        { status: 'waiting', n: 1 },
      ]);
      assert.equal(await statusOf(id, 'emil'), 'waiting');
    });

    test('more places move people up; a stale edit is a 409', async () => {
      const id = await svc.createEvent(sdeps(), actor('advisor'), form({ capacity: '1' }));
      await svc.register(sdeps(), actor('anna'), id);
      await svc.register(sdeps(), actor('ben'), id);
      await svc.updateEvent(sdeps(), actor('advisor'), id, 1, form({ capacity: '2' }));
      assert.equal(await statusOf(id, 'ben'), 'registered');
      await assert.rejects(
        svc.updateEvent(sdeps(), actor('advisor'), id, 1, form({ capacity: '3' })),
        (e: { status?: number }) => e.status === 409,
      );
      const adv = await as('advisor');
      const res = await adv.post(
        `/veranstaltungen/${id}/bearbeiten`,
        { ...form({ title: 'Mein Stand' }), version: '1' },
        `/veranstaltungen/${id}/bearbeiten`,
      );
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /value="Mein Stand"/);
    });

    test('after the deadline nobody registers', async () => {
      const id = await svc.createEvent(sdeps(), actor('advisor'), form());
      const before = now;
      now = new Date('2026-06-08T17:00:00Z'); // 19:00 in Berlin, after 18:00
      try {
        await assert.rejects(svc.register(sdeps(), actor('anna'), id), (e: { status?: number }) => e.status === 409);
        const page = await (await as('anna')).get(`/veranstaltungen/${id}`);
        assert.match(page.body, /Anmeldung ist geschlossen/);
      } finally {
        now = before;
      }
    });

    test('the certificate only for attendees; attendance by advisors after the start', async () => {
      const id = await svc.createEvent(
        sdeps(),
        actor('advisor'),
        form({ format: 'onsite', address: 'Rathaus Erfurt' }),
      );
      await svc.register(sdeps(), actor('anna'), id);
      await svc.register(sdeps(), actor('ben'), id);
      await assert.rejects(
        svc.markAttendance(sdeps(), actor('advisor'), id, [ids.anna!]),
        (e: { status?: number }) => e.status === 409,
      );
      const before = now;
      now = new Date('2026-06-10T09:00:00Z');
      try {
        await assert.rejects(
          svc.markAttendance(sdeps(), actor('anna'), id, [ids.anna!]),
          (e: { status?: number }) => e.status === 403,
        );
        await svc.markAttendance(sdeps(), actor('advisor'), id, [ids.anna!]);
      } finally {
        now = before;
      }
      const pdf = await (await as('anna')).get(`/veranstaltungen/${id}/bescheinigung`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      assert.equal((await (await as('ben')).get(`/veranstaltungen/${id}/bescheinigung`)).statusCode, 403);
      assert.equal((await (await as('cora')).get(`/veranstaltungen/${id}/bescheinigung`)).statusCode, 403);
      assert.equal((await new Agent(app).get(`/veranstaltungen/${id}/bescheinigung`)).statusCode, 303);
    });

    test('iCalendar per event and the feed by its secret token, revocable', async () => {
      const id = await svc.createEvent(sdeps(), actor('advisor'), form({ capacity: '5' }));
      await svc.register(sdeps(), actor('emil'), id);
      const pub = await new Agent(app).get(`/veranstaltungen/${id}.ics`);
      assert.equal(pub.statusCode, 200);
      assert.match(String(pub.headers['content-type']), /^text\/calendar/);
      assert.doesNotMatch(pub.body, /meet\.example/);
      const emil = await as('emil');
      const created = await emil.post('/veranstaltungen/feed', {}, '/veranstaltungen/meine');
      assert.equal(created.statusCode, 200);
      const url = created.body.match(/\/veranstaltungen\/feed\/([A-Za-z0-9_-]+)\.ics/)!;
      assert.ok(url);
      const feed = await new Agent(app).get(url[0]);
      assert.equal(feed.statusCode, 200);
      const comp = new ICAL.Component(ICAL.parse(feed.body));
      const summaries = comp.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('summary'));
      assert.ok(summaries.includes('Einführung E-Akte'));
      assert.match(feed.body, /LOCATION:https:\/\/meet\.example\/e-akte/, 'registered: the join link is in the feed');
      const [stored] = await t.db.query<{ h: string }>(
        'SELECT token_hash AS h FROM desk_event_feed_tokens WHERE user_id = $1',
        [ids.emil],
      );
      assert.notEqual(stored!.h, url[1], 'only the hash is stored');
      assert.equal((await emil.post('/veranstaltungen/feed/widerrufen', {}, '/veranstaltungen/meine')).statusCode, 303);
      assert.equal((await new Agent(app).get(url[0])).statusCode, 404);
      assert.equal((await new Agent(app).get('/veranstaltungen/feed/abcdefghijklmnopqrstuvwxyz.ics')).statusCode, 404);
      // A cancelled event says so in the calendar.
      await svc.cancelEvent(sdeps(), actor('advisor'), id, 1);
      assert.match((await new Agent(app).get(`/veranstaltungen/${id}.ics`)).body, /STATUS:CANCELLED/);
    });

    test('reminders go out once a day before, even with several instances', async () => {
      const id = await svc.createEvent(sdeps(), actor('advisor'), form({ capacity: '5' }));
      await svc.register(sdeps(), actor('anna'), id);
      await svc.register(sdeps(), actor('ben'), id);
      const before = now;
      now = new Date('2026-06-09T09:00:00Z');
      try {
        sent.length = 0;
        const counts = await Promise.all([svc.sendReminders(sdeps()), svc.sendReminders(sdeps())]);
        const mine = sent.filter((n) => n.link === `/veranstaltungen/${id}`);
        assert.equal(mine.length, 2);
        assert.ok(counts.reduce((a, b) => a + b, 0) >= 2);
        sent.length = 0;
        await svc.sendReminders(sdeps());
        assert.equal(sent.filter((n) => n.link === `/veranstaltungen/${id}`).length, 0);
      } finally {
        now = before;
      }
    });

    test('an erased participant’s place goes to the waiting list at once; who moved up is told once by the next tick', async () => {
      ids.erik = (await createUserWithLoginLink(deps(), 'erik@example.org', false)).userId;
      const id = await svc.createEvent(sdeps(), actor('advisor'), form({ capacity: '1', title: 'Löschung' }));
      const past = await svc.createEvent(
        sdeps(),
        actor('advisor'),
        form({
          capacity: '1',
          title: 'Vorbei',
          startsAt: '2026-06-02T10:00',
          endsAt: '2026-06-02T12:00',
          registrationDeadline: '2026-06-01T18:00',
        }),
      );
      for (const ev of [id, past]) {
        assert.equal(await svc.register(sdeps(), actor('erik'), ev), 'registered');
        assert.equal(await svc.register(sdeps(), actor('cora'), ev), 'waiting');
        assert.equal(await svc.register(sdeps(), actor('dina'), ev), 'waiting');
      }
      // a rolled-back erasure moves nobody
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await svc.forgetPerson(tx, ids.erik!, now);
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(await statusOf(id, 'cora'), 'waiting');
      const later = new Date('2026-06-05T08:00:00Z'); // after the past event's start, before the other's
      const counts = await t.db.transaction((tx) => svc.forgetPerson(tx, ids.erik!, later));
      assert.equal(counts.eventRegistrations, 2);
      assert.equal(counts.eventPromotions, 1, 'only the upcoming event moves up');
      assert.equal(await statusOf(id, 'erik'), undefined);
      assert.equal(await statusOf(id, 'cora'), 'registered');
      assert.equal(await statusOf(id, 'dina'), 'waiting');
      assert.equal(await statusOf(past, 'cora'), 'waiting', 'a past event’s list stays as it was');
      sent.length = 0;
      await Promise.all([svc.sendReminders(sdeps()), svc.sendReminders(sdeps())]);
      const told = sent.filter((n) => n.link === `/veranstaltungen/${id}`);
      assert.deepEqual(
        told.map((n) => [n.userId, n.kind]),
        [[ids.cora, 'events']],
        'told once, even with two instances',
      );
      assert.match(told[0]!.subject, /Nachgerückt: Löschung/);
      sent.length = 0;
      await svc.sendReminders(sdeps());
      assert.equal(sent.filter((n) => n.link === `/veranstaltungen/${id}`).length, 0);
    });

    test('the public list with filters and the API (the pages use the real clock: June 2026 is past)', async () => {
      await svc.createEvent(
        sdeps(),
        actor('advisor'),
        form({ title: 'Nur Bayern', format: 'onsite', address: 'München' }),
      );
      await t.db.query("UPDATE desk_events SET state_keys = '{09}' WHERE title = 'Nur Bayern'");
      const list = await new Agent(app).get('/veranstaltungen?zeit=vergangen&land=16');
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, /Nur Bayern/);
      assert.match(
        (await new Agent(app).get('/veranstaltungen?zeit=vergangen&land=09&format=onsite')).body,
        /Nur Bayern/,
      );
      const api = await app.inject({ method: 'GET', url: '/api/v1/events?when=past&land=09&format=onsite' });
      assert.equal(api.statusCode, 200);
      const json = api.json() as { total: number; items: { title: string; url: string }[] };
      assert.ok(json.items.some((i) => i.title === 'Nur Bayern'));
      assert.ok(json.items.every((i) => !JSON.stringify(i).includes('meet.example')));
    });
  });
}
