import path from 'node:path';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ShownFieldError } from '../platform/errors.js';
import { clearSessionCookie } from '../platform/http/auth.js';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { Field, Form, formRoute, OptionalText, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import type { ModuleDeps } from '../platform/module.js';
import { identityDeps } from './identity.pages.js';
import { deleteAccount, exportPersonalData } from './privacy.service.js';

/** `kommunallotse-daten-YYYY-MM-DD.json`, dated in German time. */
export function exportFileName(now = new Date()): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(now);
  return `kommunallotse-daten-${day}.json`;
}

function DeletePage({ ctx, errors }: { ctx: PageContext; errors: readonly ShownFieldError[] }) {
  const { t } = ctx;
  const title = errors.length ? `${t('error.title')}: ${t('privacy.deleteTitle')}` : t('privacy.deleteTitle');
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: '/konto', label: t('account.title') },
        { label: t('privacy.deleteTitle') },
      ]}
    >
      <div class="form-narrow">
        <h1 class="kern-heading-large">{t('privacy.deleteTitle')}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>{t('privacy.deleteLead')}</p>
        <ul>
          <li>{t('privacy.deleteWhatAccount')}</li>
          <li>{t('privacy.deleteWhatMails')}</li>
          <li>{t('privacy.deleteWhatAudit')}</li>
          <li>{t('privacy.deleteWhatOrg')}</li>
        </ul>
        <p>
          {t('privacy.deleteExportHint')} <a href="/konto/daten">{t('privacy.exportLink')}</a>
        </p>
        <form method="post" action="/konto/loeschen" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            id="confirm"
            type="email"
            label={t('privacy.deleteConfirm')}
            hint={t('privacy.deleteConfirmHint')}
            autocomplete="off"
            errors={errors}
          />
          <SubmitButton label={t('privacy.deleteSubmit')} />
        </form>
      </div>
    </Layout>
  );
}

function DeletedPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('privacy.deletedTitle')}>
      <div class="form-narrow">
        <h1 class="kern-heading-large">{t('privacy.deletedTitle')}</h1>
        <p>{t('privacy.deleted')}</p>
        <p>
          <a href="/">{t('error.back')}</a>
        </p>
      </div>
    </Layout>
  );
}

