import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../config.js';
import {
  encodeHeaderValue,
  formatDate,
  formatMailbox,
  MailAddressError,
  messageId,
  normalizeAddress,
  parseMailbox,
  quotedPrintable,
  renderMessage,
} from '../eml.js';
import { DEFAULT_MAIL_FROM, mailConfigFromEnv } from '../mail.config.js';
import { MAX_ATTEMPTS, nextAttemptAt } from '../mailer.js';

/** Decoders for the checks (RFC 2047 Q words, quoted-printable). */
function decodeWords(value: string): string {
  const unfolded = value.replace(/\?=\r\n =\?/g, '?==?');
  return unfolded.replace(/=\?UTF-8\?Q\?([^?]*)\?=/g, (_, q: string) => {
    const bytes = q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (__, h: string) => `%${h}`);
    return decodeURIComponent(bytes.replace(/[^%]/g, (c) => encodeURIComponent(c)));
  });
}
function decodeQp(text: string): string {
  const joined = text.replace(/=\r\n/g, '').replace(/\r\n/g, '\n');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=') {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

const SUBJECT = 'Bestätigen Sie Ihre E-Mail-Adresse';

test('RFC 2047: a subject with umlauts becomes one Q-encoded UTF-8 word', () => {
  assert.equal(encodeHeaderValue(SUBJECT, 'Subject: '.length), '=?UTF-8?Q?Best=C3=A4tigen_Sie_Ihre_E-Mail-Adresse?=');
  assert.equal(encodeHeaderValue('Plain ASCII subject'), 'Plain ASCII subject');
  assert.equal(encodeHeaderValue('Looks =?like?= a word'), '=?UTF-8?Q?Looks_=3D=3Flike=3F=3D_a_word?=');
});

test('RFC 2047: long values are split into words of at most 75 characters, folded, never inside a character', () => {
  const long = 'Einladung zur Arbeitsgruppe „Digitale Daseinsvorsorge in Städten und Gemeinden“ – Übersicht';
  const encoded = encodeHeaderValue(long, 'Subject: '.length);
  const lines = `Subject: ${encoded}`.split('\r\n');
  assert.ok(lines.length > 1);
  for (const line of lines) assert.ok(line.length <= 78, line);
  for (const word of encoded.split('\r\n ')) assert.ok(word.length <= 75 && /^=\?UTF-8\?Q\?.*\?=$/.test(word), word);
  assert.equal(decodeWords(encoded), long);
  assert.doesNotMatch(encodeHeaderValue('a\r\nBcc: x@y.de'), /[\r\n]/);
});

test('mailboxes: display names plain, quoted or encoded; IDN domains in ASCII', () => {
  assert.deepEqual(parseMailbox('Kommunallotse <noreply@example.org>'), {
    name: 'Kommunallotse',
    address: 'noreply@example.org',
  });
  assert.deepEqual(parseMailbox('"Lotse, KDSR" <a@b.de>'), { name: 'Lotse, KDSR', address: 'a@b.de' });
  assert.deepEqual(parseMailbox('  a@b.de '), { name: null, address: 'a@b.de' });
  assert.equal(formatMailbox({ name: 'Lotse, KDSR', address: 'a@b.de' }), '"Lotse, KDSR" <a@b.de>');
  assert.equal(formatMailbox({ name: 'Städte', address: 'a@b.de' }), '=?UTF-8?Q?St=C3=A4dte?= <a@b.de>');
  assert.equal(normalizeAddress('info@städte.de'), 'info@xn--stdte-hra.de');
  for (const bad of ['a b@c.de', 'x@y.de\r\nBcc: z@q.de', 'müller@b.de', 'no-at-sign', 'a@b@c', '<a@b.de>', 'a@.de']) {
    assert.throws(() => normalizeAddress(bad), MailAddressError, bad);
  }
});

test('quoted-printable: UTF-8, "=" and trailing blanks encoded, soft breaks at 76 characters, CRLF', () => {
  assert.equal(quotedPrintable('Grüße = 1 \nzweite Zeile'), 'Gr=C3=BC=C3=9Fe =3D 1=20\r\nzweite Zeile');
  const long = `${'ä'.repeat(40)} https://example.org/verify?token=${'x'.repeat(80)}`;
  const encoded = quotedPrintable(long);
  for (const line of encoded.split('\r\n')) assert.ok(line.length <= 76, line);
  assert.doesNotMatch(encoded.replace(/\r\n/g, ''), /[\r\n]/);
  assert.equal(decodeQp(encoded), long);
});

test('.eml: a complete RFC 5322 message with CRLF line ends', () => {
  const from = parseMailbox('Kommunallotse <noreply@kommunallotse.de>');
  const date = new Date(Date.UTC(2025, 0, 14, 9, 5, 0));
  const text = 'Hallo,\n\nbitte bestätigen Sie Ihre Adresse:\nhttps://kommunallotse.de/verify?t=abc\n';
  const eml = renderMessage({
    from,
    to: 'nutzerin@example.org',
    subject: SUBJECT,
    text,
    date,
    messageId: messageId(42, date, from),
    kind: 'verify-email',
  });
  assert.doesNotMatch(eml, /[^\r]\n/, 'no bare LF');
  assert.doesNotMatch(eml, /\r(?!\n)/, 'no bare CR');
  const split = eml.indexOf('\r\n\r\n');
  const head = eml.slice(0, split);
  const body = eml.slice(split + 4);
  const headers = head.split('\r\n');
  assert.deepEqual(headers, [
    'From: Kommunallotse <noreply@kommunallotse.de>',
    'To: nutzerin@example.org',
    'Subject: =?UTF-8?Q?Best=C3=A4tigen_Sie_Ihre_E-Mail-Adresse?=',
    'Date: Tue, 14 Jan 2025 09:05:00 +0000',
    `Message-ID: <outbox.42.${date.getTime().toString(36)}@kommunallotse.de>`,
    'MIME-Version: 1.0',
    'Auto-Submitted: auto-generated',
    'X-Kommunallotse-Kind: verify-email',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
  ]);
  assert.equal(formatDate(date), 'Tue, 14 Jan 2025 09:05:00 +0000');
  assert.ok(eml.endsWith('\r\n'));
  assert.equal(decodeQp(body.replace(/\r\n$/, '')), text);
});

test('.eml with HTML: multipart/alternative with a text and an HTML part', () => {
  const from = parseMailbox('a@b.de');
  const date = new Date(0);
  const eml = renderMessage({
    from,
    to: 'c@d.de',
    subject: 'Einladung',
    text: 'Text',
    html: '<p>Grüße</p>',
    date,
    messageId: messageId(1, date, from),
    kind: 'invitation',
  });
  const boundary = /boundary="([^"]+)"/.exec(eml)?.[1];
  assert.ok(boundary);
  const parts = eml.split(`--${boundary}`);
  assert.equal(parts.length, 4); // preamble, text, html, closing
  assert.match(parts[1]!, /Content-Type: text\/plain; charset=utf-8\r\n/);
  assert.match(parts[2]!, /Content-Type: text\/html; charset=utf-8\r\n[\s\S]*<p>Gr=C3=BC=C3=9Fe<\/p>/);
  assert.equal(parts[3], '--\r\n');
});

