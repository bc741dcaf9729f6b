/** The pages of the conformance registry: the list, an artefact with its findings and history, the registration form. */
import type { ShownFieldError } from '../../platform/errors.js';
import { Field, Select, SubmitButton } from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext } from '../../platform/http/layout.js';
import { formatDateTime, formatNumber, type MessageKey } from '../../platform/i18n/i18n.js';
import type { ArtefactRow, CheckRow, CheckWithFindings } from './conformance.repository.js';
import type { ArtefactView } from './registry.service.js';
import { type CheckStandard, type Severity, STANDARD_IDS, type Verdict } from './types.js';

export const CONFORMANCE_PATH = '/konformitaet';
export const artefactUrl = (id: number) => `${CONFORMANCE_PATH}/${id}`;

/** The standards' names as people know them (the ids are the contract's). */
export const STANDARD_NAMES: Record<CheckStandard, string> = {
  publiccode: 'publiccode.yml',
  oparl: 'OParl',
  'dcat-ap-de': 'DCAT-AP.de',
  gtfs: 'GTFS',
};

const VERDICT_KEY: Record<Verdict, MessageKey> = {
  conformant: 'market.conformance.verdict.conformant',
  'not conformant': 'market.conformance.verdict.notConformant',
  'could not be checked': 'market.conformance.verdict.notCheckable',
};
const VERDICT_VARIANT: Record<Verdict, string> = {
  conformant: 'success',
  'not conformant': 'danger',
  'could not be checked': 'warning',
};
const SEVERITY_KEY: Record<Severity, MessageKey> = {
  error: 'market.conformance.severity.error',
  warning: 'market.conformance.severity.warning',
  info: 'market.conformance.severity.info',
};
const TRIGGER_KEY: Record<CheckRow['trigger'], MessageKey> = {
  registered: 'market.conformance.trigger.registered',
  schedule: 'market.conformance.trigger.schedule',
  demand: 'market.conformance.trigger.demand',
};

export const verdictLabel = (ctx: PageContext, v: Verdict) => ctx.t(VERDICT_KEY[v]);

/** The badge of a verdict (for the solution market and the profiles too): only ever shown from a stored check. */
export function VerdictBadge({ ctx, verdict }: { ctx: PageContext; verdict: Verdict }) {
  return (
    <span class={`kern-badge kern-badge--${VERDICT_VARIANT[verdict]}`}>
      <span class="kern-label">{verdictLabel(ctx, verdict)}</span>
    </span>
  );
}

const crumbs = (ctx: PageContext, ...more: { href?: string; label: string }[]) => [
  { href: '/', label: ctx.t('nav.home') },
  { href: CONFORMANCE_PATH, label: ctx.t('market.conformance.title') },
  ...more,
];

export function subjectLabel(ctx: PageContext, a: Pick<ArtefactRow, 'regionKey' | 'regionName' | 'solutionId'>) {
  return a.regionKey
    ? (a.regionName ?? a.regionKey)
    : ctx.t('market.conformance.solutionNo', { id: a.solutionId ?? 0 });
}
export const subjectHref = (a: Pick<ArtefactRow, 'regionKey' | 'solutionId'>) =>
  a.regionKey ? `/kommunen/${a.regionKey}` : `/loesungen/${a.solutionId}`;

export function artefactTitle(ctx: PageContext, a: ArtefactRow) {
  return ctx.t('market.conformance.artefactTitle', {
    standard: STANDARD_NAMES[a.standard],
    subject: subjectLabel(ctx, a),
  });
}

function InputText({ ctx, a }: { ctx: PageContext; a: ArtefactRow }) {
  if (a.url) {
    return (
      <a class="kern-link" href={a.url} rel="nofollow noopener noreferrer">
        {a.url}
      </a>
    );
  }
  // The file's bytes are never served publicly: its name, size and hash identify it.
  return (
    <>
      {ctx.t('market.conformance.fileLine', {
        name: a.fileName ?? '',
        kb: formatNumber(ctx.lang, Math.max(1, Math.ceil((a.fileSize ?? 0) / 1024))),
      })}
      <br />
      <code class="hash">SHA-256 {a.fileSha256}</code>
    </>
  );
}

