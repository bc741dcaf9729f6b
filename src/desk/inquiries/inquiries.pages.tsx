/**
 * Pages of the inquiries: "Beratung" (ask, one's own workspaces' inquiries), the question form (with attachments
 * and the context it came from), an inquiry's conversation (for advisors with internal notes, canned answers,
 * state changes, hand-over and "assign to me"), the advisors' queue, canned answers, and the platform admins'
 * teams and routing rules. Every change is a plain form (post-redirect-get); stale forms answer 409.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { loadModel, stateName } from '../../assessment/index.js';
import { AppError, fieldError, type ShownFieldError, ValidationError } from '../../platform/errors.js';
import { pageContext, sendHtml } from '../../platform/http/context.js';
import {
  Field,
  Form,
  formRoute,
  IdParam,
  OptionalText,
  positiveId,
  Query,
  Radio,
  Select,
  SubmitButton,
  TextArea,
} from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, type PageContext, renderPage } from '../../platform/http/layout.js';
import type { ModuleDeps } from '../../platform/module.js';
import type { DeskSeams } from '../contract.js';
import { actorOf, deskPage, idOf, STATE_KEYS, shown, versionOf, when } from '../pages.js';
import { URGENCIES } from '../sla/clock.js';
import * as svc from './inquiries.service.js';
import {
  ATTACHMENT_LIMITS,
  type ContextKind,
  contextHref,
  contextSector,
  LIMITS,
  parseContext,
  parseInquiryForm,
  questionText,
  sectorName,
} from './model.js';

const Page = deskPage('desk.inquiries.title');

export const DESK_PATH = '/beratung';
const NOTICES = ['gestellt', 'gesendet', 'notiert', 'geaendert', 'bewertet', 'gespeichert', 'geloescht'] as const;
const Params = Type.Object({ id: IdParam });
const FileParams = Type.Object({ id: IdParam, file: IdParam });
const MemberParams = Type.Object({ id: IdParam, user: IdParam });

const deskCrumb = (ctx: PageContext) => ({ href: DESK_PATH, label: ctx.t('desk.inquiries.title') });

function sectorOptions(ctx: PageContext, empty: string) {
  return [
    { value: '', label: empty },
    ...loadModel().sectors.map((s) => ({ value: s.id, label: sectorName(s.id, ctx.lang) })),
  ];
}

function InquiryTable(props: {
  ctx: PageContext;
  rows: readonly svc.InquiryListRow[];
  caption: string;
  now: Date;
  queue?: boolean;
}) {
  const { ctx, rows, now } = props;
  const { t } = ctx;
  return (
    <div class="table-wrap">
      <table class="kern-table">
        <caption class="kern-table__caption">{props.caption}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header">
              {t('desk.inquiries.subject')}
            </th>
            {props.queue ? (
              <th scope="col" class="kern-table__header">
                {t('desk.inquiries.municipality')}
              </th>
            ) : null}
            <th scope="col" class="kern-table__header">
              {t('desk.inquiries.sector')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('desk.inquiries.statusLabel')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('desk.inquiries.due')}
            </th>
            {props.queue ? (
              <th scope="col" class="kern-table__header">
                {t('desk.inquiries.assignee')}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.map((r) => {
            const overdue = svc.isOverdue(r, now);
            return (
              <tr class="kern-table__row" key={r.id}>
                <td class="kern-table__cell">
                  <a class="kern-link" href={svc.inquiryPath(r.id)}>
                    {r.subject}
                  </a>
                </td>
                {props.queue ? (
                  <td class="kern-table__cell">
                    {r.orgName} ({stateName(ctx.t, r.stateKey)})
                  </td>
                ) : null}
                <td class="kern-table__cell">{sectorName(r.sector, ctx.lang)}</td>
                <td class="kern-table__cell">{t(`desk.inquiries.status.${r.status}`)}</td>
                <td class="kern-table__cell">
                  {r.firstAnsweredAt
                    ? t('desk.inquiries.answeredAt', { at: when(ctx, r.firstAnsweredAt) })
                    : when(ctx, r.firstAnswerDueAt)}
                  {overdue ? <strong class="overdue"> {t('desk.inquiries.overdue')}</strong> : null}
                </td>
                {props.queue ? (
                  <td class="kern-table__cell">{r.assigneeEmail ?? t('desk.inquiries.unassigned')}</td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function OverviewPage({ ctx, v, notice }: { ctx: PageContext; v: svc.OverviewView; notice: string | null }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('desk.inquiries.title')} notice={notice}>
      <p>{t('desk.inquiries.lead')}</p>
      {v.workspaces.length ? (
        <p>
          <a class="kern-btn kern-btn--primary" href={`${DESK_PATH}/neu`}>
            <span class="kern-label">{t('desk.inquiries.ask')}</span>
          </a>
        </p>
      ) : (
        <p>{t('desk.inquiries.noWorkspace')}</p>
      )}
      {v.isAdvisor ? (
        <p>
          <a class="kern-link" href={`${DESK_PATH}/eingang`}>
            {t('desk.inquiries.queueTitle')}
          </a>{' '}
          ·{' '}
          <a class="kern-link" href={`${DESK_PATH}/textbausteine`}>
            {t('desk.inquiries.cannedTitle')}
          </a>{' '}
          ·{' '}
          <a class="kern-link" href={`${DESK_PATH}/zahlen`}>
            {t('desk.knowledge.figuresLink')}
          </a>
        </p>
      ) : null}
      {ctx.user?.isPlatformAdmin ? (
        <p>
          <a class="kern-link" href={`${DESK_PATH}/teams`}>
            {t('desk.inquiries.teamsTitle')}
          </a>{' '}
          ·{' '}
          <a class="kern-link" href={`${DESK_PATH}/regeln`}>
            {t('desk.inquiries.rulesTitle')}
          </a>
        </p>
      ) : null}
      <nav aria-label={t('desk.inquiries.more')}>
        <ul>
          {(
            [
              ['/beratung/faq', 'desk.knowledge.faqTitle'],
              ['/beratung/mentoren', 'desk.mentors.title'],
              ['/veranstaltungen', 'desk.events.title'],
              ['/kooperation', 'desk.groups.title'],
              ['/beratung/benachrichtigungen', 'desk.notify.title'],
            ] as const
          ).map(([href, label]) => (
            <li key={href}>
              <a class="kern-link" href={href}>
                {t(label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2 class="kern-heading-medium">{t('desk.inquiries.own')}</h2>
      {v.inquiries.length === 0 ? (
        <p>{t('desk.inquiries.noOwn')}</p>
      ) : (
        <InquiryTable ctx={ctx} rows={v.inquiries} caption={t('desk.inquiries.own')} now={new Date()} />
      )}
    </Page>
  );
}

// `refId`, not `ref`: Preact keeps `ref` for itself and never passes it to the component.
function ContextNote({ ctx, kind, refId }: { ctx: PageContext; kind: ContextKind; refId: string }) {
  const href = contextHref(kind, refId);
  const label = kind === 'question' ? (questionText(refId, ctx.lang) ?? refId) : refId;
  return (
    <p>
      {ctx.t(`desk.inquiries.context.${kind}`)}:{' '}
      {href ? (
        <a class="kern-link" href={href}>
          {label}
        </a>
      ) : (
        label
      )}
    </p>
  );
}

function AskPage(props: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
  workspaces: readonly { id: number; name: string }[];
}) {
  const { ctx, values: v, errors } = props;
  const { t } = ctx;
  const context = parseContext(v.kontext, v.ref);
  return (
    <Page ctx={ctx} title={t('desk.inquiries.ask')} crumbs={[deskCrumb(ctx), { label: t('desk.inquiries.ask') }]}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {context ? <ContextNote ctx={ctx} kind={context.kind} refId={context.ref} /> : null}
      <form method="post" action={`${DESK_PATH}/neu`} encType="multipart/form-data" class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        {context ? (
          <>
            <input type="hidden" name="kontext" value={context.kind} />
            <input type="hidden" name="ref" value={context.ref} />
          </>
        ) : null}
        {props.workspaces.length > 1 ? (
          <Select
            id="org"
            label={t('desk.inquiries.workspace')}
            options={props.workspaces.map((w) => ({ value: String(w.id), label: w.name }))}
            value={v.org}
            errors={errors}
          />
        ) : (
          <input type="hidden" name="org" value={String(props.workspaces[0]?.id ?? '')} />
        )}
        <Field
          id="subject"
          label={t('desk.inquiries.subject')}
          value={v.subject}
          maxLength={LIMITS.subject}
          errors={errors}
          required
        />
        <TextArea
          id="body"
          label={t('desk.inquiries.body')}
          hint={t('desk.inquiries.bodyHint')}
          value={v.body}
          maxLength={LIMITS.body}
          rows={8}
          errors={errors}
        />
        <Select
          id="sector"
          label={t('desk.inquiries.sector')}
          options={sectorOptions(ctx, t('desk.inquiries.chooseSector'))}
          value={v.sector || (contextSector(context) ?? '')}
          errors={errors}
        />
        <fieldset class="kern-fieldset" aria-describedby="urgency-hint">
          <legend class="kern-label">{t('desk.inquiries.urgency')}</legend>
          <div class="kern-hint" id="urgency-hint">
            {t('desk.inquiries.urgencyHint')}
          </div>
          {URGENCIES.map((u) => (
            <Radio
              key={u}
              name="urgency"
              id={`urgency-${u}`}
              value={u}
              current={v.urgency || 'normal'}
              label={t(`desk.inquiries.urgency.${u}`)}
            />
          ))}
        </fieldset>
        <FileInput ctx={ctx} errors={errors} />
        <SubmitButton label={t('desk.inquiries.askSubmit')} />
      </form>
    </Page>
  );
}

function FileInput({ ctx, errors }: { ctx: PageContext; errors: readonly ShownFieldError[] }) {
  const error = errors.find((e) => e.field === 'files');
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for="files">
        {ctx.t('desk.inquiries.files')}
      </label>
      <div class="kern-hint" id="files-hint">
        {ctx.t('desk.inquiries.filesHint', { max: ATTACHMENT_LIMITS.perInquiry })}
      </div>
      {error ? (
        <p class="kern-error" id="files-error">
          {error.message}
        </p>
      ) : null}
      <input
        class="kern-form-input__input"
        type="file"
        id="files"
        name="files"
        multiple
        accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods,.csv,.txt"
        aria-describedby={error ? 'files-hint files-error' : 'files-hint'}
      />
    </div>
  );
}

function InquiryPage(props: {
  ctx: PageContext;
  v: svc.InquiryView;
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { ctx, v, errors, values } = props;
  const { t } = ctx;
  const r = v.row;
  const url = svc.inquiryPath(r.id);
  const Version = () => <input type="hidden" name="version" value={String(r.version)} />;
  return (
    <Page ctx={ctx} title={r.subject} notice={props.notice} crumbs={[deskCrumb(ctx), { label: r.subject }]}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <dl class="facts">
        <dt>{t('desk.inquiries.municipality')}</dt>
        <dd>
          {r.orgName} ({stateName(ctx.t, r.stateKey)})
        </dd>
        <dt>{t('desk.inquiries.sector')}</dt>
        <dd>{sectorName(r.sector, ctx.lang)}</dd>
        <dt>{t('desk.inquiries.urgency')}</dt>
        <dd>{t(`desk.inquiries.urgency.${r.urgency}`)}</dd>
        <dt>{t('desk.inquiries.statusLabel')}</dt>
        <dd>{t(`desk.inquiries.status.${r.status}`)}</dd>
        <dt>{t('desk.inquiries.received')}</dt>
        <dd>{when(ctx, r.receivedAt)}</dd>
        <dt>{t('desk.inquiries.due')}</dt>
        <dd>
          {r.firstAnsweredAt
            ? t('desk.inquiries.answeredAt', { at: when(ctx, r.firstAnsweredAt) })
            : when(ctx, r.firstAnswerDueAt)}
          {v.overdue ? <strong> {t('desk.inquiries.overdue')}</strong> : null}
        </dd>
        {v.asAdvisor ? (
          <>
            <dt>{t('desk.inquiries.team')}</dt>
            <dd>{r.teamName ?? '–'}</dd>
            <dt>{t('desk.inquiries.assignee')}</dt>
            <dd>{r.assigneeEmail ?? t('desk.inquiries.unassigned')}</dd>
          </>
        ) : null}
      </dl>
      {r.contextKind && r.contextRef ? <ContextNote ctx={ctx} kind={r.contextKind} refId={r.contextRef} /> : null}
      <p>
        <a class="kern-link" href={`${url}/faq`}>
          {t('desk.knowledge.inquiryLink')}
        </a>
      </p>
      <h2 class="kern-heading-medium">{t('desk.inquiries.conversation')}</h2>
      <ol class="conversation">
        <li>
          <p>
            <strong>{t('desk.inquiries.side.municipality')}</strong> · {when(ctx, r.receivedAt)}
          </p>
          <p class="prewrap">{r.body}</p>
        </li>
        {v.messages.map((m) => (
          <li key={m.id} class={m.internal ? 'internal-note' : undefined}>
            <p>
              <strong>{m.internal ? t('desk.inquiries.internalNote') : t(`desk.inquiries.side.${m.side}`)}</strong> ·{' '}
              {when(ctx, m.createdAt)}
              {v.asAdvisor && m.authorEmail ? ` · ${m.authorEmail}` : ''}
            </p>
            <p class="prewrap">{m.body}</p>
          </li>
        ))}
      </ol>
      {v.attachments.length ? (
        <>
          <h2 class="kern-heading-medium">{t('desk.inquiries.files')}</h2>
          <ul>
            {v.attachments.map((a) => (
              <li key={a.id}>
                <a class="kern-link" href={`${url}/anhaenge/${a.id}`}>
                  {a.filename}
                </a>{' '}
                ({Math.ceil(a.size / 1024)} KB)
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <section aria-labelledby="reply">
        <h2 class="kern-heading-medium" id="reply">
          {v.asAdvisor ? t('desk.inquiries.answer') : t('desk.inquiries.reply')}
        </h2>
        {v.asAdvisor && v.canned.length ? (
          <form method="get" action={url} class="form-narrow">
            <Select
              id="baustein"
              label={t('desk.inquiries.cannedInsert')}
              options={v.canned.map((c) => ({ value: String(c.id), label: c.title }))}
              value={values.baustein}
              errors={[]}
            />
            <SubmitButton secondary label={t('desk.inquiries.cannedInsertSubmit')} />
          </form>
        ) : null}
        <form method="post" action={`${url}/antworten`} encType="multipart/form-data" class="form-narrow">
          <CsrfField ctx={ctx} />
          <Version />
          <TextArea
            id="body"
            label={t('desk.inquiries.message')}
            value={values.body}
            maxLength={LIMITS.body}
            rows={6}
            errors={errors}
          />
          <FileInput ctx={ctx} errors={errors} />
          <SubmitButton label={t('desk.inquiries.send')} />
        </form>
      </section>

      {v.isMember && !v.asAdvisor && r.status === 'answered' ? (
        <form method="post" action={`${url}/erledigt`}>
          <CsrfField ctx={ctx} />
          <Version />
          <SubmitButton secondary label={t('desk.inquiries.markDone')} />
        </form>
      ) : null}

      {v.canRate ? (
        <section aria-labelledby="rate">
          <h2 class="kern-heading-medium" id="rate">
            {t('desk.inquiries.rate')}
          </h2>
          <form method="post" action={`${url}/bewertung`} class="form-narrow">
            <CsrfField ctx={ctx} />
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{t('desk.inquiries.rateQuestion')}</legend>
              {[1, 2, 3, 4, 5].map((n) => (
                <Radio
                  key={n}
                  name="rating"
                  id={`rating-${n}`}
                  value={String(n)}
                  current={values.rating}
                  label={t(`desk.inquiries.rating.${n as 1 | 2 | 3 | 4 | 5}`)}
                />
              ))}
            </fieldset>
            <TextArea
              id="comment"
              label={t('desk.inquiries.rateComment')}
              value={values.comment}
              maxLength={LIMITS.comment}
              errors={errors}
            />
            <SubmitButton label={t('desk.inquiries.rateSubmit')} />
          </form>
        </section>
      ) : r.ratedAt && v.isMember ? (
        <p>{t('desk.inquiries.rated', { rating: r.rating ?? 0 })}</p>
      ) : null}

      {v.asAdvisor ? (
        <section aria-labelledby="advisor">
          <h2 class="kern-heading-medium" id="advisor">
            {t('desk.inquiries.advisorTools')}
          </h2>
          {r.assigneeUserId === null || r.assigneeEmail !== ctx.user?.email ? (
            <form method="post" action={`${url}/uebernehmen`}>
              <CsrfField ctx={ctx} />
              <Version />
              <SubmitButton secondary label={t('desk.inquiries.assignToMe')} />
            </form>
          ) : null}
          {v.targets.length ? (
            <form method="post" action={`${url}/status`} class="form-narrow">
              <CsrfField ctx={ctx} />
              <Version />
              <Select
                id="status"
                label={t('desk.inquiries.newStatus')}
                options={v.targets.map((s) => ({ value: s, label: t(`desk.inquiries.status.${s}`) }))}
                value={values.status}
                errors={errors}
              />
              <SubmitButton secondary label={t('desk.inquiries.changeStatus')} />
            </form>
          ) : null}
          {v.handOverTo.length ? (
            <form method="post" action={`${url}/uebergeben`} class="form-narrow">
              <CsrfField ctx={ctx} />
              <Version />
              <Select
                id="to"
                label={t('desk.inquiries.handOverTo')}
                options={v.handOverTo.map((a) => ({ value: String(a.userId), label: a.email }))}
                value={values.to}
                errors={errors}
              />
              <Field
                id="note"
                label={t('desk.inquiries.handOverNote')}
                value={values.note}
                maxLength={LIMITS.comment}
                errors={errors}
              />
              <SubmitButton secondary label={t('desk.inquiries.handOver')} />
            </form>
          ) : null}
          <form method="post" action={`${url}/notiz`} class="form-narrow">
            <CsrfField ctx={ctx} />
            <TextArea
              id="noteBody"
              label={t('desk.inquiries.internalNote')}
              hint={t('desk.inquiries.internalNoteHint')}
              value={values.noteBody}
              maxLength={LIMITS.body}
              errors={errors}
            />
            <SubmitButton secondary label={t('desk.inquiries.addNote')} />
          </form>
          <h3 class="kern-heading-small">{t('desk.inquiries.history')}</h3>
          <ul>
            {v.history.map((h, i) => (
              <li key={i}>
                {when(ctx, h.at)}: {h.fromStatus ? `${t(`desk.inquiries.status.${h.fromStatus}`)} → ` : ''}
                {t(`desk.inquiries.status.${h.toStatus}`)}
                {h.assigneeEmail ? ` (${h.assigneeEmail})` : ''}
                {h.actorEmail ? ` · ${h.actorEmail}` : ''}
                {h.note ? ` · ${h.note}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}

function QueuePage(props: {
  ctx: PageContext;
  v: svc.QueueView;
  filter: { team: string; mine: boolean; status: string };
}) {
  const { ctx, v, filter } = props;
  const { t } = ctx;
  const pageHref = (n: number) => {
    const q = new URLSearchParams();
    if (filter.team) q.set('team', filter.team);
    if (filter.mine) q.set('mine', '1');
    q.set('status', filter.status);
    if (n > 1) q.set('seite', String(n));
    return `${DESK_PATH}/eingang?${q.toString()}`;
  };
  return (
    <Page
      ctx={ctx}
      title={t('desk.inquiries.queueTitle')}
      crumbs={[deskCrumb(ctx), { label: t('desk.inquiries.queueTitle') }]}
    >
      <form method="get" action={`${DESK_PATH}/eingang`} class="form-narrow">
        <Select
          id="team"
          label={t('desk.inquiries.team')}
          options={[
            { value: '', label: t('desk.inquiries.allTeams') },
            ...v.teams.map((tm) => ({ value: String(tm.id), label: tm.name })),
          ]}
          value={filter.team}
          errors={[]}
        />
        <Select
          id="status"
          label={t('desk.inquiries.statusLabel')}
          options={svc.QUEUE_STATUS.map((s) => ({ value: s, label: t(`desk.inquiries.queueStatus.${s}`) }))}
          value={filter.status}
          errors={[]}
        />
        <div class="kern-form-check">
          <input
            class="kern-form-check__checkbox"
            type="checkbox"
            id="mine"
            name="mine"
            value="1"
            checked={filter.mine}
          />
          <label class="kern-label" for="mine">
            {t('desk.inquiries.onlyMine')}
          </label>
        </div>
        <SubmitButton secondary label={t('desk.inquiries.filter')} />
      </form>
      <p role="status">{t('desk.inquiries.queueCount', { n: v.total, overdue: v.overdue })}</p>
      {v.rows.length ? (
        <InquiryTable
          ctx={ctx}
          rows={v.rows}
          caption={
            v.pages > 1
              ? `${t('desk.inquiries.queueTitle')} – ${t('desk.inquiries.queuePage', { page: v.page, pages: v.pages })}`
              : t('desk.inquiries.queueTitle')
          }
          now={v.now}
          queue
        />
      ) : null}
      {v.pages > 1 ? (
        <nav aria-label={t('desk.inquiries.queuePages')}>
          <ul>
            {v.page > 1 ? (
              <li>
                <a class="kern-link" href={pageHref(v.page - 1)} rel="prev">
                  {t('desk.inquiries.queuePrevious')}
                </a>
              </li>
            ) : null}
            {v.page < v.pages ? (
              <li>
                <a class="kern-link" href={pageHref(v.page + 1)} rel="next">
                  {t('desk.inquiries.queueNext')}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </Page>
  );
}

function CannedPage(props: {
  ctx: PageContext;
  rows: readonly svc.CannedRow[];
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { ctx, rows, errors, values } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.inquiries.cannedTitle')}
      notice={props.notice}
      crumbs={[deskCrumb(ctx), { label: t('desk.inquiries.cannedTitle') }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      {rows.length === 0 ? <p>{t('desk.inquiries.noCanned')}</p> : null}
      <ul>
        {rows.map((c) => (
          <li key={c.id}>
            <strong>{c.title}</strong> ({c.sector ? sectorName(c.sector, ctx.lang) : t('desk.inquiries.allSectors')})
            <p class="prewrap">{c.body}</p>
            <form method="post" action={`${DESK_PATH}/textbausteine/${c.id}/loeschen`}>
              <CsrfField ctx={ctx} />
              <SubmitButton secondary label={t('desk.inquiries.delete', { name: c.title })} />
            </form>
          </li>
        ))}
      </ul>
      <h2 class="kern-heading-medium">{t('desk.inquiries.cannedNew')}</h2>
      <form method="post" action={`${DESK_PATH}/textbausteine`} class="form-narrow">
        <CsrfField ctx={ctx} />
        <Field
          id="title"
          label={t('desk.inquiries.cannedTitleField')}
          value={values.title}
          maxLength={LIMITS.title}
          errors={errors}
        />
        <Select
          id="sector"
          label={t('desk.inquiries.sector')}
          options={sectorOptions(ctx, t('desk.inquiries.allSectors'))}
          value={values.sector}
          errors={errors}
        />
        <TextArea
          id="body"
          label={t('desk.inquiries.cannedBody')}
          value={values.body}
          maxLength={LIMITS.body}
          errors={errors}
        />
        <SubmitButton label={t('desk.inquiries.save')} />
      </form>
    </Page>
  );
}

function TeamsPage(props: {
  ctx: PageContext;
  teams: readonly svc.TeamRow[];
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { ctx, errors } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.inquiries.teamsTitle')}
      notice={props.notice}
      crumbs={[deskCrumb(ctx), { label: t('desk.inquiries.teamsTitle') }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <ul>
        {props.teams.map((tm) => (
          <li key={tm.id}>
            <a class="kern-link" href={`${DESK_PATH}/teams/${tm.id}`}>
              {tm.name}
            </a>{' '}
            ({t('desk.inquiries.teamFacts', { n: tm.memberCount, lead: tm.leadEmail ?? '–' })}
            {tm.isNational ? `, ${t('desk.inquiries.national')}` : ''})
          </li>
        ))}
      </ul>
      <h2 class="kern-heading-medium">{t('desk.inquiries.teamNew')}</h2>
      <form method="post" action={`${DESK_PATH}/teams`} class="form-narrow">
        <CsrfField ctx={ctx} />
        <Field
          id="name"
          label={t('desk.inquiries.teamName')}
          value={props.values.name}
          maxLength={120}
          errors={errors}
        />
        <div class="kern-form-check">
          <input class="kern-form-check__checkbox" type="checkbox" id="national" name="national" value="1" />
          <label class="kern-label" for="national">
            {t('desk.inquiries.national')}
          </label>
        </div>
        <SubmitButton label={t('desk.inquiries.save')} />
      </form>
    </Page>
  );
}

function TeamPage(props: {
  ctx: PageContext;
  team: svc.TeamRow;
  members: readonly svc.TeamMemberRow[];
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { ctx, team, members, errors } = props;
  const { t } = ctx;
  const base = `${DESK_PATH}/teams/${team.id}`;
  return (
    <Page
      ctx={ctx}
      title={team.name}
      notice={props.notice}
      crumbs={[
        deskCrumb(ctx),
        { href: `${DESK_PATH}/teams`, label: t('desk.inquiries.teamsTitle') },
        { label: team.name },
      ]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={base} class="form-narrow">
        <CsrfField ctx={ctx} />
        <Field id="name" label={t('desk.inquiries.teamName')} value={team.name} maxLength={120} errors={errors} />
        <Select
          id="lead"
          label={t('desk.inquiries.teamLead')}
          options={[{ value: '', label: '–' }, ...members.map((m) => ({ value: String(m.userId), label: m.email }))]}
          value={team.leadUserId ? String(team.leadUserId) : ''}
          errors={errors}
        />
        <div class="kern-form-check">
          <input
            class="kern-form-check__checkbox"
            type="checkbox"
            id="national"
            name="national"
            value="1"
            checked={team.isNational}
          />
          <label class="kern-label" for="national">
            {t('desk.inquiries.national')}
          </label>
        </div>
        <SubmitButton label={t('desk.inquiries.save')} />
      </form>
      <h2 class="kern-heading-medium">{t('desk.inquiries.members')}</h2>
      <ul>
        {members.map((m) => (
          <li key={m.userId}>
            {m.email} ({m.available ? t('desk.inquiries.available') : t('desk.inquiries.absent')})
            <form method="post" action={`${base}/mitglieder/${m.userId}/verfuegbarkeit`} class="inline-form">
              <CsrfField ctx={ctx} />
              <input type="hidden" name="available" value={m.available ? '0' : '1'} />
              <SubmitButton
                secondary
                label={t(m.available ? 'desk.inquiries.markAbsent' : 'desk.inquiries.markAvailable', { name: m.email })}
              />
            </form>
            <form method="post" action={`${base}/mitglieder/${m.userId}/entfernen`} class="inline-form">
              <CsrfField ctx={ctx} />
              <SubmitButton secondary label={t('desk.inquiries.delete', { name: m.email })} />
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={`${base}/mitglieder`} class="form-narrow">
        <CsrfField ctx={ctx} />
        <Field
          id="email"
          type="email"
          label={t('desk.inquiries.memberEmail')}
          value={props.values.email}
          errors={errors}
        />
        <SubmitButton label={t('desk.inquiries.addMember')} />
      </form>
    </Page>
  );
}

function RulesPage(props: {
  ctx: PageContext;
  rules: readonly svc.RuleRow[];
  teams: readonly svc.TeamRow[];
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { ctx, errors, values } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.inquiries.rulesTitle')}
      notice={props.notice}
      crumbs={[deskCrumb(ctx), { label: t('desk.inquiries.rulesTitle') }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('desk.inquiries.rulesLead')}</p>
      <ul>
        {props.rules.map((r) => (
          <li key={r.id}>
            {r.stateKey ? stateName(ctx.t, r.stateKey) : t('desk.inquiries.allStates')} ×{' '}
            {r.sector ? sectorName(r.sector, ctx.lang) : t('desk.inquiries.allSectors')} → {r.teamName}
            <form method="post" action={`${DESK_PATH}/regeln/${r.id}/loeschen`} class="inline-form">
              <CsrfField ctx={ctx} />
              <SubmitButton secondary label={t('desk.inquiries.delete', { name: r.teamName })} />
            </form>
          </li>
        ))}
      </ul>
      <h2 class="kern-heading-medium">{t('desk.inquiries.ruleNew')}</h2>
      <form method="post" action={`${DESK_PATH}/regeln`} class="form-narrow">
        <CsrfField ctx={ctx} />
        <Select
          id="state"
          label={t('desk.inquiries.state')}
          options={[
            { value: '', label: t('desk.inquiries.allStates') },
            ...STATE_KEYS.map((s) => ({ value: s, label: stateName(ctx.t, s) })),
          ]}
          value={values.state}
          errors={errors}
        />
        <Select
          id="sector"
          label={t('desk.inquiries.sector')}
          options={sectorOptions(ctx, t('desk.inquiries.allSectors'))}
          value={values.sector}
          errors={errors}
        />
        <Select
          id="team"
          label={t('desk.inquiries.team')}
          options={props.teams.map((tm) => ({ value: String(tm.id), label: tm.name }))}
          value={values.team}
          errors={errors}
        />
        <SubmitButton label={t('desk.inquiries.save')} />
      </form>
    </Page>
  );
}

/** A form body as strings and files, whether it came urlencoded or as multipart (attachFieldsToBody). */
async function readBody(request: FastifyRequest): Promise<{ fields: Record<string, string>; files: svc.FileUpload[] }> {
  const raw = (request.body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const files: svc.FileUpload[] = [];
  for (const [k, v] of Object.entries(raw)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (typeof item === 'string') fields[k] ??= item;
      else if (item && typeof item === 'object' && 'toBuffer' in item) {
        const f = item as MultipartFile;
        if (!f.filename) continue; // an empty file input
        let bytes: Buffer;
        try {
          bytes = await f.toBuffer();
        } catch {
          throw new ValidationError([fieldError('files', 'desk.inquiries.err.fileTooLarge', { max: '10 MB' })]);
        }
        files.push({ filename: f.filename, bytes });
      } else if (item && typeof item === 'object' && 'value' in item) {
        const value = (item as { value: unknown }).value;
        if (typeof value === 'string') fields[k] ??= value;
      }
    }
  }
  for (const [k, v] of Object.entries(fields)) if (v.length > 40_000) fields[k] = v.slice(0, 40_000);
  return { fields, files };
}

