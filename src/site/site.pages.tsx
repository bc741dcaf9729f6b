import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { missingOperatorSettings, type OperatorConfig } from '../platform/config.js';
import type { Db } from '../platform/db/db.js';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate, formatNumber } from '../platform/i18n/i18n.js';
import * as register from '../register/index.js';

/** The public data sources with licence and attribution, shown on /datenquellen. */
export const DATA_SOURCES = [
  {
    id: 'gv100ad',
    name: 'Gemeindeverzeichnis GV-ISys (GV100AD)',
    publisher: 'Statistisches Bundesamt (Destatis)',
    url: 'https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html',
    licence: 'Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)',
    licenceUrl: 'https://www.govdata.de/dl-de/by-2-0',
    attribution: 'Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV-ISys, Gebietsstand siehe unten',
  },
  {
    id: 'gebietsaenderungen',
    name: 'Namens-, Grenz- und Schlüsseländerungen bei Gemeinden (Gebietsänderungen)',
    publisher: 'Statistisches Bundesamt (Destatis)',
    url: 'https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/Namens-Grenz-Aenderung/namens-grenz-aenderung.html',
    licence: 'dl-de/by-2-0',
    licenceUrl: 'https://www.govdata.de/dl-de/by-2-0',
    attribution: 'Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis, Gebietsänderungen',
  },
  {
    id: 'bbsr',
    name: 'Umstiegsschlüssel Gemeinden und Kreise',
    publisher: 'Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR)',
    url: 'https://www.bbsr.bund.de/BBSR/DE/forschung/raumbeobachtung/umstiegsschluessel/umstiegsschluessel.html',
    licence: 'dl-de/by-2-0',
    licenceUrl: 'https://www.govdata.de/dl-de/by-2-0',
    attribution: 'Laufende Raumbeobachtung des BBSR',
  },
  {
    id: 'vg5000',
    name: 'Verwaltungsgebiete 1:5 000 000 (VG5000) / 1:250 000 (VG250)',
    publisher: 'Bundesamt für Kartographie und Geodäsie (BKG)',
    url: 'https://gdz.bkg.bund.de/index.php/default/open-data.html',
    licence: 'dl-de/by-2-0',
    licenceUrl: 'https://www.govdata.de/dl-de/by-2-0',
    attribution: '© GeoBasis-DE / BKG (Jahr des Datenstands); vereinfacht',
  },
  {
    id: 'landkreise-deutschland',
    name: 'npm-Paket „landkreise-deutschland“ 3.0.0 (eingebauter Grundbestand: Länder und Kreise, Stand 31.12.2018)',
    publisher: 'Alexander Wunschik, nach Destatis GV-ISys',
    url: 'https://www.npmjs.com/package/landkreise-deutschland',
    licence: 'Creative Commons Namensnennung 4.0 (CC-BY-4.0)',
    licenceUrl: 'https://creativecommons.org/licenses/by/4.0/deed.de',
    attribution: 'landkreise-deutschland von Alexander Wunschik, CC-BY-4.0; Daten: Destatis',
  },
] as const;

