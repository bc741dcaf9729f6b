/**
 * Pages of the cooperation groups under /kooperation: the list (listed groups for everyone, one's own groups and
 * invitations), founding, a group's page (for members: members, threads, documents, decisions, templates and the
 * lead's forms; for others the public part of a listed group, or the invitation), a thread, the settings and a
 * decision's edit form. Every change is a plain form (post-redirect-get); a form with errors is shown again with
 * what was typed; stale forms answer 409. Downloads are attachments with nosniff and a sandboxing CSP.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { renderMarkdown } from '../../atlas/index.js';
import { AppError, fieldError, NotFoundError, type ShownFieldError, ValidationError } from '../../platform/errors.js';
import { pageContext, sendHtml } from '../../platform/http/context.js';
import {
  Field,
  IdParam,
  OptionalText,
  positiveId,
  Query,
  Select,
  SubmitButton,
  TextArea,
} from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, type PageContext, renderPage } from '../../platform/http/layout.js';
import { formatDate, formatDateTime, text } from '../../platform/i18n/i18n.js';
import type { ModuleDeps } from '../../platform/module.js';
import type { DeskSeams } from '../contract.js';
import { actorOf, deskPage, idOf, maybeActor, shown, versionOf } from '../pages.js';
import * as svc from './groups.service.js';
import { formatSize, LIMITS, parseDecisionForm, parseGroupForm, parseThreadForm, type Upload } from './model.js';
import { isTemplateKind, TEMPLATE_KINDS } from './templates.js';

const Page = deskPage('desk.groups.title');

const P = svc.GROUPS_PATH;
const NOTICES = [
  'gegruendet',
  'gespeichert',
  'eingeladen',
  'beigetreten',
  'abgelehnt',
  'angefragt',
  'entschieden',
  'ausgetreten',
  'entfernt',
  'uebergeben',
  'geschrieben',
  'hochgeladen',
  'dokumentGeloescht',
  'bearbeitet',
  'beschlossen',
] as const;
type Notice = (typeof NOTICES)[number];
const Params = Type.Object({ id: IdParam });
const ThreadParams = Type.Object({ id: IdParam, thread: IdParam });
const DocParams = Type.Object({ id: IdParam, doc: IdParam });
const DecisionParams = Type.Object({ id: IdParam, decision: IdParam });
const OrgParams = Type.Object({ id: IdParam, org: IdParam });
const TemplateParams = Type.Object({ id: IdParam, kind: Type.String({ maxLength: 20 }) });

const listCrumb = (ctx: PageContext) => ({ href: P, label: ctx.t('desk.groups.title') });
const groupCrumb = (g: { id: number; title: string }) => ({ href: svc.groupPath(g.id), label: g.title });

/** A small form with one button (and hidden fields). */
function ButtonForm(props: {
  ctx: PageContext;
  action: string;
  label: string;
  hidden?: Record<string, string>;
  secondary?: boolean;
  ariaLabel?: string;
}) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField ctx={props.ctx} />
      {Object.entries(props.hidden ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} key={k} />
      ))}
      <button
        class={`kern-btn ${props.secondary ? 'kern-btn--secondary' : 'kern-btn--primary'}`}
        type="submit"
        aria-label={props.ariaLabel}
      >
        <span class="kern-label">{props.label}</span>
      </button>
    </form>
  );
}