test('backoff: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h …, failed after the last attempt', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const minutes = [];
  for (let attempts = 1; attempts < MAX_ATTEMPTS; attempts++) {
    minutes.push((nextAttemptAt(attempts, now)!.getTime() - now.getTime()) / 60_000);
  }
  assert.deepEqual(minutes, [1, 5, 30, 120, 360, 720, 720]);
  assert.equal(MAX_ATTEMPTS, 8);
  assert.equal(nextAttemptAt(MAX_ATTEMPTS, now), null);
});

test('mail config: outbox by default, SMTP with a sender, clear errors', () => {
  assert.deepEqual(mailConfigFromEnv({}), { smtpUrl: null, from: DEFAULT_MAIL_FROM });
  assert.deepEqual(
    mailConfigFromEnv({ SMTP_URL: 'smtps://u:p@mail.example.org:465', MAIL_FROM: 'Lotse <noreply@example.org>' }),
    { smtpUrl: 'smtps://u:p@mail.example.org:465', from: 'Lotse <noreply@example.org>' },
  );
  const cases: [NodeJS.ProcessEnv, string, RegExp][] = [
    [{ SMTP_URL: 'smtp://mail.example.org' }, 'MAIL_FROM', /must be set/],
    [{ SMTP_URL: 'http://u:secret@x.de', MAIL_FROM: 'a@b.de' }, 'SMTP_URL', /smtp:\/\/ or smtps:\/\//],
    [{ SMTP_URL: 'not a url', MAIL_FROM: 'a@b.de' }, 'SMTP_URL', /is not a URL/],
    [{ MAIL_FROM: 'Lotse noreply' }, 'MAIL_FROM', /not an e-mail address/],
  ];
  for (const [env, variable, message] of cases) {
    assert.throws(
      () => mailConfigFromEnv(env),
      (err: unknown) => err instanceof ConfigError && err.variable === variable && message.test(err.message),
    );
  }
  // The password never appears in an error message.
  assert.throws(
    () => mailConfigFromEnv({ SMTP_URL: 'http://u:secret@x.de', MAIL_FROM: 'a@b.de' }),
    (err: Error) => !err.message.includes('secret'),
  );
});