function PrivacyNoticeDe() {
  return (
    <>
      <p>
        Der Kommunallotse verarbeitet personenbezogene Daten nur, soweit das für die Plattform nötig ist. Er setzt keine
        Analyse- oder Werbewerkzeuge ein und lädt keine Inhalte von Dritten: Schriften, Stile und Bilder kommen vom
        eigenen Server.
      </p>
      <h2 class="kern-heading-medium">Verantwortliche Stelle</h2>
      <p>
        Verantwortlich ist die Stelle, die diese Instanz betreibt. Ihren Namen, ihre Anschrift und ihre Kontaktdaten –
        auch die der oder des Datenschutzbeauftragten – finden Sie im <a href="/impressum">Impressum</a>.
      </p>
      <h2 class="kern-heading-medium">Welche Daten, wozu und auf welcher Rechtsgrundlage</h2>
      <dl class="facts">
        <dt>Konto</dt>
        <dd>
          E-Mail-Adresse, Passwort (nur als Argon2-Hash, nie im Klartext), Zeitpunkt der Bestätigung, Rolle und
          Mitgliedschaften in Organisationen. Zweck: Anmeldung und Zusammenarbeit für Ihre Kommune oder Organisation.
          Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO (Nutzungsverhältnis), bei Nutzung für eine Behörde Art. 6 Abs. 1
          lit. e DSGVO.
        </dd>
        <dt>Sitzungen und Cookies</dt>
        <dd>
          Nach der Anmeldung ein Sitzungs-Cookie mit einer Zufallskennung (in der Datenbank nur als Hash), dazu Anmelde-
          und letzter Aktivitätszeitpunkt; ein Cookie gegen untergeschobene Formulare und eines für die gewählte
          Sprache; nach einer Anmeldung ein Geräte-Cookie (Zufallskennung, in der Datenbank nur als Hash, ein Jahr
          gültig), mit dem Sie sich auch dann anmelden können, wenn jemand Ihr Passwort von vielen Adressen aus zu
          erraten versucht. Alle sind technisch notwendig (§ 25 Abs. 2 Nr. 2 TDDDG); Rechtsgrundlage: Art. 6 Abs. 1 lit.
          b und f DSGVO.
        </dd>
        <dt>Einmal-Links</dt>
        <dd>
          Links zur Bestätigung der Adresse, zum Zurücksetzen des Passworts und zur Anmeldung – gespeichert nur als
          Hash, mit Ablaufzeit (eine Stunde bis 48 Stunden) und nur einmal verwendbar. Art. 6 Abs. 1 lit. b DSGVO.
        </dd>
        <dt>E-Mails</dt>
        <dd>
          Jede Nachricht der Plattform (Empfänger, Betreff, Text, Zustellstatus) steht im Postausgang, damit keine
          verloren geht und die Zustellung nachvollziehbar ist. Art. 6 Abs. 1 lit. b und f DSGVO.
        </dd>
        <dt>Änderungsprotokoll</dt>
        <dd>
          Jede Änderung wird protokolliert: wer (nur die Kontonummer), für welche Organisation, was, wann, die
          geänderten Felder vorher und nachher und die Anfrage-ID. Das Protokoll enthält keine E-Mail-Adressen und keine
          Passwörter und kann nicht verändert werden. Zweck: Nachvollziehbarkeit, Sicherheit und Rechenschaftspflicht
          (Art. 5 Abs. 2, Art. 32 DSGVO). Rechtsgrundlage: Art. 6 Abs. 1 lit. c DSGVO, im Übrigen lit. e bzw. f.
        </dd>
        <dt>Server-Protokolle</dt>
        <dd>
          Bei jedem Aufruf: Zeitpunkt, aufgerufene Adresse, Ergebnis, Anfrage-ID und IP-Adresse. Zweck: Betrieb,
          Fehlersuche und Abwehr von Angriffen (z. B. Begrenzung von Anmeldeversuchen: Zähler je IP-Adresse und Konto in
          der Datenbank, nach Ablauf ihres Zeitfensters von höchstens einer Stunde gelöscht). Rechtsgrundlage: Art. 6
          Abs. 1 lit. f DSGVO, bei Behörden lit. e.
        </dd>
      </dl>
      <h2 class="kern-heading-medium">Speicherdauer</h2>
      <ul>
        <li>Nicht bestätigte Konten: 7 Tage, dann werden sie automatisch gelöscht.</li>
        <li>Sitzungen: höchstens 12 Stunden, nach 2 Stunden ohne Aktivität früher.</li>
        <li>Konto: bis Sie es löschen.</li>
        <li>
          E-Mails: so lange die betreibende Stelle den Postausgang aufbewahrt. Löschen Sie Ihr Konto, werden Ihre
          Adresse und der Text Ihrer Nachrichten sofort entfernt.
        </li>
        <li>Änderungsprotokoll: so lange die Plattform betrieben wird – ohne E-Mail-Adressen.</li>
        <li>
          Server-Protokolle: so kurz wie für Betrieb und Sicherheit nötig; die Frist legt die betreibende Stelle fest.
        </li>
      </ul>
      <h2 class="kern-heading-medium">Ihre Rechte</h2>
      <p>Sie haben nach Art. 15 bis 21 DSGVO das Recht auf</p>
      <ul>
        <li>
          Auskunft und Datenübertragbarkeit (Art. 15, 20): Laden Sie unter{' '}
          <a href="/konto/daten">Meine Daten herunterladen</a> alles, was wir zu Ihrem Konto speichern, als JSON-Datei
          herunter.
        </li>
        <li>
          Löschung (Art. 17): Unter <a href="/konto/loeschen">Konto löschen</a> löschen Sie Ihr Konto selbst, sofort.
        </li>
        <li>
          Berichtigung (Art. 16): Ihr Passwort ändern Sie unter „Konto“; alles Weitere ändert die betreibende Stelle.
        </li>
        <li>
          Einschränkung der Verarbeitung (Art. 18) und Widerspruch (Art. 21): Wenden Sie sich an die betreibende Stelle
          (siehe <a href="/impressum">Impressum</a>).
        </li>
      </ul>
      <p>
        Sie können sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO), etwa bei der
        Landesbeauftragten bzw. dem Landesbeauftragten für den Datenschutz des Landes, in dem die betreibende Stelle
        ihren Sitz hat, bei Bundesbehörden bei der oder dem Bundesbeauftragten für den Datenschutz und die
        Informationsfreiheit (BfDI).
      </p>
    </>
  );
}