function Checkbox(props: { id: string; label: string; checked: boolean }) {
  return (
    <div class="kern-form-check">
      <input
        class="kern-form-check__checkbox"
        type="checkbox"
        id={props.id}
        name={props.id}
        value="1"
        checked={props.checked}
      />
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The list and founding

function ListPage({ ctx, v, notice }: { ctx: PageContext; v: svc.ListView; notice: string | null }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('desk.groups.title')} notice={notice}>
      <p>{t('desk.groups.lead')}</p>
      {ctx.user ? (
        v.workspaces.length ? (
          <p>
            <a class="kern-btn kern-btn--primary" href={`${P}/neu`}>
              <span class="kern-label">{t('desk.groups.found')}</span>
            </a>
          </p>
        ) : (
          <p>{t('desk.groups.noWorkspace')}</p>
        )
      ) : null}
      {ctx.user ? (
        <>
          <h2 class="kern-heading-medium">{t('desk.groups.own')}</h2>
          {v.own.length === 0 ? (
            <p>{t('desk.groups.noOwn')}</p>
          ) : (
            <div class="table-wrap">
              <table class="kern-table">
                <caption class="kern-table__caption">{t('desk.groups.own')}</caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th scope="col" class="kern-table__header">
                      {t('desk.groups.group')}
                    </th>
                    <th scope="col" class="kern-table__header">
                      {t('desk.groups.state')}
                    </th>
                    <th scope="col" class="kern-table__header">
                      {t('desk.groups.members')}
                    </th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {v.own.map((g) => (
                    <tr class="kern-table__row" key={g.id}>
                      <td class="kern-table__cell">
                        <a class="kern-link" href={svc.groupPath(g.id)}>
                          {g.title}
                        </a>
                      </td>
                      <td class="kern-table__cell">{t(`desk.groups.state.${g.state}`)}</td>
                      <td class="kern-table__cell">{g.memberNames.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
      <h2 class="kern-heading-medium">{t('desk.groups.listed')}</h2>
      {v.listed.length === 0 ? (
        <p>{t('desk.groups.noListed')}</p>
      ) : (
        <div class="table-wrap">
          <table class="kern-table">
            <caption class="kern-table__caption">{t('desk.groups.listed')}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">
                  {t('desk.groups.group')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.groups.region')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.groups.members')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {v.listed.map((g) => (
                <tr class="kern-table__row" key={g.id}>
                  <td class="kern-table__cell">
                    <a class="kern-link" href={svc.groupPath(g.id)}>
                      {g.title}
                    </a>
                  </td>
                  <td class="kern-table__cell">{g.regionName ?? g.regionKey ?? '–'}</td>
                  <td class="kern-table__cell">{g.memberNames.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function GroupFields(props: { ctx: PageContext; values: Record<string, string>; errors: readonly ShownFieldError[] }) {
  const { ctx, values: v, errors } = props;
  const { t } = ctx;
  return (
    <>
      <Field
        id="title"
        label={t('desk.groups.groupTitle')}
        value={v.title}
        maxLength={LIMITS.title}
        errors={errors}
        required
      />
      <TextArea
        id="description"
        label={t('desk.groups.description')}
        hint={t('desk.groups.descriptionHint')}
        value={v.description}
        maxLength={LIMITS.description}
        rows={6}
        errors={errors}
      />
      <Field
        id="region"
        label={t('desk.groups.region')}
        hint={t('desk.groups.regionHint')}
        value={v.region}
        inputmode="numeric"
        maxLength={12}
        errors={errors}
      />
      <Checkbox id="listed" label={t('desk.groups.listedLabel')} checked={v.listed === '1' || v.listed === 'on'} />
    </>
  );
}

function FoundPage(props: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
  workspaces: readonly { id: number; name: string }[];
}) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('desk.groups.found')} crumbs={[listCrumb(ctx), { label: t('desk.groups.found') }]}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`${P}/neu`} class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        {props.workspaces.length > 1 ? (
          <Select
            id="org"
            label={t('desk.groups.workspace')}
            options={props.workspaces.map((w) => ({ value: String(w.id), label: w.name }))}
            value={values.org}
            errors={errors}
          />
        ) : (
          <input type="hidden" name="org" value={String(props.workspaces[0]?.id ?? '')} />
        )}
        <GroupFields ctx={ctx} values={values} errors={errors} />
        <SubmitButton label={t('desk.groups.foundSubmit')} />
      </form>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// A group

function PublicGroupPage(props: {
  ctx: PageContext;
  v: svc.PublicView;
  notice: string | null;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, v } = props;
  const { t } = ctx;
  const url = svc.groupPath(v.group.id);
  return (
    <Page ctx={ctx} title={v.group.title} notice={props.notice} crumbs={[listCrumb(ctx), { label: v.group.title }]}>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {v.group.description ? <p class="group-description">{v.group.description}</p> : null}
      {v.group.regionName || v.group.regionKey ? (
        <p>
          {t('desk.groups.region')}: {v.group.regionName ?? v.group.regionKey}
        </p>
      ) : null}
      <h2 class="kern-heading-medium">{t('desk.groups.members')}</h2>
      <ul>
        {v.members.map((m) => (
          <li key={m.name}>
            {m.name}
            {m.lead ? ` (${t('desk.groups.leadMark')})` : ''}
          </li>
        ))}
      </ul>
      <p>{t('desk.groups.publicNote')}</p>
      {v.invitedOrgs.map((w) => (
        <section key={w.id} aria-labelledby={`invitation-${w.id}`}>
          <h2 class="kern-heading-medium" id={`invitation-${w.id}`}>
            {t('desk.groups.invitation')}
          </h2>
          <p>{t('desk.groups.invitationText', { name: w.name })}</p>
          <ButtonForm
            ctx={ctx}
            action={`${url}/einladung`}
            label={t('desk.groups.accept')}
            hidden={{ org: String(w.id), accept: '1' }}
          />{' '}
          <ButtonForm
            ctx={ctx}
            action={`${url}/einladung`}
            label={t('desk.groups.decline')}
            hidden={{ org: String(w.id), accept: '0' }}
            secondary
          />
        </section>
      ))}
      {v.requested ? <p>{t('desk.groups.requested')}</p> : null}
      {!ctx.user && v.group.listed ? (
        <p>
          <a class="kern-link" href={`/anmelden?weiter=${encodeURIComponent(url)}`}>
            {t('desk.groups.signInToJoin')}
          </a>
        </p>
      ) : null}
      {v.joinable.length ? (
        <>
          <h2 class="kern-heading-medium">{t('desk.groups.join')}</h2>
          <p>{t('desk.groups.joinText')}</p>
          <form method="post" action={`${url}/beitreten`} class="form-narrow">
            <CsrfField ctx={ctx} />
            {v.joinable.length > 1 ? (
              <Select
                id="org"
                label={t('desk.groups.workspace')}
                options={v.joinable.map((w) => ({ value: String(w.id), label: w.name }))}
                errors={props.errors}
              />
            ) : (
              <input type="hidden" name="org" value={String(v.joinable[0]!.id)} />
            )}
            <SubmitButton label={t('desk.groups.join')} />
          </form>
        </>
      ) : null}
    </Page>
  );
}

function MembersSection({ ctx, v }: { ctx: PageContext; v: svc.MemberView }) {
  const { t } = ctx;
  const url = svc.groupPath(v.group.id);
  const rows = [...v.members, ...v.invited];
  return (
    <section aria-labelledby="members">
      <h2 class="kern-heading-medium" id="members">
        {t('desk.groups.members')}
      </h2>
      <div class="table-wrap">
        <table class="kern-table">
          <caption class="kern-table__caption">{t('desk.groups.members')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__header">
                {t('desk.groups.workspace')}
              </th>
              <th scope="col" class="kern-table__header">
                {t('desk.groups.state')}
              </th>
              {v.isLead ? (
                <th scope="col" class="kern-table__header">
                  <span class="kern-sr-only">{t('desk.groups.remove')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {rows.map((m) => {
              const lead = m.orgId === v.group.leadOrgId;
              return (
                <tr class="kern-table__row" key={m.orgId}>
                  <th scope="row" class="kern-table__header">
                    {m.name}
                  </th>
                  <td class="kern-table__cell">
                    {t(`desk.groups.state.${m.state}`)}
                    {lead ? ` (${t('desk.groups.leadMark')})` : ''}
                  </td>
                  {v.isLead ? (
                    <td class="kern-table__cell">
                      {lead ? null : (
                        <ButtonForm
                          ctx={ctx}
                          action={`${url}/mitglieder/${m.orgId}/entfernen`}
                          label={m.state === 'invited' ? t('desk.groups.withdraw') : t('desk.groups.remove')}
                          ariaLabel={t('desk.groups.removeLabel', { name: m.name })}
                          secondary
                        />
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {v.isLead ? null : <ButtonForm ctx={ctx} action={`${url}/austreten`} label={t('desk.groups.leave')} secondary />}
    </section>
  );
}

function LeadForms(props: {
  ctx: PageContext;
  v: svc.MemberView;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, v, values, errors } = props;
  const { t } = ctx;
  const url = svc.groupPath(v.group.id);
  const others = v.members.filter((m) => m.orgId !== v.group.leadOrgId);
  return (
    <>
      <section aria-labelledby="invite">
        <h2 class="kern-heading-medium" id="invite">
          {t('desk.groups.invite')}
        </h2>
        <form method="post" action={`${url}/einladen`} class="form-narrow" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            id="invitee"
            label={t('desk.groups.invitee')}
            hint={t('desk.groups.inviteeHint')}
            value={values.invitee}
            maxLength={120}
            errors={errors}
          />
          <SubmitButton label={t('desk.groups.inviteSubmit')} />
        </form>
      </section>
      {v.requests.length ? (
        <section aria-labelledby="requests">
          <h2 class="kern-heading-medium" id="requests">
            {t('desk.groups.requests')}
          </h2>
          <ul>
            {v.requests.map((m) => (
              <li key={m.orgId}>
                {m.name}{' '}
                <ButtonForm
                  ctx={ctx}
                  action={`${url}/antraege/${m.orgId}`}
                  label={t('desk.groups.admit')}
                  hidden={{ accept: '1' }}
                />{' '}
                <ButtonForm
                  ctx={ctx}
                  action={`${url}/antraege/${m.orgId}`}
                  label={t('desk.groups.refuse')}
                  hidden={{ accept: '0' }}
                  secondary
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {others.length ? (
        <section aria-labelledby="handover">
          <h2 class="kern-heading-medium" id="handover">
            {t('desk.groups.handOver')}
          </h2>
          <form method="post" action={`${url}/leitung`} class="form-narrow">
            <CsrfField ctx={ctx} />
            <Select
              id="org"
              label={t('desk.groups.handOverTo')}
              options={others.map((m) => ({ value: String(m.orgId), label: m.name }))}
              value={values.org}
              errors={errors}
            />
            <SubmitButton label={t('desk.groups.handOverSubmit')} secondary />
          </form>
        </section>
      ) : null}
    </>
  );
}

function MemberGroupPage(props: {
  ctx: PageContext;
  v: svc.MemberView;
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { ctx, v, errors, values } = props;
  const { t } = ctx;
  const g = v.group;
  const url = svc.groupPath(g.id);
  return (
    <Page ctx={ctx} title={g.title} notice={props.notice} crumbs={[listCrumb(ctx), { label: g.title }]}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {g.description ? <p class="group-description">{g.description}</p> : null}
      {g.regionName || g.regionKey ? (
        <p>
          {t('desk.groups.region')}: {g.regionName ?? g.regionKey}
        </p>
      ) : null}
      {v.isLead ? (
        <p>
          <a class="kern-link" href={`${url}/einstellungen`}>
            {t('desk.groups.settings')}
          </a>
        </p>
      ) : null}
      <MembersSection ctx={ctx} v={v} />
      {v.isLead ? <LeadForms ctx={ctx} v={v} values={values} errors={errors} /> : null}

      <section aria-labelledby="threads">
        <h2 class="kern-heading-medium" id="threads">
          {t('desk.groups.threads')}
        </h2>
        {v.threads.length === 0 ? (
          <p>{t('desk.groups.noThreads')}</p>
        ) : (
          <div class="table-wrap">
            <table class="kern-table">
              <caption class="kern-table__caption">{t('desk.groups.threads')}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th scope="col" class="kern-table__header">
                    {t('desk.groups.thread')}
                  </th>
                  <th scope="col" class="kern-table__header">
                    {t('desk.groups.posts')}
                  </th>
                  <th scope="col" class="kern-table__header">
                    {t('desk.groups.lastPost')}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {v.threads.map((th) => (
                  <tr class="kern-table__row" key={th.id}>
                    <td class="kern-table__cell">
                      <a class="kern-link" href={svc.threadPath(g.id, th.id)}>
                        {th.title}
                      </a>
                    </td>
                    <td class="kern-table__cell">{th.postCount}</td>
                    <td class="kern-table__cell">{formatDateTime(ctx.lang, th.lastPostAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3 class="kern-heading-small">{t('desk.groups.newThread')}</h3>
        <form method="post" action={`${url}/themen`} class="form-narrow" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            id="threadTitle"
            label={t('desk.groups.threadTitle')}
            value={values.threadTitle}
            maxLength={LIMITS.title}
            errors={errors}
          />
          <TextArea
            id="threadBody"
            label={t('desk.groups.threadBody')}
            hint={t('desk.groups.bodyHint')}
            value={values.threadBody}
            maxLength={LIMITS.body}
            rows={6}
            errors={errors}
          />
          <SubmitButton label={t('desk.groups.threadSubmit')} />
        </form>
      </section>

      <section aria-labelledby="documents">
        <h2 class="kern-heading-medium" id="documents">
          {t('desk.groups.documents')}
        </h2>
        {v.documents.length === 0 ? (
          <p>{t('desk.groups.noDocuments')}</p>
        ) : (
          <div class="table-wrap">
            <table class="kern-table">
              <caption class="kern-table__caption">{t('desk.groups.documents')}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th scope="col" class="kern-table__header">
                    {t('desk.groups.file')}
                  </th>
                  <th scope="col" class="kern-table__header">
                    {t('desk.groups.size')}
                  </th>
                  <th scope="col" class="kern-table__header">
                    {t('desk.groups.uploadedBy')}
                  </th>
                  <th scope="col" class="kern-table__header">
                    {t('desk.groups.uploadedAt')}
                  </th>
                  <th scope="col" class="kern-table__header">
                    {t('desk.groups.documentActions')}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {v.documents.map((doc) => (
                  <tr class="kern-table__row" key={doc.id}>
                    <td class="kern-table__cell">
                      <a class="kern-link" href={`${url}/dokumente/${doc.id}`}>
                        {doc.filename}
                      </a>
                    </td>
                    <td class="kern-table__cell">{formatSize(doc.size, ctx.lang)}</td>
                    <td class="kern-table__cell">{doc.uploaderEmail ?? t('desk.groups.formerMember')}</td>
                    <td class="kern-table__cell">{formatDateTime(ctx.lang, doc.createdAt)}</td>
                    <td class="kern-table__cell">
                      {doc.mayDelete ? (
                        <ButtonForm
                          ctx={ctx}
                          action={`${url}/dokumente/${doc.id}/loeschen`}
                          label={t('desk.groups.deleteDocument')}
                          ariaLabel={t('desk.groups.deleteDocumentLabel', { name: doc.filename })}
                          secondary
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>{t('desk.groups.used', { used: formatSize(v.usedBytes, ctx.lang) })}</p>
        <form method="post" action={`${url}/dokumente`} encType="multipart/form-data" class="form-narrow">
          <CsrfField ctx={ctx} />
          <FileInput ctx={ctx} errors={errors} />
          <SubmitButton label={t('desk.groups.upload')} />
        </form>
      </section>

      <section aria-labelledby="decisions">
        <h2 class="kern-heading-medium" id="decisions">
          {t('desk.groups.decisions')}
        </h2>
        {v.decisions.length === 0 ? (
          <p>{t('desk.groups.noDecisions')}</p>
        ) : (
          v.decisions.map((dec) => (
            <article key={dec.id} class="group-decision">
              <h3 class="kern-heading-small">{dec.title}</h3>
              <p>
                {t('desk.groups.decidedOn')}: {formatDate(ctx.lang, dec.decidedOn)}
              </p>
              {dec.body ? <div dangerouslySetInnerHTML={{ __html: renderMarkdown(dec.body) }} /> : null}
              {v.isLead ? (
                <p>
                  <a
                    class="kern-link"
                    href={svc.decisionPath(g.id, dec.id)}
                    aria-label={t('desk.groups.editLabel', { title: dec.title })}
                  >
                    {t('desk.groups.edit')}
                  </a>
                </p>
              ) : null}
            </article>
          ))
        )}
        {v.isLead ? (
          <>
            <h3 class="kern-heading-small">{t('desk.groups.newDecision')}</h3>
            <form method="post" action={`${url}/beschluesse`} class="form-narrow" novalidate>
              <CsrfField ctx={ctx} />
              <DecisionFields ctx={ctx} values={values} errors={errors} />
              <SubmitButton label={t('desk.groups.decisionSubmit')} />
            </form>
          </>
        ) : null}
      </section>

      <section aria-labelledby="templates">
        <h2 class="kern-heading-medium" id="templates">
          {t('desk.groups.templates')}
        </h2>
        <p>{t('desk.groups.templatesText')}</p>
        <ul>
          {TEMPLATE_KINDS.map((k) => (
            <li key={k}>
              <a class="kern-link" href={`${url}/vorlagen/${k}`} hreflang="de">
                {t(`desk.groups.template.${k}`)}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}

function DecisionFields(props: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  return (
    <>
      <Field
        id="decisionTitle"
        label={t('desk.groups.decisionTitle')}
        value={values.decisionTitle}
        maxLength={LIMITS.title}
        errors={errors}
      />
      <Field
        id="decidedOn"
        type="date"
        label={t('desk.groups.decidedOn')}
        hint={t('desk.groups.decidedOnHint')}
        value={values.decidedOn}
        errors={errors}
      />
      <TextArea
        id="decisionBody"
        label={t('desk.groups.decisionBody')}
        hint={t('desk.groups.bodyHint')}
        value={values.decisionBody}
        maxLength={LIMITS.body}
        rows={5}
        errors={errors}
      />
    </>
  );
}

function FileInput({ ctx, errors }: { ctx: PageContext; errors: readonly ShownFieldError[] }) {
  const error = errors.find((e) => e.field === 'file');
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for="file">
        {ctx.t('desk.groups.file')}
      </label>
      <div class="kern-hint" id="file-hint">
        {ctx.t('desk.groups.fileHint')}
      </div>
      {error ? (
        <p class="kern-error" id="file-error">
          {error.message}
        </p>
      ) : null}
      <input
        class="kern-form-input__input"
        type="file"
        id="file"
        name="file"
        accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods,.csv,.txt"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'file-hint file-error' : 'file-hint'}
      />
    </div>
  );
}

function ThreadPage(props: {
  ctx: PageContext;
  v: svc.ThreadView;
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { ctx, v, errors } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={v.thread.title}
      notice={props.notice}
      crumbs={[listCrumb(ctx), groupCrumb(v.group), { label: v.thread.title }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      {v.posts.map((p) => (
        <article class="group-post" key={p.id} aria-labelledby={`post-${p.id}`}>
          <h2 class="kern-heading-small" id={`post-${p.id}`}>
            {t('desk.groups.postBy', {
              who: [p.authorEmail ?? t('desk.groups.formerMember'), p.orgName].filter(Boolean).join(', '),
              at: formatDateTime(ctx.lang, p.createdAt),
            })}
          </h2>
          <div dangerouslySetInnerHTML={{ __html: renderMarkdown(p.body) }} />
          {p.editedAt || p.mayEdit ? (
            <p class="kern-body--small">
              {p.editedAt ? t('desk.groups.edited', { at: formatDateTime(ctx.lang, p.editedAt) }) : null}{' '}
              {p.mayEdit ? (
                <a
                  class="kern-link"
                  href={svc.postEditPath(v.group.id, v.thread.id, p.id)}
                  aria-label={t('desk.groups.editPostLabel', { at: formatDateTime(ctx.lang, p.createdAt) })}
                >
                  {t('desk.groups.editPost')}
                </a>
              ) : null}
            </p>
          ) : null}
        </article>
      ))}
      <h2 class="kern-heading-medium">{t('desk.groups.reply')}</h2>
      <form
        method="post"
        action={`${svc.threadPath(v.group.id, v.thread.id)}/beitraege`}
        class="form-narrow"
        novalidate
      >
        <CsrfField ctx={ctx} />
        <TextArea
          id="body"
          label={t('desk.groups.replyBody')}
          hint={t('desk.groups.bodyHint')}
          value={props.values.body}
          maxLength={LIMITS.body}
          rows={6}
          errors={errors}
        />
        <SubmitButton label={t('desk.groups.replySubmit')} />
      </form>
    </Page>
  );
}

function PostEditPage(props: {
  ctx: PageContext;
  v: Awaited<ReturnType<typeof svc.postForEdit>>;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, v, errors } = props;
  const { t } = ctx;
  const threadUrl = svc.threadPath(v.group.id, v.thread.id);
  return (
    <Page
      ctx={ctx}
      title={t('desk.groups.editPost')}
      crumbs={[
        listCrumb(ctx),
        groupCrumb(v.group),
        { href: threadUrl, label: v.thread.title },
        { label: t('desk.groups.editPost') },
      ]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={svc.postEditPath(v.group.id, v.thread.id, v.post.id)} class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={props.values.version ?? String(v.post.version)} />
        <TextArea
          id="body"
          label={t('desk.groups.replyBody')}
          hint={t('desk.groups.bodyHint')}
          value={props.values.body ?? v.post.body}
          maxLength={LIMITS.body}
          rows={10}
          errors={errors}
        />
        <SubmitButton label={t('desk.groups.editPostSubmit')} />
      </form>
    </Page>
  );
}

function SettingsPage(props: {
  ctx: PageContext;
  group: svc.GroupSettings;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, group, errors } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.groups.settings')}
      crumbs={[listCrumb(ctx), groupCrumb(group), { label: t('desk.groups.settings') }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`${svc.groupPath(group.id)}/einstellungen`} class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={props.values.version ?? String(group.version)} />
        <GroupFields ctx={ctx} values={props.values} errors={errors} />
        <SubmitButton label={t('desk.groups.save')} />
      </form>
    </Page>
  );
}

function DecisionPage(props: {
  ctx: PageContext;
  group: svc.GroupSettings;
  decisionId: number;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, group, errors } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.groups.editDecision')}
      crumbs={[listCrumb(ctx), groupCrumb(group), { label: t('desk.groups.editDecision') }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={svc.decisionPath(group.id, props.decisionId)} class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={props.values.version ?? ''} />
        <DecisionFields ctx={ctx} values={props.values} errors={errors} />
        <SubmitButton label={t('desk.groups.save')} />
      </form>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

/** A form body as strings and at most one file, whether it came urlencoded or as multipart. */
async function readBody(request: FastifyRequest): Promise<{ fields: Record<string, string>; file: Upload | null }> {
  const raw = (request.body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  let file: Upload | null = null;
  for (const [k, v] of Object.entries(raw)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (typeof item === 'string') fields[k] ??= item;
      else if (item && typeof item === 'object' && 'toBuffer' in item) {
        const f = item as MultipartFile;
        if (!f.filename) continue;
        let bytes: Buffer;
        try {
          bytes = await f.toBuffer();
        } catch {
          throw new ValidationError([fieldError('file', 'desk.groups.err.fileTooLarge', { max: '10 MB' })]);
        }
        if (f.file.truncated)
          throw new ValidationError([fieldError('file', 'desk.groups.err.fileTooLarge', { max: '10 MB' })]);
        file ??= { filename: f.filename, bytes };
      } else if (item && typeof item === 'object' && 'value' in item) {
        const value = (item as { value: unknown }).value;
        if (typeof value === 'string') fields[k] ??= value;
      }
    }
  }
  for (const [k, v] of Object.entries(fields)) if (v.length > 40_000) fields[k] = v.slice(0, 40_000);
  return { fields, file };
}

const groupValues = (g: svc.GroupSettings): Record<string, string> => ({
  title: g.title,
  description: g.description,
  region: g.regionKey ?? '',
  listed: g.listed ? '1' : '',
  version: String(g.version),
});

export const groupPages =
  (d: ModuleDeps, seams: DeskSeams): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    await app.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: LIMITS.fileBytes, files: 1, fields: 10, parts: 12 },
      // A file over the limit arrives truncated (not as a 413) so the form can say so next to the field.
      throwFileSizeLimit: false,
    });
    const deps = (): svc.GroupDeps => ({
      db: d.db,
      now: d.clock,
      notifier: seams.notifier,
      t: d.i18n.translator('de'),
    });
    const pub = { config: { access: 'public' as const } };
    const user = { config: { access: 'user' as const } };
    const upload = { config: { access: 'user' as const, upload: true } };
    const noticeOf = (ctx: PageContext, request: FastifyRequest) => {
      const raw = (request.query as { hinweis?: string } | undefined)?.hinweis;
      return raw && (NOTICES as readonly string[]).includes(raw) ? ctx.t(`desk.groups.notice.${raw as Notice}`) : null;
    };
    const hinweis = { querystring: Query({ hinweis: OptionalText(40) }) };

    // ---- the list and founding
    app.get(P, { ...pub, schema: hinweis }, async (request, reply) => {
      const ctx = pageContext(request);
      const v = await svc.listView(d.db, maybeActor(request));
      return sendHtml(reply, renderPage(<ListPage ctx={ctx} v={v} notice={noticeOf(ctx, request)} />));
    });
    app.get(`${P}/neu`, user, async (request, reply) => {
      const workspaces = await svc.foundingWorkspaces(d.db, actorOf(request));
      return sendHtml(
        reply,
        renderPage(<FoundPage ctx={pageContext(request)} values={{}} errors={[]} workspaces={workspaces} />),
      );
    });
    app.post(`${P}/neu`, user, async (request, reply) => {
      const { fields } = await readBody(request);
      try {
        const id = await svc.found(deps(), actorOf(request), idOf(fields.org), parseGroupForm(fields));
        return reply.redirect(`${svc.groupPath(id)}?hinweis=gegruendet`, 303);
      } catch (err) {
        if (err instanceof AppError && err.status === 400) {
          const workspaces = await svc.foundingWorkspaces(d.db, actorOf(request));
          return sendHtml(
            reply,
            renderPage(
              <FoundPage
                ctx={pageContext(request)}
                values={fields}
                errors={shown(request, err)}
                workspaces={workspaces}
              />,
            ),
            400,
          );
        }
        throw err;
      }
    });

    // ---- one group
    const groupPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await svc.groupView(d.db, maybeActor(request), id);
      const notice = noticeOf(ctx, request);
      return sendHtml(
        reply,
        renderPage(
          v.kind === 'member' ? (
            <MemberGroupPage ctx={ctx} v={v} notice={notice} errors={errors} values={values} />
          ) : (
            <PublicGroupPage ctx={ctx} v={v} notice={notice} errors={errors} />
          ),
        ),
        status,
      );
    };
    /** A form on the group page: on success back to it with a notice, on an error the page with what was typed. */
    const onGroup = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      run: (fields: Record<string, string>, file: Upload | null) => Promise<Notice | { redirect: string }>,
    ) => {
      let fields: Record<string, string> = {};
      try {
        const body = await readBody(request);
        fields = body.fields;
        const out = await run(fields, body.file);
        return reply.redirect(typeof out === 'string' ? `${svc.groupPath(id)}?hinweis=${out}` : out.redirect, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          return groupPage(request, reply, id, shown(request, err), fields, err.status);
        }
        throw err;
      }
    };

    app.get(`${P}/:id`, { ...pub, schema: { params: Params, ...hinweis } }, async (request, reply) =>
      groupPage(request, reply, positiveId(request.params.id)),
    );
    app.post(`${P}/:id/einladen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (f) => {
        await svc.invite(deps(), actorOf(request), id, f.invitee ?? '');
        return 'eingeladen';
      });
    });
    app.post(`${P}/:id/einladung`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (f) => {
        const accept = f.accept === '1';
        await svc.respond(deps(), actorOf(request), id, accept, idOf(f.org) || null);
        return accept ? 'beigetreten' : { redirect: `${P}?hinweis=abgelehnt` };
      });
    });
    app.post(`${P}/:id/beitreten`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (f) => {
        await svc.requestJoin(deps(), actorOf(request), id, idOf(f.org));
        return 'angefragt';
      });
    });
    app.post(`${P}/:id/antraege/:org`, { ...user, schema: { params: OrgParams } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (f) => {
        await svc.decideRequest(deps(), actorOf(request), id, positiveId(request.params.org), f.accept === '1');
        return 'entschieden';
      });
    });
    app.post(`${P}/:id/austreten`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (f) => {
        await svc.leave(deps(), actorOf(request), id, idOf(f.org) || null);
        return { redirect: `${P}?hinweis=ausgetreten` };
      });
    });
    app.post(
      `${P}/:id/mitglieder/:org/entfernen`,
      { ...user, schema: { params: OrgParams } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onGroup(request, reply, id, async () => {
          await svc.removeMember(deps(), actorOf(request), id, positiveId(request.params.org));
          return 'entfernt';
        });
      },
    );
    app.post(`${P}/:id/leitung`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (f) => {
        await svc.handOver(deps(), actorOf(request), id, idOf(f.org));
        return 'uebergeben';
      });
    });

    // ---- settings
    const settingsPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      values: Record<string, string> | null,
      errors: ShownFieldError[] = [],
      status = 200,
    ) => {
      const group = await svc.settingsOf(d.db, actorOf(request), id);
      const vals = values ?? groupValues(group);
      return sendHtml(
        reply,
        renderPage(<SettingsPage ctx={pageContext(request)} group={group} values={vals} errors={errors} />),
        status,
      );
    };
    app.get(`${P}/:id/einstellungen`, { ...user, schema: { params: Params } }, async (request, reply) =>
      settingsPage(request, reply, positiveId(request.params.id), null),
    );
    app.post(`${P}/:id/einstellungen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const { fields } = await readBody(request);
      try {
        await svc.updateSettings(deps(), actorOf(request), id, versionOf(fields), parseGroupForm(fields));
        return reply.redirect(`${svc.groupPath(id)}?hinweis=gespeichert`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409))
          return settingsPage(request, reply, id, fields, shown(request, err), err.status);
        throw err;
      }
    });

    // ---- threads
    app.post(`${P}/:id/themen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (f) => {
        const threadId = await svc.addThread(deps(), actorOf(request), id, parseThreadForm(f));
        return { redirect: `${svc.threadPath(id, threadId)}?hinweis=geschrieben` };
      });
    });
    const threadPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      threadId: number,
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await svc.threadView(d.db, actorOf(request), id, threadId);
      return sendHtml(
        reply,
        renderPage(<ThreadPage ctx={ctx} v={v} notice={noticeOf(ctx, request)} errors={errors} values={values} />),
        status,
      );
    };
    app.get(
      `${P}/:id/themen/:thread`,
      { ...user, schema: { params: ThreadParams, ...hinweis } },
      async (request, reply) =>
        threadPage(request, reply, positiveId(request.params.id), positiveId(request.params.thread)),
    );
    app.post(
      `${P}/:id/themen/:thread/beitraege`,
      { ...user, schema: { params: ThreadParams } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const threadId = positiveId(request.params.thread);
        const { fields } = await readBody(request);
        try {
          await svc.addPost(deps(), actorOf(request), id, threadId, fields.body ?? '');
          return reply.redirect(`${svc.threadPath(id, threadId)}?hinweis=geschrieben`, 303);
        } catch (err) {
          if (err instanceof AppError && err.status === 400)
            return threadPage(request, reply, id, threadId, shown(request, err), fields, 400);
          throw err;
        }
      },
    );

    const PostParams = Type.Object({ id: IdParam, thread: IdParam, post: IdParam });
    const postEditPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      at: { id: number; threadId: number; postId: number },
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
      status = 200,
    ) => {
      const v = await svc.postForEdit(d.db, actorOf(request), at.id, at.threadId, at.postId);
      return sendHtml(
        reply,
        renderPage(<PostEditPage ctx={pageContext(request)} v={v} values={values} errors={errors} />),
        status,
      );
    };
    app.get(
      `${P}/:id/themen/:thread/beitraege/:post/bearbeiten`,
      { ...user, schema: { params: PostParams } },
      (request, reply) =>
        postEditPage(request, reply, {
          id: positiveId(request.params.id),
          threadId: positiveId(request.params.thread),
          postId: positiveId(request.params.post),
        }),
    );
    app.post(
      `${P}/:id/themen/:thread/beitraege/:post/bearbeiten`,
      { ...user, schema: { params: PostParams } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const threadId = positiveId(request.params.thread);
        const postId = positiveId(request.params.post);
        const { fields } = await readBody(request);
        try {
          await svc.editPost(deps(), actorOf(request), id, threadId, postId, versionOf(fields), fields.body ?? '');
          return reply.redirect(`${svc.threadPath(id, threadId)}?hinweis=bearbeitet#post-${postId}`, 303);
        } catch (err) {
          if (err instanceof AppError && (err.status === 400 || err.status === 409))
            return postEditPage(request, reply, { id, threadId, postId }, shown(request, err), fields, err.status);
          throw err;
        }
      },
    );

    // ---- documents
    app.post(`${P}/:id/dokumente`, { ...upload, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (_f, file) => {
        await svc.upload(deps(), actorOf(request), id, file);
        return 'hochgeladen';
      });
    });
    app.post(`${P}/:id/dokumente/:doc/loeschen`, { ...user, schema: { params: DocParams } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const docId = positiveId(request.params.doc);
      return onGroup(request, reply, id, async () => {
        await svc.deleteDocument(deps(), actorOf(request), id, docId);
        return 'dokumentGeloescht';
      });
    });
    app.get(`${P}/:id/dokumente/:doc`, { ...user, schema: { params: DocParams } }, async (request, reply) => {
      const f = await svc.document(
        d.db,
        actorOf(request),
        positiveId(request.params.id),
        positiveId(request.params.doc),
      );
      return reply
        .header('content-type', f.mediaType)
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(f.bytes));
    });

    // ---- decisions
    app.post(`${P}/:id/beschluesse`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onGroup(request, reply, id, async (f) => {
        await svc.addDecision(deps(), actorOf(request), id, parseDecisionForm(f));
        return 'beschlossen';
      });
    });
    const decisionPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      decisionId: number,
      values: Record<string, string> | null,
      errors: ShownFieldError[] = [],
      status = 200,
    ) => {
      const { group, decision } = await svc.decisionOf(d.db, actorOf(request), id, decisionId);
      const vals = values ?? {
        decisionTitle: decision.title,
        decisionBody: decision.body,
        decidedOn: decision.decidedOn,
        version: String(decision.version),
      };
      return sendHtml(
        reply,
        renderPage(
          <DecisionPage
            ctx={pageContext(request)}
            group={group}
            decisionId={decisionId}
            values={vals}
            errors={errors}
          />,
        ),
        status,
      );
    };
    app.get(`${P}/:id/beschluesse/:decision`, { ...user, schema: { params: DecisionParams } }, async (request, reply) =>
      decisionPage(request, reply, positiveId(request.params.id), positiveId(request.params.decision), null),
    );
    app.post(
      `${P}/:id/beschluesse/:decision`,
      { ...user, schema: { params: DecisionParams } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const decisionId = positiveId(request.params.decision);
        const { fields } = await readBody(request);
        try {
          await svc.updateDecision(
            deps(),
            actorOf(request),
            id,
            decisionId,
            versionOf(fields),
            parseDecisionForm(fields),
          );
          return reply.redirect(`${svc.groupPath(id)}?hinweis=beschlossen`, 303);
        } catch (err) {
          if (err instanceof AppError && (err.status === 400 || err.status === 409))
            return decisionPage(request, reply, id, decisionId, fields, shown(request, err), err.status);
          throw err;
        }
      },
    );

    // ---- templates
    app.get(`${P}/:id/vorlagen/:kind`, { ...user, schema: { params: TemplateParams } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const kind = request.params.kind;
      if (!isTemplateKind(kind)) throw new NotFoundError(text('desk.groups.err.notFound'));
      const f = await svc.template({ db: d.db, now: d.clock }, actorOf(request), id, kind);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(f.bytes);
    });
  };