export const inquiryPages =
  (d: ModuleDeps, seams: DeskSeams): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    await app.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: ATTACHMENT_LIMITS.bytes, files: ATTACHMENT_LIMITS.perInquiry, fields: 20, parts: 30 },
      throwFileSizeLimit: true,
    });
    const deps = (): svc.InquiryDeps => ({
      db: d.db,
      now: d.clock,
      notifier: seams.notifier,
      t: d.i18n.translator('de'),
    });
    const user = { config: { access: 'user' as const } };
    const upload = { config: { access: 'user' as const, upload: true } };
    const admin = { config: { access: 'platform-admin' as const } };
    const noticeOf = (ctx: PageContext, raw: string | undefined) =>
      raw && (NOTICES as readonly string[]).includes(raw)
        ? ctx.t(`desk.inquiries.notice.${raw as (typeof NOTICES)[number]}`)
        : null;
    const hinweis = (request: FastifyRequest) => (request.query as { hinweis?: string } | undefined)?.hinweis;

    // ---- overview and asking
    app.get(
      DESK_PATH,
      { ...user, schema: { querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const v = await svc.overview(d.db, actorOf(request));
        return sendHtml(
          reply,
          renderPage(<OverviewPage ctx={ctx} v={v} notice={noticeOf(ctx, request.query.hinweis)} />),
        );
      },
    );

    app.get(
      `${DESK_PATH}/neu`,
      { ...user, schema: { querystring: Query({ kontext: OptionalText(20), ref: OptionalText(200) }) } },
      async (request, reply) => {
        const { workspaces } = await svc.askForm(d.db, actorOf(request));
        const context = parseContext(request.query.kontext, request.query.ref);
        const values: Record<string, string> = context ? { kontext: context.kind, ref: context.ref } : {};
        return sendHtml(
          reply,
          renderPage(<AskPage ctx={pageContext(request)} values={values} errors={[]} workspaces={workspaces} />),
        );
      },
    );
    app.post(`${DESK_PATH}/neu`, upload, async (request, reply) => {
      let fields: Record<string, string> = {};
      try {
        const body = await readBody(request);
        fields = body.fields;
        const input = parseInquiryForm(fields);
        const id = await svc.ask(deps(), actorOf(request), idOf(fields.org), input, body.files);
        return reply.redirect(`${svc.inquiryPath(id)}?hinweis=gestellt`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          const { workspaces } = await svc.askForm(d.db, actorOf(request));
          return sendHtml(
            reply,
            renderPage(
              <AskPage
                ctx={pageContext(request)}
                values={fields}
                errors={shown(request, err)}
                workspaces={workspaces}
              />,
            ),
            err.status,
          );
        }
        throw err;
      }
    });

    // ---- one inquiry
    const inquiryPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await svc.inquiryView(deps(), actorOf(request), id);
      const q = (request.query ?? {}) as { baustein?: string };
      const vals = { ...values };
      if (v.asAdvisor && q.baustein && vals.body === undefined) {
        const c = await svc.cannedById(d.db, idOf(q.baustein));
        if (c) {
          vals.body = c.body;
          vals.baustein = String(c.id);
        }
      }
      return sendHtml(
        reply,
        renderPage(
          <InquiryPage ctx={ctx} v={v} notice={noticeOf(ctx, hinweis(request))} errors={errors} values={vals} />,
        ),
        status,
      );
    };
    const onInquiry = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      run: (fields: Record<string, string>, files: svc.FileUpload[]) => Promise<(typeof NOTICES)[number]>,
    ) => {
      let fields: Record<string, string> = {};
      try {
        const body = await readBody(request);
        fields = body.fields;
        const notice = await run(fields, body.files);
        return reply.redirect(`${svc.inquiryPath(id)}?hinweis=${notice}`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          return inquiryPage(request, reply, id, shown(request, err), fields, err.status);
        }
        throw err;
      }
    };

    app.get(
      `${DESK_PATH}/anfragen/:id`,
      {
        ...user,
        schema: { params: Params, querystring: Query({ hinweis: OptionalText(40), baustein: OptionalText(20) }) },
      },
      async (request, reply) => inquiryPage(request, reply, positiveId(request.params.id)),
    );
    app.post(
      `${DESK_PATH}/anfragen/:id/antworten`,
      { ...upload, schema: { params: Params } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onInquiry(request, reply, id, async (f, files) => {
          await svc.reply(
            deps(),
            actorOf(request),
            id,
            f.body ?? '',
            f.version === undefined ? null : versionOf(f),
            files,
          );
          return 'gesendet';
        });
      },
    );
    app.post(`${DESK_PATH}/anfragen/:id/notiz`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onInquiry(request, reply, id, async (f) => {
        await svc.addNote(deps(), actorOf(request), id, f.noteBody ?? '');
        return 'notiert';
      });
    });
    app.post(`${DESK_PATH}/anfragen/:id/status`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onInquiry(request, reply, id, async (f) => {
        await svc.setStatus(deps(), actorOf(request), id, versionOf(f), f.status ?? '');
        return 'geaendert';
      });
    });
    app.post(`${DESK_PATH}/anfragen/:id/erledigt`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onInquiry(request, reply, id, async (f) => {
        await svc.closeByMunicipality(deps(), actorOf(request), id, versionOf(f));
        return 'geaendert';
      });
    });
    app.post(
      `${DESK_PATH}/anfragen/:id/uebernehmen`,
      { ...user, schema: { params: Params } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onInquiry(request, reply, id, async (f) => {
          await svc.assignToMe(deps(), actorOf(request), id, versionOf(f));
          return 'geaendert';
        });
      },
    );
    app.post(
      `${DESK_PATH}/anfragen/:id/uebergeben`,
      { ...user, schema: { params: Params } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onInquiry(request, reply, id, async (f) => {
          await svc.handOver(deps(), actorOf(request), id, versionOf(f), idOf(f.to), f.note ?? '');
          return 'geaendert';
        });
      },
    );
    app.post(`${DESK_PATH}/anfragen/:id/bewertung`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onInquiry(request, reply, id, async (f) => {
        await svc.rate(
          deps(),
          actorOf(request),
          id,
          /^[1-5]$/.test(f.rating ?? '') ? Number(f.rating) : 0,
          f.comment ?? '',
        );
        return 'bewertet';
      });
    });
    app.get(
      `${DESK_PATH}/anfragen/:id/anhaenge/:file`,
      { ...user, schema: { params: FileParams } },
      async (request, reply) => {
        const f = await svc.attachment(
          d.db,
          actorOf(request),
          positiveId(request.params.id),
          positiveId(request.params.file),
        );
        return reply
          .header('content-type', f.mediaType)
          .header('content-disposition', `attachment; filename="${f.filename}"`)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(Buffer.from(f.bytes));
      },
    );

    // ---- the advisors' queue and canned answers
    app.get(
      `${DESK_PATH}/eingang`,
      {
        ...user,
        schema: {
          querystring: Query({
            team: OptionalText(20),
            mine: OptionalText(5),
            status: OptionalText(20),
            seite: OptionalText(6),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const status = (svc.QUEUE_STATUS as readonly string[]).includes(q.status ?? '')
          ? (q.status as svc.QueueStatus)
          : 'open';
        const teamId = idOf(q.team) || null;
        const mine = q.mine === '1';
        const page = /^[1-9][0-9]{0,5}$/.test(q.seite ?? '') ? Number(q.seite) : 1;
        const v = await svc.queue(deps(), actorOf(request), { teamId, mine, status, page });
        return sendHtml(
          reply,
          renderPage(
            <QueuePage
              ctx={pageContext(request)}
              v={v}
              filter={{ team: teamId ? String(teamId) : '', mine, status }}
            />,
          ),
        );
      },
    );

    const cannedPage = async (
      request: FastifyRequest,
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
    ) => {
      const ctx = pageContext(request);
      const rows = await svc.cannedAnswers(d.db, actorOf(request));
      return (
        <CannedPage ctx={ctx} rows={rows} notice={noticeOf(ctx, hinweis(request))} errors={errors} values={values} />
      );
    };
    app.get(
      `${DESK_PATH}/textbausteine`,
      { ...user, schema: { querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => sendHtml(reply, renderPage(await cannedPage(request))),
    );
    formRoute(app, {
      url: `${DESK_PATH}/textbausteine`,
      access: 'user',
      body: Form({ title: OptionalText(400), sector: OptionalText(60), body: OptionalText(40000) }),
      render: (request, input, errors) => cannedPage(request, errors, input as Record<string, string>),
      handle: async (request, input) => {
        await svc.addCanned(deps(), actorOf(request), input);
        return { redirect: `${DESK_PATH}/textbausteine?hinweis=gespeichert` };
      },
    });
    app.post(
      `${DESK_PATH}/textbausteine/:id/loeschen`,
      { ...user, schema: { params: Params } },
      async (request, reply) => {
        await svc.removeCanned(d.db, actorOf(request), positiveId(request.params.id));
        return reply.redirect(`${DESK_PATH}/textbausteine?hinweis=geloescht`, 303);
      },
    );

    // ---- teams and routing rules (platform admins)
    const teamsPage = async (
      request: FastifyRequest,
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
    ) => {
      const ctx = pageContext(request);
      const teams = await svc.teamsView(d.db, actorOf(request));
      return (
        <TeamsPage ctx={ctx} teams={teams} notice={noticeOf(ctx, hinweis(request))} errors={errors} values={values} />
      );
    };
    app.get(
      `${DESK_PATH}/teams`,
      { ...admin, schema: { querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => sendHtml(reply, renderPage(await teamsPage(request))),
    );
    formRoute(app, {
      url: `${DESK_PATH}/teams`,
      access: 'platform-admin',
      body: Form({ name: OptionalText(400), national: OptionalText(5) }),
      render: (request, input, errors) => teamsPage(request, errors, input as Record<string, string>),
      handle: async (request, input) => {
        const id = await svc.createTeam(d.db, actorOf(request), input.name, input.national === '1');
        return { redirect: `${DESK_PATH}/teams/${id}?hinweis=gespeichert` };
      },
    });
    const teamPage = async (
      request: FastifyRequest,
      id: number,
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
    ) => {
      const ctx = pageContext(request);
      const v = await svc.teamView(d.db, actorOf(request), id);
      return (
        <TeamPage
          ctx={ctx}
          team={v.team}
          members={v.members}
          notice={noticeOf(ctx, hinweis(request))}
          errors={errors}
          values={values}
        />
      );
    };
    app.get(
      `${DESK_PATH}/teams/:id`,
      { ...admin, schema: { params: Params, querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => sendHtml(reply, renderPage(await teamPage(request, positiveId(request.params.id)))),
    );
    formRoute(app, {
      url: `${DESK_PATH}/teams/:id`,
      access: 'platform-admin',
      params: Params,
      body: Form({ name: OptionalText(400), lead: OptionalText(20), national: OptionalText(5) }),
      render: (request, input, errors) =>
        teamPage(request, positiveId(request.params.id), errors, input as Record<string, string>),
      handle: async (request, input) => {
        const id = positiveId(request.params.id);
        await svc.updateTeam(d.db, actorOf(request), id, {
          name: input.name,
          national: input.national === '1',
          leadUserId: idOf(input.lead) || null,
        });
        return { redirect: `${DESK_PATH}/teams/${id}?hinweis=gespeichert` };
      },
    });
    formRoute(app, {
      url: `${DESK_PATH}/teams/:id/mitglieder`,
      access: 'platform-admin',
      params: Params,
      body: Form({ email: OptionalText(320) }),
      render: (request, input, errors) =>
        teamPage(request, positiveId(request.params.id), errors, input as Record<string, string>),
      handle: async (request, input) => {
        const id = positiveId(request.params.id);
        await svc.addMember(d.db, actorOf(request), id, input.email);
        return { redirect: `${DESK_PATH}/teams/${id}?hinweis=gespeichert` };
      },
    });
    app.post(
      `${DESK_PATH}/teams/:id/mitglieder/:user/entfernen`,
      { ...admin, schema: { params: MemberParams } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        await svc.removeMember(d.db, actorOf(request), id, positiveId(request.params.user));
        return reply.redirect(`${DESK_PATH}/teams/${id}?hinweis=gespeichert`, 303);
      },
    );
    app.post(
      `${DESK_PATH}/teams/:id/mitglieder/:user/verfuegbarkeit`,
      { ...admin, schema: { params: MemberParams, body: Form({ available: OptionalText(5) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        await svc.setMemberAvailable(
          d.db,
          actorOf(request),
          id,
          positiveId(request.params.user),
          request.body.available === '1',
        );
        return reply.redirect(`${DESK_PATH}/teams/${id}?hinweis=gespeichert`, 303);
      },
    );

    const rulesPage = async (
      request: FastifyRequest,
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
    ) => {
      const ctx = pageContext(request);
      const v = await svc.rulesView(d.db, actorOf(request));
      return (
        <RulesPage
          ctx={ctx}
          rules={v.rules}
          teams={v.teams}
          notice={noticeOf(ctx, hinweis(request))}
          errors={errors}
          values={values}
        />
      );
    };
    app.get(
      `${DESK_PATH}/regeln`,
      { ...admin, schema: { querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => sendHtml(reply, renderPage(await rulesPage(request))),
    );
    formRoute(app, {
      url: `${DESK_PATH}/regeln`,
      access: 'platform-admin',
      body: Form({ state: OptionalText(5), sector: OptionalText(60), team: OptionalText(20) }),
      render: (request, input, errors) => rulesPage(request, errors, input as Record<string, string>),
      handle: async (request, input) => {
        await svc.saveRule(d.db, actorOf(request), {
          stateKey: input.state,
          sector: input.sector,
          teamId: idOf(input.team),
        });
        return { redirect: `${DESK_PATH}/regeln?hinweis=gespeichert` };
      },
    });
    app.post(`${DESK_PATH}/regeln/:id/loeschen`, { ...admin, schema: { params: Params } }, async (request, reply) => {
      await svc.removeRule(d.db, actorOf(request), positiveId(request.params.id));
      return reply.redirect(`${DESK_PATH}/regeln?hinweis=geloescht`, 303);
    });
  };