function PrivacyNoticeEn() {
  return (
    <>
      <p>
        Kommunallotse processes personal data only as far as the platform needs it. It uses no analytics or advertising
        tools and loads no third-party content: fonts, styles and images come from its own server.
      </p>
      <h2 class="kern-heading-medium">Controller</h2>
      <p>
        The controller is the body that operates this instance. Its name, address and contact details – including those
        of its data protection officer – are in the <a href="/impressum">imprint</a>.
      </p>
      <h2 class="kern-heading-medium">What data, for what purpose, on what legal basis</h2>
      <dl class="facts">
        <dt>Account</dt>
        <dd>
          E-mail address, password (only as an Argon2 hash, never in plain text), time of confirmation, role and
          memberships in organisations. Purpose: signing in and working together for your municipality or organisation.
          Legal basis: Art. 6 (1) (b) GDPR (terms of use); when used for a public authority, Art. 6 (1) (e) GDPR.
        </dd>
        <dt>Sessions and cookies</dt>
        <dd>
          After sign-in a session cookie with a random identifier (stored in the database only as a hash), with the time
          of sign-in and of last activity; one cookie against forged forms and one for the chosen language; after a
          sign-in a device cookie (a random identifier, stored only as a hash, valid for a year) that lets you sign in
          even while somebody tries to guess your password from many addresses. All are strictly necessary (§ 25 (2) no.
          2 TDDDG); legal basis: Art. 6 (1) (b) and (f) GDPR.
        </dd>
        <dt>One-time links</dt>
        <dd>
          Links to confirm the address, reset the password and sign in – stored only as hashes, expiring (one to 48
          hours) and single use. Art. 6 (1) (b) GDPR.
        </dd>
        <dt>E-mails</dt>
        <dd>
          Every message of the platform (recipient, subject, text, delivery status) is kept in the outbox, so that none
          gets lost and delivery can be traced. Art. 6 (1) (b) and (f) GDPR.
        </dd>
        <dt>Audit log</dt>
        <dd>
          Every change is logged: who (account number only), for which organisation, what, when, the changed fields
          before and after, and the request ID. The log holds no e-mail addresses and no passwords and cannot be
          altered. Purpose: traceability, security and accountability (Art. 5 (2), Art. 32 GDPR). Legal basis: Art. 6
          (1) (c) GDPR, otherwise (e) or (f).
        </dd>
        <dt>Server logs</dt>
        <dd>
          For every request: time, address requested, outcome, request ID and IP address. Purpose: operation,
          troubleshooting and defence against attacks (e.g. limiting sign-in attempts: counters per IP address and
          account in the database, deleted when their window of at most an hour has passed). Legal basis: Art. 6 (1) (f)
          GDPR, for public authorities (e).
        </dd>
      </dl>
      <h2 class="kern-heading-medium">Retention</h2>
      <ul>
        <li>Unconfirmed accounts: 7 days, then they are deleted automatically.</li>
        <li>Sessions: at most 12 hours, earlier after 2 hours without activity.</li>
        <li>Account: until you delete it.</li>
        <li>
          E-mails: as long as the operator keeps the outbox. When you delete your account, your address and the text of
          your messages are erased at once.
        </li>
        <li>Audit log: as long as the platform runs – without e-mail addresses.</li>
        <li>Server logs: as briefly as operation and security require; the operator sets the period.</li>
      </ul>
      <h2 class="kern-heading-medium">Your rights</h2>
      <p>Under Art. 15 to 21 GDPR you have the right to</p>
      <ul>
        <li>
          access and data portability (Art. 15, 20): <a href="/konto/daten">download my data</a> gives you everything we
          store about your account as a JSON file.
        </li>
        <li>
          erasure (Art. 17): at <a href="/konto/loeschen">delete account</a> you delete your account yourself, at once.
        </li>
        <li>rectification (Art. 16): change your password under “Account”; the operator changes anything else.</li>
        <li>
          restriction of processing (Art. 18) and objection (Art. 21): contact the operator (see{' '}
          <a href="/impressum">imprint</a>).
        </li>
      </ul>
      <p>
        You may also lodge a complaint with a data protection supervisory authority (Art. 77 GDPR), such as the data
        protection commissioner of the Land where the operator has its seat, or, for federal bodies, the Federal
        Commissioner for Data Protection and Freedom of Information (BfDI).
      </p>
    </>
  );
}

