import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { createMailer, MAX_ATTEMPTS, type Mailer, type MailerOptions, type MailMessage } from '../mailer.js';

const FROM = 'Kommunallotse <noreply@kommunallotse.test>';
const MESSAGE: MailMessage = {
  to: 'nutzerin@example.org',
  subject: 'Bestätigen Sie Ihre E-Mail-Adresse',
  text: 'Hallo,\nbitte bestätigen Sie: https://kommunallotse.test/verify?token=abc\n',
  kind: 'verify-email',
};

interface Received {
  from: string | null;
  to: string[];
  raw: string;
}

/** A local SMTP server on a random port; `refuse` makes it answer RCPT TO with 451. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.refuse) return callback();
      callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          from: mailFrom ? mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

for (const kind of databaseKinds()) {
  describe(`mail on ${kind}`, () => {
    let t: TestDb;
    let dir: string;
    let now: Date;
    const mailers: Mailer[] = [];
    const clock = () => now;
    const mailer = (opts: Partial<MailerOptions>) => {
      const m = createMailer({ db: t.db, smtpUrl: null, from: FROM, outboxDir: dir, clock, ...opts });
      mailers.push(m);
      return m;
    };
    const emlFiles = () => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
    const rowCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_outbox'))[0]!.n;

    before(async () => {
      t = await createTestDb(kind);
    });
    after(async () => {
      await t?.dispose();
    });
    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-outbox-'));
      now = new Date('2030-06-01T12:00:00.000Z');
      await t.db.exec('TRUNCATE mail_outbox');
    });
    afterEach(async () => {
      await Promise.all(mailers.splice(0).map((m) => m.stop()));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('without SMTP: the mail is stored in the outbox and written as an .eml file', async () => {
      const m = mailer({});
      assert.equal(m.mode, 'outbox');
      const { id } = await m.send(MESSAGE);
      const row = await m.get(id);
      assert.ok(row);
      assert.equal(row.status, 'stored');
      assert.equal(row.attempts, 1);
      assert.equal(row.nextAttemptAt, null);
      assert.deepEqual(row.sentAt, now);
      assert.deepEqual(row.createdAt, now);
      assert.equal(row.subject, MESSAGE.subject);
      assert.deepEqual(emlFiles(), [`${id}-verify-email.eml`]);
      const eml = fs.readFileSync(path.join(dir, `${id}-verify-email.eml`), 'utf8');
      assert.equal(eml, m.render(row));
      assert.match(eml, /^From: Kommunallotse <noreply@kommunallotse\.test>\r\n/);
      assert.match(eml, /\r\nSubject: =\?UTF-8\?Q\?Best=C3=A4tigen_Sie_Ihre_E-Mail-Adresse\?=\r\n/);
      assert.match(eml, /\r\nDate: Sat, 01 Jun 2030 12:00:00 \+0000\r\n/);
      assert.match(
        eml,
        /\r\n\r\nHallo,\r\nbitte best=C3=A4tigen Sie: https:\/\/kommunallotse\.test\/verify\?token=3Dabc/,
      );
      assert.deepEqual(await m.list({ status: 'stored', limit: 10 }), [row]);
      assert.equal(await m.count({ status: 'pending' }), 0);
    });

    test('a mail sent inside a transaction that rolls back leaves no row and no file', async () => {
      const m = mailer({});
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await m.send(MESSAGE, tx);
          throw new Error('registration failed');
        }),
        /registration failed/,
      );
      await m.deliverPending();
      assert.equal(await rowCount(), 0);
      assert.deepEqual(emlFiles(), []);
    });

    test('a mail sent inside a committed transaction is stored once the transaction is over', async () => {
      const m = mailer({});
      const { id } = await t.db.transaction((tx) => m.send(MESSAGE, tx));
      await m.deliverPending();
      assert.equal((await m.get(id))?.status, 'stored');
      assert.deepEqual(emlFiles(), [`${id}-verify-email.eml`]);
    });

    test('an unwritable outbox directory: the mail stays pending with the error, and is stored later', async () => {
      const blocker = path.join(dir, 'file');
      fs.writeFileSync(blocker, '');
      const m = mailer({ outboxDir: path.join(blocker, 'outbox') });
      const { id } = await m.send(MESSAGE);
      const row = await m.get(id);
      assert.equal(row?.status, 'pending');
      assert.equal(row?.attempts, 1);
      assert.match(row?.lastError ?? '', /ENOTDIR|EEXIST/);
      fs.rmSync(blocker);
      now = new Date(now.getTime() + 60_000);
      assert.deepEqual(await m.deliverPending(), { sent: 0, stored: 1, failed: 0 });
      assert.equal((await m.get(id))?.status, 'stored');
      assert.ok(fs.existsSync(path.join(blocker, 'outbox', `${id}-verify-email.eml`)));
    });

    test('with SMTP: delivered with the right envelope, headers and body; the row becomes sent', async () => {
      const smtp = await startSmtp();
      try {
        const m = mailer({ smtpUrl: smtp.url });
        assert.equal(m.mode, 'smtp');
        const { id } = await m.send({ ...MESSAGE, html: '<p>Bitte bestätigen</p>' });
        await m.deliverPending();
        const row = await m.get(id);
        assert.equal(row?.status, 'sent');
        assert.equal(row?.attempts, 1);
        assert.equal(row?.lastError, null);
        assert.deepEqual(row?.sentAt, now);
        assert.equal(smtp.received.length, 1);
        const got = smtp.received[0]!;
        assert.equal(got.from, 'noreply@kommunallotse.test');
        assert.deepEqual(got.to, ['nutzerin@example.org']);
        assert.match(got.raw, /^From: Kommunallotse <noreply@kommunallotse\.test>\r\n/);
        assert.match(got.raw, /\r\nTo: nutzerin@example\.org\r\n/);
        assert.match(got.raw, /\r\nSubject: =\?UTF-8\?Q\?Best=C3=A4tigen_Sie_Ihre_E-Mail-Adresse\?=\r\n/);
        assert.match(got.raw, new RegExp(`\\r\\nMessage-ID: <outbox\\.${id}\\.[0-9a-z]+@kommunallotse\\.test>\\r\\n`));
        assert.match(got.raw, /Content-Type: multipart\/alternative/);
        assert.match(got.raw, /bitte best=C3=A4tigen Sie/);
        assert.match(got.raw, /<p>Bitte best=C3=A4tigen<\/p>/);
        assert.deepEqual(emlFiles(), [], 'no .eml files when SMTP is configured');
      } finally {
        await smtp.close();
      }
    });

    test('SMTP refuses: pending with attempts 1, the error and a later attempt; after that time a retry succeeds', async () => {
      const smtp = await startSmtp();
      try {
        smtp.state.refuse = true;
        const m = mailer({ smtpUrl: smtp.url });
        const { id } = await m.send(MESSAGE);
        await m.deliverPending();
        let row = await m.get(id);
        assert.equal(row?.status, 'pending');
        assert.equal(row?.attempts, 1);
        assert.match(row?.lastError ?? '', /451/);
        assert.deepEqual(row?.nextAttemptAt, new Date(now.getTime() + 60_000));
        // Not due yet: nothing happens.
        smtp.state.refuse = false;
        assert.deepEqual(await m.deliverPending(), { sent: 0, stored: 0, failed: 0 });
        assert.equal(smtp.received.length, 0);
        // The clock passes the next attempt: delivered.
        now = new Date(now.getTime() + 61_000);
        assert.deepEqual(await m.deliverPending(), { sent: 1, stored: 0, failed: 0 });
        row = await m.get(id);
        assert.equal(row?.status, 'sent');
        assert.equal(row?.attempts, 2);
        assert.match(row?.lastError ?? '', /451/, 'the earlier error stays visible');
        assert.equal(smtp.received.length, 1);
      } finally {
        await smtp.close();
      }
    });

    test('SMTP unreachable: the mail stays pending with the connection error', async () => {
      const m = mailer({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}` });
      const { id } = await m.send(MESSAGE);
      await m.deliverPending();
      const row = await m.get(id);
      assert.equal(row?.status, 'pending');
      assert.equal(row?.attempts, 1);
      assert.match(row?.lastError ?? '', /ECONNREFUSED/);
      assert.ok(row!.nextAttemptAt! > now);
    });

    test('after the last attempt the mail is failed, kept and visible; an admin can retry it', async () => {
      let fail = true;
      const m = mailer({
        transport: async () => {
          if (fail) throw new Error('550 relay denied');
        },
      });
      const { id } = await m.send(MESSAGE);
      await m.deliverPending();
      for (let i = 1; i < MAX_ATTEMPTS; i++) {
        now = new Date(now.getTime() + 24 * 3_600_000);
        await m.deliverPending();
      }
      const row = await m.get(id);
      assert.equal(row?.status, 'failed');
      assert.equal(row?.attempts, MAX_ATTEMPTS);
      assert.equal(row?.lastError, '550 relay denied');
      assert.equal(row?.nextAttemptAt, null);
      assert.equal(await m.count({ status: 'failed' }), 1);
      assert.equal(await m.retry(id), true);
      assert.equal(await m.retry(id), false, 'only failed mails');
      fail = false;
      await m.deliverPending();
      assert.equal((await m.get(id))?.status, 'sent');
    });

    test('the background worker delivers due mails; stop waits for it', async () => {
      const sent: string[] = [];
      const m = mailer({ transport: async (mail) => void sent.push(mail.to) });
      await t.db.transaction((tx) => m.send({ ...MESSAGE, to: 'a@example.org' }, tx));
      m.start(20);
      for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await m.stop();
      assert.deepEqual(sent, ['a@example.org']);
    });

    test('invalid recipients are refused before anything is written', async () => {
      const m = mailer({});
      await assert.rejects(m.send({ ...MESSAGE, to: 'x@example.org\r\nBcc: y@example.org' }), /not an e-mail address/);
      assert.equal(await rowCount(), 0);
    });
  });
}
