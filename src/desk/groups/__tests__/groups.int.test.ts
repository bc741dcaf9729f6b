import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';

/**
 * Cooperation groups through their pages on both databases: Eisenach founds a group and invites Erfurt, which
 * accepts; Weimar (a stranger) and people without a workspace never see its threads, documents or decisions
 * (404) until the group is listed — then only title, description and member municipalities; plain members get
 * 403 for the lead's actions; uploads are checked (size, type by bytes) with a clear error; downloads are
 * sandboxed attachments; a stale decision edit is a 409 that keeps what was typed; the templates are DOCX with
 * the members; notifications go out as mails of kind 'groups'; the lead is handed over.
 */
const PDF = Buffer.from('%PDF-1.4\n%Protokoll der Sitzung\n');

function multipart(fields: Record<string, string>, file?: { filename: string; bytes: Buffer }) {
  const boundary = '----kl-groups-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

for (const kind of databaseKinds()) {
  describe(`cooperation groups on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const orgs: Record<string, number> = {};
    const names: Record<string, string> = {};
    const deps = () => ({
      db: t.db,
      mailer: { send: async () => ({ id: 0 }) },
      publicUrl: 'http://localhost',
      t: TEST_T,
    });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(deps(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    let groupId = 0;
    let url = '';
    let threadUrl = '';
    let docUrl = '';
    let decisionUrl = '';
    const csrfOf = async (a: Agent, page: string) => {
      const res = await a.get(page);
      return /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!;
    };
    const upload = async (a: Agent, file?: { filename: string; bytes: Buffer }) => {
      const mp = multipart({ _csrf: await csrfOf(a, url) }, file);
      return app.inject({
        method: 'POST',
        url: `${url}/dokumente`,
        headers: { cookie: a.cookieHeader(), 'content-type': mp.type, accept: 'text/html' },
        payload: mp.body,
      });
    };
    const mailsTo = async (email: string) =>
      t.db.query<{ subject: string; body: string }>(
        'SELECT subject, body_text AS body FROM mail_outbox WHERE to_address = $1 ORDER BY id',
        [email],
      );

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      for (const name of ['anna', 'bert', 'wilma', 'niemand']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      for (const [org, region, user] of [
        ['eisenach', '16056', 'anna'],
        ['erfurt', '16051', 'bert'],
        ['weimar', '16055', 'wilma'],
      ] as const) {
        orgs[org] = (
          await t.db.query<{ id: number }>(
            "INSERT INTO organisations (kind, region_key, name) VALUES ('region', $1, $2) RETURNING id::int AS id",
            [region, org],
          )
        )[0]!.id;
        await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
          orgs[org],
          ids[user],
        ]);
        names[org] = (
          await t.db.query<{ name: string }>(
            'SELECT coalesce(r.name, o.name) AS name FROM organisations o LEFT JOIN regions r ON r.key = o.region_key WHERE o.id = $1',
            [orgs[org]],
          )
        )[0]!.name;
      }
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('a member of a municipal workspace founds a group; the form keeps what was typed on error', async () => {
      const anna = await as('anna');
      const bad = await anna.post(
        '/kooperation/neu',
        { org: String(orgs.eisenach), title: 'ab', description: 'Gemeinsam planen' },
        '/kooperation/neu',
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Gemeinsam planen/);
      assert.match(bad.body, /href="#title"/);
      const res = await anna.post(
        '/kooperation/neu',
        {
          org: String(orgs.eisenach),
          title: 'Gemeinsames Bürgerportal',
          description: 'Ein Portal für die Region.',
          region: '',
        },
        '/kooperation/neu',
      );
      assert.equal(res.statusCode, 303);
      groupId = Number(/kooperation\/(\d+)/.exec(String(res.headers.location))![1]);
      url = `/kooperation/${groupId}`;
      const page = await anna.get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Kommune einladen/);
      // Without a municipal workspace nobody founds a group.
      const niemand = await as('niemand');
      assert.equal((await niemand.get('/kooperation/neu')).statusCode, 403);
    });

    test('the lead invites Erfurt by its key; Erfurt is told and accepts; strangers see nothing', async () => {
      const anna = await as('anna');
      const unknown = await anna.post(`${url}/einladen`, { invitee: '09162' }, url);
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /value="09162"/);
      assert.equal((await anna.post(`${url}/einladen`, { invitee: '16051' }, url)).statusCode, 303);
      const invitations = await mailsTo('bert@example.org');
      assert.ok(invitations.some((m) => m.subject.includes('Einladung') && m.body.includes(url)));

      const bert = await as('bert');
      const invited = await bert.get(url);
      assert.equal(invited.statusCode, 200);
      assert.match(invited.body, /Einladung annehmen/);
      assert.doesNotMatch(invited.body, /Neue Diskussion/);
      assert.equal(
        (await bert.post(`${url}/einladung`, { accept: '1', org: String(orgs.erfurt) }, url)).statusCode,
        303,
      );
      assert.match((await bert.get(url)).body, /Neue Diskussion/);

      for (const who of ['wilma', 'niemand']) {
        const a = await as(who);
        assert.equal((await a.get(url)).statusCode, 404, `${who} does not see the unlisted group`);
      }
      assert.equal((await new Agent(app).get(url)).statusCode, 404);
      assert.doesNotMatch((await new Agent(app).get('/kooperation')).body, /Gemeinsames Bürgerportal/);
    });

    test('threads: Markdown rendered safely; members post; a member of another workspace gets 404', async () => {
      const anna = await as('anna');
      const res = await anna.post(
        `${url}/themen`,
        { threadTitle: 'Anbieterauswahl', threadBody: 'Wir prüfen **zwei** Anbieter. <script>alert(1)</script>' },
        url,
      );
      assert.equal(res.statusCode, 303);
      threadUrl = String(res.headers.location).split('?')[0]!;
      const bert = await as('bert');
      const page = await bert.get(threadUrl);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<strong>zwei<\/strong>/);
      assert.doesNotMatch(page.body, /<script>alert/);
      assert.match(page.body, /anna@example\.org/);
      assert.equal((await bert.post(`${threadUrl}/beitraege`, { body: 'Einverstanden.' }, threadUrl)).statusCode, 303);
      const empty = await bert.post(`${threadUrl}/beitraege`, { body: '  ' }, threadUrl);
      assert.equal(empty.statusCode, 400);
      assert.ok((await mailsTo('bert@example.org')).some((m) => m.subject.startsWith('Neue Diskussion')));
      assert.ok((await mailsTo('anna@example.org')).some((m) => m.subject.startsWith('Neuer Beitrag')));

      const wilma = await as('wilma');
      assert.equal((await wilma.get(threadUrl)).statusCode, 404);
      const csrf = await csrfOf(wilma, '/kooperation/neu');
      const post = await app.inject({
        method: 'POST',
        url: `${threadUrl}/beitraege`,
        headers: {
          cookie: wilma.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
        },
        payload: new URLSearchParams({ _csrf: csrf, body: 'Eingeschmuggelt' }).toString(),
      });
      assert.equal(post.statusCode, 404);
    });

    test('a post is corrected by its author only; a stale form is a 409 that keeps the text; marked as changed', async () => {
      const anna = await as('anna');
      const bert = await as('bert');
      const [bertsPost] = await t.db.query<{ id: number; version: number }>(
        "SELECT id::int AS id, version FROM desk_group_posts WHERE body = 'Einverstanden.'",
      );
      const editUrl = `${threadUrl}/beitraege/${bertsPost!.id}/bearbeiten`;
      const page = await bert.get(threadUrl);
      assert.ok(page.body.includes(`href="${editUrl}"`), 'the author sees the edit link');
      assert.ok(!(await anna.get(threadUrl)).body.includes(`href="${editUrl}"`), 'others do not');
      const form = await bert.get(editUrl);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, />Einverstanden\.<\/textarea>/);
      assert.match(form.body, new RegExp(`name="version" value="${bertsPost!.version}"`));

      const refused = await anna.post(editUrl, { version: '1', body: 'Übernommen' }, threadUrl);
      assert.equal(refused.statusCode, 403, 'the lead may not change another’s words');
      assert.equal((await anna.get(editUrl)).statusCode, 403);
      assert.equal((await (await as('wilma')).get(editUrl)).statusCode, 404);
      assert.equal((await bert.get(`${threadUrl}/beitraege/999999/bearbeiten`)).statusCode, 404);

      const empty = await bert.post(editUrl, { version: '1', body: ' ' }, editUrl);
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /href="#body"/);
      const ok = await bert.post(editUrl, { version: '1', body: 'Einverstanden, mit **einer** Bedingung.' }, editUrl);
      assert.equal(ok.statusCode, 303);
      assert.match(String(ok.headers.location), new RegExp(`hinweis=bearbeitet#post-${bertsPost!.id}$`));
      const stale = await bert.post(editUrl, { version: '1', body: 'Mein zweiter Stand' }, editUrl);
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Mein zweiter Stand/, 'the typed text is kept');
      const after = (await anna.get(threadUrl)).body;
      assert.match(after, /<strong>einer<\/strong> Bedingung/);
      assert.match(after, /\(geändert am /);
      const [row] = await t.db.query<{ version: number }>('SELECT version FROM desk_group_posts WHERE id = $1', [
        bertsPost!.id,
      ]);
      assert.equal(row!.version, 2);
    });

    test('documents: limits and types with a clear error; downloads are sandboxed attachments for members only', async () => {
      const anna = await as('anna');
      const wrong = await upload(anna, { filename: 'protokoll.pdf', bytes: Buffer.from('MZ\u0090\u0000 not a pdf') });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /keinen erlaubten Dateityp/);
      const big = Buffer.alloc(10 * 1024 * 1024 + 10, 0x20);
      big.write('%PDF-1.4');
      const tooBig = await upload(anna, { filename: 'gross.pdf', bytes: big });
      assert.equal(tooBig.statusCode, 400);
      assert.match(tooBig.body, /zu groß/);
      const none = await upload(anna);
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /Wählen Sie eine Datei/);
      // The group's total: 100 MB together (filled up with a stored row).
      await t.db.query(
        `INSERT INTO desk_group_documents (group_id, filename, media_type, size, sha256, bytes)
         VALUES ($1, 'platzhalter.pdf', 'application/pdf', $2, 'x', '\\x25')`,
        [groupId, 100 * 1024 * 1024 - 10],
      );
      const full = await upload(anna, { filename: 'protokoll.pdf', bytes: PDF });
      assert.equal(full.statusCode, 400);
      assert.match(full.body, /zusammen höchstens 100 MB/);
      await t.db.query("DELETE FROM desk_group_documents WHERE filename = 'platzhalter.pdf'");

      const ok = await upload(anna, { filename: 'Protokoll März.pdf', bytes: PDF });
      assert.equal(ok.statusCode, 303);
      const bert = await as('bert');
      const page = await bert.get(url);
      docUrl = /href="(\/kooperation\/\d+\/dokumente\/\d+)"/.exec(page.body)![1]!;
      const dl = await bert.get(docUrl);
      assert.equal(dl.statusCode, 200);
      assert.equal(dl.headers['content-type'], 'application/pdf');
      assert.equal(dl.headers['x-content-type-options'], 'nosniff');
      assert.match(String(dl.headers['content-disposition']), /^attachment; filename="Protokoll-Marz\.pdf"$/);
      assert.match(String(dl.headers['content-security-policy']), /sandbox/);
      assert.deepEqual(dl.rawPayload, PDF);
      const mail = (await mailsTo('bert@example.org')).find((m) => m.subject.startsWith('Neues Dokument'));
      assert.ok(mail && !mail.body.includes('Protokoll der Sitzung'), 'the mail names the file, never its content');
      assert.equal((await (await as('wilma')).get(docUrl)).statusCode, 404);
      assert.equal((await (await as('niemand')).get(docUrl)).statusCode, 404);
    });

    test('documents are deleted by who uploaded them or by the lead; other members 403, strangers 404', async () => {
      const anna = await as('anna');
      const bert = await as('bert');
      const docIdOf = async (filename: string) =>
        (
          await t.db.query<{ id: number }>(
            'SELECT id::int AS id FROM desk_group_documents WHERE group_id = $1 AND filename = $2',
            [groupId, filename],
          )
        )[0]?.id;
      assert.equal((await upload(anna, { filename: 'Anna.pdf', bytes: PDF })).statusCode, 303);
      assert.equal((await upload(bert, { filename: 'Bert eins.pdf', bytes: PDF })).statusCode, 303);
      assert.equal((await upload(bert, { filename: 'Bert zwei.pdf', bytes: PDF })).statusCode, 303);
      const [annas, bert1, bert2] = [
        await docIdOf('Anna.pdf'),
        await docIdOf('Bert-eins.pdf'),
        await docIdOf('Bert-zwei.pdf'),
      ];
      assert.ok(annas && bert1 && bert2, 'stored under their safe names');
      const del = (id: number) => `${url}/dokumente/${id}/loeschen`;
      // buttons only where the person may delete
      const bertsPage = (await bert.get(url)).body;
      assert.ok(bertsPage.includes(`action="${del(bert1!)}"`));
      assert.ok(!bertsPage.includes(`action="${del(annas!)}"`), 'not on another member’s document');
      assert.match(bertsPage, /aria-label="„Bert-eins\.pdf“ löschen"/);
      const annasPage = (await anna.get(url)).body;
      assert.ok(annasPage.includes(`action="${del(bert1!)}"`), 'the lead may delete any');

      const refused = await bert.post(del(annas!), {}, url);
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /die federführende Kommune löschen/);
      assert.equal((await (await as('wilma')).post(del(annas!), {}, '/kooperation')).statusCode, 404);
      assert.equal((await bert.post(`${url}/dokumente/999999/loeschen`, {}, url)).statusCode, 404);
      assert.ok(await docIdOf('Anna.pdf'), 'still there');

      const own = await bert.post(del(bert1!), {}, url);
      assert.equal(own.statusCode, 303);
      assert.match(String(own.headers.location), /hinweis=dokumentGeloescht/);
      assert.equal(await docIdOf('Bert-eins.pdf'), undefined);
      assert.equal((await bert.get(`${url}/dokumente/${bert1}`)).statusCode, 404);
      assert.equal((await anna.post(del(bert2!), {}, url)).statusCode, 303, 'the lead deletes a member’s document');
      assert.equal(await docIdOf('Bert-zwei.pdf'), undefined);
      assert.equal((await anna.post(del(annas!), {}, url)).statusCode, 303);
      const [audit] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'cooperation.document.delete'",
      );
      assert.equal(audit!.n, 3);
    });

    test('lead-only actions are 403 for a plain member; decisions with dates; a stale edit is 409', async () => {
      const bert = await as('bert');
      const lead: [string, Record<string, string>][] = [
        [`${url}/einladen`, { invitee: '16055' }],
        [`${url}/einstellungen`, { version: '1', title: 'Übernommen', description: '', region: '' }],
        [`${url}/leitung`, { org: String(orgs.erfurt) }],
        [`${url}/mitglieder/${orgs.eisenach}/entfernen`, {}],
        [`${url}/beschluesse`, { decisionTitle: 'Alleingang', decidedOn: '2027-03-10', decisionBody: '' }],
      ];
      for (const [path, form] of lead) assert.equal((await bert.post(path, form, url)).statusCode, 403, path);
      assert.equal((await bert.get(`${url}/einstellungen`)).statusCode, 403);

      const anna = await as('anna');
      const badDate = await anna.post(
        `${url}/beschluesse`,
        { decisionTitle: 'Ausschreibung', decidedOn: '10.03.2027' },
        url,
      );
      assert.equal(badDate.statusCode, 400);
      assert.match(badDate.body, /value="Ausschreibung"/);
      assert.equal(
        (
          await anna.post(
            `${url}/beschluesse`,
            {
              decisionTitle: 'Gemeinsame Ausschreibung',
              decidedOn: '2027-03-10',
              decisionBody: 'Einstimmig beschlossen.',
            },
            url,
          )
        ).statusCode,
        303,
      );
      const page = await bert.get(url);
      assert.match(page.body, /Gemeinsame Ausschreibung/);
      assert.match(page.body, /10\.03\.2027/);
      assert.ok((await mailsTo('bert@example.org')).some((m) => m.subject.startsWith('Neuer Beschluss')));
      decisionUrl = /href="(\/kooperation\/\d+\/beschluesse\/\d+)"/.exec((await anna.get(url)).body)![1]!;
      const edit = {
        version: '1',
        decisionTitle: 'Gemeinsame Ausschreibung 2027',
        decidedOn: '2027-03-11',
        decisionBody: '',
      };
      assert.equal((await anna.post(decisionUrl, edit, decisionUrl)).statusCode, 303);
      const stale = await anna.post(decisionUrl, { ...edit, decisionTitle: 'Zu spät' }, url);
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /value="Zu spät"/);
      assert.match(stale.body, /inzwischen geändert/);
      assert.equal((await (await as('wilma')).get(decisionUrl)).statusCode, 404);
    });

    test('a listed group shows strangers only title, description and members; they ask to join', async () => {
      const anna = await as('anna');
      const settings = await anna.get(`${url}/einstellungen`);
      const version = /name="version" value="(\d+)"/.exec(settings.body)![1]!;
      const saved = await anna.post(
        `${url}/einstellungen`,
        {
          version,
          title: 'Gemeinsames Bürgerportal',
          description: 'Ein Portal für die Region.',
          region: '16063',
          listed: '1',
        },
        `${url}/einstellungen`,
      );
      assert.equal(saved.statusCode, 303);
      const stale = await anna.post(
        `${url}/einstellungen`,
        { version, title: 'Veraltet', description: '', region: '' },
        `${url}/einstellungen`,
      );
      assert.equal(stale.statusCode, 409);

      for (const a of [new Agent(app), await as('wilma'), await as('niemand')]) {
        const page = await a.get(url);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Gemeinsames Bürgerportal/);
        assert.match(page.body, /Ein Portal für die Region/);
        assert.ok(page.body.includes(names.eisenach!) && page.body.includes(names.erfurt!));
        for (const hidden of ['Anbieterauswahl', 'Protokoll-Marz', 'Gemeinsame Ausschreibung', 'anna@example.org'])
          assert.ok(!page.body.includes(hidden), `strangers do not see ${hidden}`);
      }
      assert.match((await new Agent(app).get('/kooperation')).body, /Gemeinsames Bürgerportal/);
      // The shared parts stay closed.
      const wilma = await as('wilma');
      for (const path of [threadUrl, docUrl, `${url}/vorlagen/vereinbarung`])
        assert.equal((await wilma.get(path)).statusCode, 404, path);

      assert.equal((await wilma.post(`${url}/beitreten`, { org: String(orgs.weimar) }, url)).statusCode, 303);
      assert.ok((await mailsTo('anna@example.org')).some((m) => m.subject.startsWith('Beitrittsanfrage')));
      assert.equal(
        (await (await as('bert')).post(`${url}/antraege/${orgs.weimar}`, { accept: '1' }, url)).statusCode,
        403,
      );
      assert.equal((await anna.post(`${url}/antraege/${orgs.weimar}`, { accept: '1' }, url)).statusCode, 303);
      assert.equal((await wilma.get(threadUrl)).statusCode, 200);
    });

    test('templates: DOCX with the members and headings', async () => {
      const bert = await as('bert');
      for (const kind of ['vereinbarung', 'zweckverband']) {
        const res = await bert.get(`${url}/vorlagen/${kind}`);
        assert.equal(res.statusCode, 200);
        assert.match(
          String(res.headers['content-disposition']),
          new RegExp(`attachment; filename="${kind}-gemeinsames-buergerportal\\.docx"`),
        );
        const xml = strFromU8(unzipSync(new Uint8Array(res.rawPayload))['word/document.xml']!);
        for (const n of [names.eisenach!, names.erfurt!, names.weimar!])
          assert.ok(xml.includes(n), `${kind} names ${n}`);
        assert.match(xml, /federführend/);
        assert.match(xml, /<w:pStyle w:val="Heading1"\/>/);
        assert.match(xml, /Datenschutz und Auftragsverarbeitung/);
      }
      assert.equal((await bert.get(`${url}/vorlagen/satzung`)).statusCode, 404);
    });

    test('the lead hands over; the new lead cannot leave, a plain member can; a removed workspace sees nothing', async () => {
      const anna = await as('anna');
      const bert = await as('bert');
      assert.equal((await anna.post(`${url}/austreten`, {}, url)).statusCode, 409);
      assert.equal((await anna.post(`${url}/leitung`, { org: String(orgs.erfurt) }, url)).statusCode, 303);
      assert.ok((await mailsTo('bert@example.org')).some((m) => m.subject.startsWith('Federführung')));
      assert.equal((await anna.post(`${url}/einladen`, { invitee: '16055' }, url)).statusCode, 403);
      assert.equal((await bert.post(`${url}/austreten`, {}, url)).statusCode, 409);
      assert.equal((await bert.post(`${url}/mitglieder/${orgs.weimar}/entfernen`, {}, url)).statusCode, 303);
      assert.equal((await (await as('wilma')).get(threadUrl)).statusCode, 404);
      assert.equal((await anna.post(`${url}/austreten`, {}, url)).statusCode, 303);
      assert.equal((await anna.get(threadUrl)).statusCode, 404);
    });
  });
}