function PrivacyNoticePage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('privacy.title')}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: t('privacy.title') }]}
    >
      <h1 class="kern-heading-large">{t('privacy.title')}</h1>
      {ctx.lang === 'en' ? <PrivacyNoticeEn /> : <PrivacyNoticeDe />}
    </Layout>
  );
}

/** The privacy notice, the data export and the erasure of one's own account (DSGVO). */
export const privacyPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    const pub = { config: { access: 'public' as const } };
    const user = { config: { access: 'user' as const } };
    // Where the mailer keeps .eml copies when there is no SMTP server (as in app.ts).
    const outboxDir = d.config.mail.smtpUrl ? null : path.join(d.config.dataDir, 'outbox');

    app.get('/datenschutz', pub, async (request, reply) =>
      sendHtml(reply, renderPage(<PrivacyNoticePage ctx={pageContext(request)} />)),
    );

    app.get('/konto/daten', user, async (request, reply) => {
      const data = await exportPersonalData(identityDeps(d, request), d.modules, request.auth!.user.id);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName()}"`)
        .header('cache-control', 'no-store')
        .send(`${JSON.stringify(data, null, 2)}\n`);
    });

    app.get('/konto/loeschen', user, async (request, reply) =>
      sendHtml(reply, renderPage(<DeletePage ctx={pageContext(request)} errors={[]} />)),
    );

    formRoute(app, {
      url: '/konto/loeschen',
      access: 'user',
      body: Form({ confirm: OptionalText(1000) }),
      render: (request, _input, errors) => <DeletePage ctx={pageContext(request)} errors={errors} />,
      handle: async (request, input) => {
        await deleteAccount(
          identityDeps(d, request),
          d.modules,
          request.auth!.user.id,
          (input.confirm ?? '').slice(0, 254),
          {
            outboxDir,
          },
        );
        return { redirect: '/konto/geloescht' };
      },
    });
    // The deleted account's session is gone with it; the browser's cookie is cleared on the next page.
    app.addHook('onSend', async (request, reply) => {
      if (request.url === '/konto/loeschen' && request.method === 'POST' && reply.statusCode === 303) {
        clearSessionCookie(reply, request);
      }
    });

    app.get('/konto/geloescht', pub, async (request, reply) =>
      sendHtml(reply, renderPage(<DeletedPage ctx={pageContext(request)} />)),
    );
  };