function FindingsTable({ ctx, check }: { ctx: PageContext; check: CheckWithFindings }) {
  const { t } = ctx;
  if (check.findings.length === 0) {
    return (
      <p>
        {check.verdict === 'could not be checked'
          ? t('market.conformance.noFindingsNotChecked')
          : t('market.conformance.noFindings')}
      </p>
    );
  }
  return (
    <>
      <div class="table-wrap" role="region" tabindex={0} aria-labelledby="findings-caption">
        <table class="kern-table" id="findings">
          <caption id="findings-caption" class="chart-table__caption">
            {t('market.conformance.findingsCaption', {
              date: formatDateTime(ctx.lang, check.checkedAt),
              errors: check.errors,
              warnings: check.warnings,
            })}
          </caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__cell">
                {t('market.conformance.col.rule')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('market.conformance.col.severity')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('market.conformance.col.location')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('market.conformance.col.message')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {check.findings.map((f, i) => (
              <tr class="kern-table__row" key={String(i)}>
                <td class="kern-table__cell">
                  <code>{f.rule}</code>
                  {f.source ? <div class="kern-hint">{f.source}</div> : null}
                </td>
                <td class="kern-table__cell">{t(SEVERITY_KEY[f.severity] ?? SEVERITY_KEY.info)}</td>
                <td class="kern-table__cell">
                  <code>{f.location}</code>
                </td>
                <td class="kern-table__cell">{f.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {check.findingsTotal > check.findings.length ? (
        <p>{t('market.conformance.findingsCut', { shown: check.findings.length, total: check.findingsTotal })}</p>
      ) : null}
    </>
  );
}

function HistoryTable({
  ctx,
  a,
  history,
  shownId,
}: {
  ctx: PageContext;
  a: ArtefactRow;
  history: CheckRow[];
  shownId: number | null;
}) {
  const { t, lang } = ctx;
  return (
    <div class="table-wrap" role="region" tabindex={0} aria-labelledby="history-caption">
      <table class="kern-table" id="history">
        <caption id="history-caption" class="chart-table__caption">
          {t('market.conformance.historyCaption')}
        </caption>
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__cell">
              {t('market.conformance.col.date')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('market.conformance.col.verdict')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('market.conformance.col.validator')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('market.conformance.col.trigger')}
            </th>
            <th scope="col" class="kern-table__cell num">
              {t('market.conformance.col.findings')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {history.map((c) => (
            <tr class="kern-table__row" key={String(c.id)}>
              <td class="kern-table__cell">
                {c.id === shownId ? (
                  formatDateTime(lang, c.checkedAt)
                ) : (
                  <a class="kern-link" href={`${artefactUrl(a.id)}?pruefung=${c.id}#befunde`}>
                    {formatDateTime(lang, c.checkedAt)}
                  </a>
                )}
              </td>
              <td class="kern-table__cell">
                <VerdictBadge ctx={ctx} verdict={c.verdict} />
                {c.reason && c.verdict === 'could not be checked' ? <div class="kern-hint">{c.reason}</div> : null}
              </td>
              <td class="kern-table__cell">
                {c.validatorVersion}
                {c.standardVersion ? (
                  <div class="kern-hint">{t('market.conformance.judgedAs', { version: c.standardVersion })}</div>
                ) : null}
              </td>
              <td class="kern-table__cell">{t(TRIGGER_KEY[c.trigger])}</td>
              <td class="kern-table__cell num">{formatNumber(lang, c.findingsTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ArtefactPage({
  ctx,
  v,
  notice,
  errors,
}: {
  ctx: PageContext;
  v: ArtefactView;
  notice: string | null;
  errors: ShownFieldError[];
}) {
  const { t, lang } = ctx;
  const a = v.artefact;
  const title = artefactTitle(ctx, a);
  const url = artefactUrl(a.id);
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs(ctx, { label: title })}>
      <h1 class="kern-heading-large">{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice ? (
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__body">
            <p>{notice}</p>
          </div>
        </div>
      ) : null}
      {a.status === 'removed' ? (
        <div class="kern-alert kern-alert--warning" role="status">
          <div class="kern-alert__body">
            <p>{t('market.conformance.removedNote', { date: formatDateTime(lang, a.removedAt!) })}</p>
          </div>
        </div>
      ) : null}
      {v.running ? (
        <div class="kern-alert kern-alert--info" role="status" id="laeuft">
          <div class="kern-alert__body">
            <p>
              <strong>{t('market.conformance.running')}</strong> {t('market.conformance.runningText')}{' '}
              <a class="kern-link" href={url}>
                {t('market.conformance.reload')}
              </a>
            </p>
          </div>
        </div>
      ) : null}
      <dl class="facts">
        <dt>{t('market.conformance.subject')}</dt>
        <dd>
          <a class="kern-link" href={subjectHref(a)}>
            {subjectLabel(ctx, a)}
          </a>
        </dd>
        <dt>{t('market.conformance.standard')}</dt>
        <dd>{STANDARD_NAMES[a.standard]}</dd>
        <dt>{a.url ? t('market.conformance.inputUrl') : t('market.conformance.inputFile')}</dt>
        <dd>
          <InputText ctx={ctx} a={a} />
        </dd>
        <dt>{t('market.conformance.registeredAt')}</dt>
        <dd>{formatDateTime(lang, a.createdAt)}</dd>
        {a.status === 'active' ? (
          <>
            <dt>{t('market.conformance.nextCheck')}</dt>
            <dd>{formatDateTime(lang, a.nextCheckAt)}</dd>
          </>
        ) : null}
      </dl>

      <h2 class="kern-heading-medium">{t('market.conformance.latest')}</h2>
      {v.latest ? (
        <p class="verdict-line">
          <VerdictBadge ctx={ctx} verdict={v.latest.verdict} />{' '}
          {t('market.conformance.latestLine', {
            date: formatDateTime(lang, v.latest.checkedAt),
            validator: v.latest.validatorVersion,
          })}
          {v.latest.standardVersion
            ? ` ${t('market.conformance.judgedAs', { version: v.latest.standardVersion })}`
            : ''}
          {v.latest.reason && v.latest.verdict === 'could not be checked' ? (
            <>
              <br />
              {t('market.conformance.reason', { reason: v.latest.reason })}
            </>
          ) : null}
        </p>
      ) : (
        <p>{t('market.conformance.noCheckYet')}</p>
      )}
      <p class="kern-hint">{t('market.conformance.badgesOnlyFromChecks')}</p>

      {v.canRecheck ? (
        <form method="post" action={`${url}/pruefen`} class="inline-form">
          <CsrfField ctx={ctx} />
          {v.demandAllowedAt ? (
            <p class="kern-hint" id="recheck-hint">
              {t('market.conformance.recheckFrom', { time: formatDateTime(lang, v.demandAllowedAt) })}
            </p>
          ) : null}
          <SubmitButton label={t('market.conformance.recheck')} />
        </form>
      ) : null}

      {v.shown ? (
        <>
          <h2 class="kern-heading-medium" id="befunde">
            {v.shown.id === v.latest?.id
              ? t('market.conformance.findings')
              : t('market.conformance.findingsOf', { date: formatDateTime(lang, v.shown.checkedAt) })}
          </h2>
          <FindingsTable ctx={ctx} check={v.shown} />
        </>
      ) : null}

      {v.history.length ? (
        <>
          <h2 class="kern-heading-medium">{t('market.conformance.history')}</h2>
          <HistoryTable ctx={ctx} a={a} history={v.history} shownId={v.shown?.id ?? null} />
        </>
      ) : null}

      {v.canRemove ? (
        <form method="post" action={`${url}/entfernen`} class="inline-form">
          <CsrfField ctx={ctx} />
          <SubmitButton label={t('market.conformance.remove')} secondary />
        </form>
      ) : null}
    </Layout>
  );
}

export interface ListRow extends ArtefactRow {
  latest: CheckRow | null;
  running: boolean;
}

export function ListPage({
  ctx,
  rows,
  total,
  standard,
  canRegister,
}: {
  ctx: PageContext;
  rows: ListRow[];
  total: number;
  standard: CheckStandard | null;
  canRegister: boolean;
}) {
  const { t, lang } = ctx;
  const title = t('market.conformance.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs(ctx).slice(0, 1).concat({ label: title })}>
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('market.conformance.intro')}</p>
      {canRegister ? (
        <p>
          <a class="kern-link" href={`${CONFORMANCE_PATH}/neu`}>
            {t('market.conformance.register')}
          </a>
        </p>
      ) : null}
      <form method="get" action={CONFORMANCE_PATH} class="inline-form">
        <Select
          id="standard"
          label={t('market.conformance.standard')}
          value={standard ?? ''}
          errors={[]}
          options={[
            { value: '', label: t('market.conformance.allStandards') },
            ...STANDARD_IDS.map((s) => ({ value: s, label: STANDARD_NAMES[s] })),
          ]}
        />
        <SubmitButton label={t('market.conformance.filter')} secondary />
      </form>
      <p>{t('market.conformance.count', { n: formatNumber(lang, total) })}</p>
      {rows.length ? (
        <ul class="conformance-list">
          {rows.map((r) => (
            <li key={String(r.id)}>
              <a class="kern-link" href={artefactUrl(r.id)}>
                {artefactTitle(ctx, r)}
              </a>{' '}
              {r.latest ? (
                <>
                  <VerdictBadge ctx={ctx} verdict={r.latest.verdict} />{' '}
                  {t('market.conformance.checkedOn', { date: formatDateTime(lang, r.latest.checkedAt) })}
                </>
              ) : r.running ? (
                t('market.conformance.running')
              ) : (
                t('market.conformance.noCheckYet')
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  );
}

export interface RegisterFormValues {
  org?: string;
  subject?: string;
  solution?: string;
  standard?: string;
  url?: string;
}

export function RegisterPage({
  ctx,
  workspaces,
  values,
  errors,
  maxUploadMb,
}: {
  ctx: PageContext;
  workspaces: { id: number; kind: 'region' | 'provider'; name: string }[];
  values: RegisterFormValues;
  errors: ShownFieldError[];
  maxUploadMb: number;
}) {
  const { t } = ctx;
  const title = t('market.conformance.register');
  const hasRegion = workspaces.some((w) => w.kind === 'region');
  const hasProvider = workspaces.some((w) => w.kind === 'provider');
  const subject = values.subject ?? (hasRegion ? 'region' : 'solution');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs(ctx, { label: title })}>
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('market.conformance.registerIntro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`${CONFORMANCE_PATH}/neu`} encType="multipart/form-data" class="register-form">
        <CsrfField ctx={ctx} />
        <Select
          id="org"
          label={t('market.conformance.workspace')}
          value={values.org ?? ''}
          errors={errors}
          options={workspaces.map((w) => ({
            value: String(w.id),
            label: w.name,
            group: w.kind === 'region' ? t('market.conformance.municipal') : t('market.conformance.provider'),
          }))}
        />
        <Select
          id="subject"
          label={t('market.conformance.subject')}
          value={subject}
          errors={errors}
          options={[
            ...(hasRegion ? [{ value: 'region', label: t('market.conformance.subjectRegion') }] : []),
            ...(hasProvider ? [{ value: 'solution', label: t('market.conformance.subjectSolution') }] : []),
          ]}
        />
        {hasProvider ? (
          <Field
            id="solution"
            label={t('market.conformance.solutionField')}
            hint={t('market.conformance.solutionHint')}
            inputmode="numeric"
            maxLength={15}
            value={values.solution ?? ''}
            errors={errors}
          />
        ) : null}
        <Select
          id="standard"
          label={t('market.conformance.standard')}
          value={values.standard ?? ''}
          errors={errors}
          options={STANDARD_IDS.map((s) => ({ value: s, label: STANDARD_NAMES[s] }))}
        />
        <Field
          id="url"
          type="url"
          label={t('market.conformance.urlField')}
          hint={t('market.conformance.urlHint')}
          maxLength={2000}
          value={values.url ?? ''}
          errors={errors}
        />
        <div class={`kern-form-input${errors.some((e) => e.field === 'file') ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="file">
            {t('market.conformance.fileField')}
          </label>
          <div class="kern-hint" id="file-hint">
            {t('market.conformance.fileHint', { max: maxUploadMb })}
          </div>
          {errors
            .filter((e) => e.field === 'file')
            .map((e) => (
              <p class="kern-error" id="file-error" key="file">
                {e.message}
              </p>
            ))}
          <input class="kern-form-input__input" type="file" id="file" name="file" aria-describedby="file-hint" />
        </div>
        <SubmitButton label={t('market.conformance.registerSubmit')} />
      </form>
    </Layout>
  );
}