function SourcesPage({
  ctx,
  status,
}: {
  ctx: PageContext;
  status: Awaited<ReturnType<typeof register.registerStatus>>;
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('sources.title')}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: t('sources.title') }]}
    >
      <h1 class="kern-heading-large">{t('sources.title')}</h1>
      <p>{t('sources.lead')}</p>
      {DATA_SOURCES.map((s) => (
        <section key={s.id} aria-labelledby={`src-${s.id}`}>
          <h2 class="kern-heading-medium" id={`src-${s.id}`}>
            {s.name}
          </h2>
          <dl class="facts">
            <dt>{t('sources.publisher')}</dt>
            <dd>{s.publisher}</dd>
            <dt>{t('sources.licence')}</dt>
            <dd>
              <a href={s.licenceUrl}>{s.licence}</a>
            </dd>
            <dt>{t('sources.attribution')}</dt>
            <dd>{s.attribution}</dd>
            <dt>{t('sources.download')}</dt>
            <dd>
              <a href={s.url}>{s.url}</a>
            </dd>
          </dl>
        </section>
      ))}
      <h2 class="kern-heading-medium" id="releases">
        {t('sources.imported')}
      </h2>
      <div class="table-wrap" role="region" tabindex={0} aria-label={t('sources.imported')}>
        <table class="kern-table" aria-labelledby="releases">
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__cell">
                {t('sources.colSource')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('sources.colRelease')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('sources.colFile')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('sources.colImported')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {status.releases.map((r) => (
              <tr class="kern-table__row" key={r.id}>
                <td class="kern-table__cell">{r.source}</td>
                <td class="kern-table__cell">{formatDate(ctx.lang, r.release)}</td>
                <td class="kern-table__cell">{r.fileName ?? '–'}</td>
                <td class="kern-table__cell">{formatDate(ctx.lang, new Date(r.importedAt).toISOString())}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 class="kern-heading-medium">{t('sources.boundaries')}</h2>
      {Object.keys(status.boundaries).length === 0 ? (
        <p>{t('sources.noBoundaries')}</p>
      ) : (
        <ul>
          {Object.entries(status.boundaries).map(([level, n]) => (
            <li key={level}>
              {t(`level.${level as 'land'}`)}: {formatNumber(ctx.lang, n)}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** A contact that may be a mail address (then a mailto link) or free text. */
function Contact({ value }: { value: string }) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? <a href={`mailto:${value}`}>{value}</a> : value;
}

/** The warning shown while the operator has not set the required details (and the settings to set). */
function MissingSettings({ ctx, missing }: { ctx: PageContext; missing: string[] }) {
  if (missing.length === 0) return null;
  return (
    <div class="kern-alert kern-alert--warning" role="status">
      <div class="kern-alert__header">
        <h2 class="kern-title">{ctx.t('imprint.incompleteTitle')}</h2>
      </div>
      <div class="kern-alert__body">
        <p>{ctx.t('imprint.incomplete')}</p>
        <ul>
          {missing.map((m) => (
            <li key={m}>
              <code>{m}</code>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function ImprintPage({ ctx, operator }: { ctx: PageContext; operator: OperatorConfig }) {
  const { t } = ctx;
  const missing = missingOperatorSettings(operator);
  const notSet = <em>{t('imprint.notSet')}</em>;
  return (
    <Layout
      ctx={ctx}
      title={t('imprint.title')}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: t('imprint.title') }]}
    >
      <h1 class="kern-heading-large">{t('imprint.title')}</h1>
      <MissingSettings ctx={ctx} missing={missing} />
      <h2 class="kern-heading-medium">{t('imprint.operatorTitle')}</h2>
      <dl class="facts">
        <dt>{t('imprint.name')}</dt>
        <dd>{operator.name ?? notSet}</dd>
        <dt>{t('imprint.address')}</dt>
        <dd>
          {operator.address
            ? operator.address.split('|').map((line, i) => (
                <span key={String(i)}>
                  {i > 0 ? <br /> : null}
                  {line.trim()}
                </span>
              ))
            : notSet}
        </dd>
        <dt>{t('imprint.email')}</dt>
        <dd>{operator.email ? <Contact value={operator.email} /> : notSet}</dd>
        {operator.phone ? (
          <>
            <dt>{t('imprint.phone')}</dt>
            <dd>{operator.phone}</dd>
          </>
        ) : null}
        {operator.responsible ? (
          <>
            <dt>{t('imprint.responsible')}</dt>
            <dd>{operator.responsible}</dd>
          </>
        ) : null}
      </dl>
      <h2 class="kern-heading-medium" id="datenschutz">
        {t('imprint.privacyTitle')}
      </h2>
      <p>
        {t('imprint.privacyContact')} {operator.privacyContact ? <Contact value={operator.privacyContact} /> : notSet}
      </p>
      <h2 class="kern-heading-medium">{t('imprint.accessibilityTitle')}</h2>
      <p>
        {t('imprint.accessibilityContact')}{' '}
        {operator.accessibilityContact ? <Contact value={operator.accessibilityContact} /> : notSet}{' '}
        <a href="/barrierefreiheit">{t('a11y.title')}</a>
      </p>
      <h2 class="kern-heading-medium">{t('imprint.softwareTitle')}</h2>
      <p>
        {t('imprint.sourceCode')} <a href="https://eupl.eu/1.2/de/">EUPL-1.2</a>.
      </p>
    </Layout>
  );
}

function AccessibilityPage({ ctx, operator }: { ctx: PageContext; operator: OperatorConfig }) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('a11y.title')}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: t('a11y.title') }]}
    >
      <h1 class="kern-heading-large">{t('a11y.title')}</h1>
      <p>{t('a11y.aim')}</p>
      <h2 class="kern-heading-medium">{t('a11y.statusTitle')}</h2>
      <p>{t('a11y.status')}</p>
      <h2 class="kern-heading-medium">{t('a11y.feedbackTitle')}</h2>
      <p>
        {operator.accessibilityContact ? (
          <>
            {t('a11y.feedbackContact')} <Contact value={operator.accessibilityContact} />.{' '}
          </>
        ) : (
          <>
            {t('a11y.feedbackBefore')} <a href="/impressum">{t('imprint.title')}</a>).{' '}
          </>
        )}
        {t('a11y.feedbackAfter')}
      </p>
    </Layout>
  );
}

export const sitePages =
  (db: Db, operator: OperatorConfig): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    app.get('/datenquellen', { config: { access: 'public' } }, async (request, reply) =>
      sendHtml(
        reply,
        renderPage(<SourcesPage ctx={pageContext(request)} status={await register.registerStatus(db)} />),
      ),
    );
    app.get('/impressum', { config: { access: 'public' } }, async (request, reply) =>
      sendHtml(reply, renderPage(<ImprintPage ctx={pageContext(request)} operator={operator} />)),
    );
    app.get('/barrierefreiheit', { config: { access: 'public' } }, async (request, reply) =>
      sendHtml(reply, renderPage(<AccessibilityPage ctx={pageContext(request)} operator={operator} />)),
    );
  };
