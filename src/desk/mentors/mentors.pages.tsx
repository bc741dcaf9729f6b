/**
 * Pages of the peer mentors: one's workspaces' offers and mentorings, the search for mentors of a measure (in
 * matching order), the offer form, an offer (its workspace edits, pauses or withdraws it; others request a
 * mentoring), and a mentoring (accept or decline, complete or cancel; contact details after acceptance). Every
 * change is a plain form (post-redirect-get); stale forms answer 409 and show the form again with what was typed.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, fieldError, type ShownFieldError, ValidationError } from '../../platform/errors.js';
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
import { formatDate, formatNumber } from '../../platform/i18n/i18n.js';
import type { ModuleDeps } from '../../platform/module.js';
import { loadMeasures } from '../../strategy/index.js';
import type { DeskSeams } from '../contract.js';
import { actorOf, deskPage, idOf, shown, versionOf } from '../pages.js';
import * as svc from './mentors.service.js';
import { LIMITS, type MentoringStatus, OFFER_STATUSES, parseOfferForm, parseSubject } from './model.js';

const Page = deskPage('desk.mentors.title');

const P = svc.MENTORS_PATH;
const NOTICES = ['angeboten', 'gespeichert', 'zurueckgezogen', 'angefragt', 'entschieden', 'abgeschlossen'] as const;
type Notice = (typeof NOTICES)[number];
const Params = Type.Object({ id: IdParam });

/** The form's fields as strings (first value of a repeated field). */
function fieldsOf(request: FastifyRequest): Record<string, string> {
  const raw = (request.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string') out[k] = s.slice(0, 10_000);
  }
  return out;
}

const mentorsCrumb = (ctx: PageContext) => ({ href: P, label: ctx.t('desk.mentors.title') });
const date = (ctx: PageContext, d: Date) => formatDate(ctx.lang, d);
const hours = (ctx: PageContext, h: number | null) =>
  h === null ? ctx.t('desk.mentors.hoursOpen') : ctx.t('desk.mentors.hoursValue', { hours: h });
const person = (c: svc.Contact) => (c.name ? `${c.name} <${c.email}>` : c.email);

function measureOptions(ctx: PageContext) {
  return [
    { value: '', label: ctx.t('desk.mentors.chooseMeasure') },
    ...loadMeasures()
      .measures.map((m) => ({ value: m.id, label: m.title[ctx.lang] }))
      .sort((a, b) => a.label.localeCompare(b.label, 'de')),
  ];
}

/** The form that leads to the search (GET, works without JavaScript). */
function SearchForm({ ctx, measure, org }: { ctx: PageContext; measure?: string; org?: number }) {
  return (
    <form method="get" action={`${P}/suche`} class="form-narrow">
      {org ? <input type="hidden" name="org" value={String(org)} /> : null}
      <Select
        id="massnahme"
        label={ctx.t('desk.mentors.measure')}
        options={measureOptions(ctx)}
        value={measure}
        errors={[]}
      />
      <SubmitButton label={ctx.t('desk.mentors.search')} secondary />
    </form>
  );
}

function MentoringTable(props: {
  ctx: PageContext;
  rows: readonly svc.MentoringRow[];
  titles: Map<string, string>;
  caption: string;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <div class="table-wrap">
      <table class="kern-table">
        <caption class="kern-table__caption">{props.caption}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header">
              {t('desk.mentors.subject')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('desk.mentors.mentor')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('desk.mentors.mentee')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('desk.mentors.statusLabel')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('desk.mentors.requestedOn')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {props.rows.map((m) => (
            <tr class="kern-table__row" key={m.id}>
              <td class="kern-table__cell">
                <a class="kern-link" href={svc.mentoringPath(m.id)}>
                  {props.titles.get(`${m.subjectKind}:${m.subjectRef}`) ?? m.subjectRef}
                </a>
              </td>
              <td class="kern-table__cell">{m.mentorName}</td>
              <td class="kern-table__cell">{m.menteeName}</td>
              <td class="kern-table__cell">{t(`desk.mentors.state.${m.status}`)}</td>
              <td class="kern-table__cell">{date(ctx, m.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OffersList(props: { ctx: PageContext; offers: readonly svc.OfferRow[]; titles: Map<string, string> }) {
  const { ctx } = props;
  return (
    <ul>
      {props.offers.map((o) => (
        <li key={o.id}>
          <a class="kern-link" href={svc.offerPath(o.id)}>
            {props.titles.get(`${o.subjectKind}:${o.subjectRef}`) ?? o.subjectRef}
          </a>{' '}
          ({o.orgName}, {ctx.t(`desk.mentors.offerState.${o.status}`)}, {hours(ctx, o.hoursPerMonth)})
        </li>
      ))}
    </ul>
  );
}

function OverviewPage({ ctx, v, notice }: { ctx: PageContext; v: svc.OverviewView; notice: string | null }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('desk.mentors.title')} notice={notice}>
      <p>{t('desk.mentors.lead')}</p>
      {v.workspaces.length ? (
        <p>
          <a class="kern-btn kern-btn--primary" href={`${P}/angebote/neu`}>
            <span class="kern-label">{t('desk.mentors.offerNew')}</span>
          </a>
        </p>
      ) : (
        <p>{t('desk.mentors.noWorkspace')}</p>
      )}
      <h2 class="kern-heading-medium">{t('desk.mentors.searchTitle')}</h2>
      <SearchForm ctx={ctx} />
      <h2 class="kern-heading-medium">{t('desk.mentors.ownOffers')}</h2>
      {v.offers.length === 0 ? (
        <p>{t('desk.mentors.noOffers')}</p>
      ) : (
        <OffersList ctx={ctx} offers={v.offers} titles={v.titles} />
      )}
      <h2 class="kern-heading-medium">{t('desk.mentors.ownMentorings')}</h2>
      {v.mentorings.length === 0 ? (
        <p>{t('desk.mentors.noMentorings')}</p>
      ) : (
        <MentoringTable ctx={ctx} rows={v.mentorings} titles={v.titles} caption={t('desk.mentors.ownMentorings')} />
      )}
    </Page>
  );
}

function tierLabel(ctx: PageContext, tier: 0 | 1 | 2) {
  return ctx.t(`desk.mentors.tier.${tier}`);
}

function SearchPage({ ctx, v }: { ctx: PageContext; v: svc.MatchView }) {
  const { t, lang } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.mentors.searchFor', { measure: v.title })}
      crumbs={[mentorsCrumb(ctx), { label: t('desk.mentors.searchTitle') }]}
    >
      {v.workspaces.length > 1 ? (
        <form method="get" action={`${P}/suche`} class="form-narrow">
          <input type="hidden" name="massnahme" value={v.measureId} />
          <Select
            id="org"
            label={t('desk.mentors.forWorkspace')}
            options={v.workspaces.map((w) => ({ value: String(w.id), label: w.name }))}
            value={String(v.viewer?.id ?? '')}
            errors={[]}
          />
          <SubmitButton label={t('desk.mentors.show')} secondary />
        </form>
      ) : null}
      <p>{v.viewer ? t('desk.mentors.orderExplained', { name: v.viewer.name }) : t('desk.mentors.orderNoWorkspace')}</p>
      {v.viewer && !v.distances ? (
        <div class="kern-alert kern-alert--info" role="status">
          <div class="kern-alert__body">
            <p>{t('desk.mentors.noDistances')}</p>
          </div>
        </div>
      ) : null}
      {v.ranked.length === 0 ? (
        <p>{t('desk.mentors.noneFound')}</p>
      ) : (
        <div class="table-wrap">
          <table class="kern-table">
            <caption class="kern-table__caption">{t('desk.mentors.resultsCaption', { measure: v.title })}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">
                  {t('desk.mentors.municipality')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.mentors.subject')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.mentors.similarity')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.mentors.distance')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.mentors.hours')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {v.ranked.map((r) => (
                <tr class="kern-table__row" key={r.candidate.id}>
                  <th scope="row" class="kern-table__header">
                    <a class="kern-link" href={svc.offerPath(r.candidate.offer.id)}>
                      {r.candidate.name}
                    </a>
                  </th>
                  <td class="kern-table__cell">{r.candidate.subjectTitle}</td>
                  <td class="kern-table__cell">{tierLabel(ctx, r.tier)}</td>
                  <td class="kern-table__cell">
                    {r.distanceKm === null
                      ? t('desk.mentors.distanceUnknown')
                      : `${formatNumber(lang, Math.round(r.distanceKm))} km`}
                  </td>
                  <td class="kern-table__cell">{hours(ctx, r.candidate.offer.hoursPerMonth)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 class="kern-heading-medium">{t('desk.mentors.otherMeasure')}</h2>
      <SearchForm ctx={ctx} measure={v.measureId} org={v.viewer?.id} />
    </Page>
  );
}

function OfferFields(props: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
  members: readonly { id: number; email: string; name: string | null }[];
}) {
  const { ctx, values: v, errors } = props;
  const { t } = ctx;
  return (
    <>
      <Select
        id="contact"
        label={t('desk.mentors.contact')}
        hint={t('desk.mentors.contactHint')}
        options={props.members.map((m) => ({
          value: String(m.id),
          label: m.name ? `${m.name} (${m.email})` : m.email,
        }))}
        value={v.contact}
        errors={errors}
      />
      <Field
        id="hours"
        label={t('desk.mentors.hours')}
        hint={t('desk.mentors.hoursHint', { max: LIMITS.hours })}
        inputmode="numeric"
        maxLength={3}
        value={v.hours}
        errors={errors}
      />
      <TextArea
        id="note"
        label={t('desk.mentors.note')}
        hint={t('desk.mentors.noteHint')}
        maxLength={LIMITS.note}
        value={v.note}
        errors={errors}
      />
      <Select
        id="status"
        label={t('desk.mentors.offerStatus')}
        options={OFFER_STATUSES.map((s) => ({ value: s, label: t(`desk.mentors.offerState.${s}`) }))}
        value={v.status || 'active'}
        errors={errors}
      />
    </>
  );
}

function OfferFormPage(props: {
  ctx: PageContext;
  v: svc.OfferFormView;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, v, values, errors } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.mentors.offerNew')}
      crumbs={[mentorsCrumb(ctx), { label: t('desk.mentors.offerNew') }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('desk.mentors.offerLead')}</p>
      {v.workspaces.length > 1 ? (
        <form method="get" action={`${P}/angebote/neu`} class="form-narrow">
          <Select
            id="org-choice"
            name="org"
            label={t('desk.mentors.workspace')}
            options={v.workspaces.map((w) => ({ value: String(w.id), label: w.name }))}
            value={String(v.org.id)}
            errors={[]}
          />
          <SubmitButton label={t('desk.mentors.show')} secondary />
        </form>
      ) : null}
      {v.subjects.length === 0 ? (
        <p>{t('desk.mentors.nothingToOffer', { name: v.org.name })}</p>
      ) : (
        <form method="post" action={`${P}/angebote/neu`} class="form-narrow" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="org" value={String(v.org.id)} />
          <p>{t('desk.mentors.offerFor', { name: v.org.name })}</p>
          <Select
            id="subject"
            label={t('desk.mentors.subject')}
            options={v.subjects.map((s) => ({
              value: `${s.kind}:${s.ref}`,
              label: s.title,
              group: t(s.kind === 'measure' ? 'desk.mentors.doneMeasures' : 'desk.mentors.practices'),
            }))}
            value={values.subject}
            errors={errors}
          />
          <OfferFields
            ctx={ctx}
            values={{ contact: String(v.members.find((m) => m.email === ctx.user?.email)?.id ?? ''), ...values }}
            errors={errors}
            members={v.members}
          />
          <SubmitButton label={t('desk.mentors.offerSubmit')} />
        </form>
      )}
    </Page>
  );
}

function OfferPage(props: {
  ctx: PageContext;
  v: svc.OfferView;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
  notice: string | null;
}) {
  const { ctx, v, errors } = props;
  const { t } = ctx;
  const o = v.offer;
  const values = {
    contact: String(o.contactUserId ?? ''),
    hours: o.hoursPerMonth === null ? '' : String(o.hoursPerMonth),
    note: o.note,
    status: o.status,
    ...props.values,
  };
  const open = v.mentorings.filter((m) => m.status === 'requested' || m.status === 'accepted');
  return (
    <Page
      ctx={ctx}
      title={t('desk.mentors.offerTitle', { subject: v.title, name: o.orgName })}
      crumbs={[mentorsCrumb(ctx), { label: v.title }]}
      notice={props.notice}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <dl class="facts">
        <dt>{t('desk.mentors.municipality')}</dt>
        <dd>{o.orgName}</dd>
        <dt>{t(o.subjectKind === 'measure' ? 'desk.mentors.kind.measure' : 'desk.mentors.kind.practice')}</dt>
        <dd>
          {o.subjectKind === 'practice' ? (
            <a class="kern-link" href={`/praxis/${o.subjectRef}`}>
              {v.title}
            </a>
          ) : (
            v.title
          )}
        </dd>
        <dt>{t('desk.mentors.hours')}</dt>
        <dd>{hours(ctx, o.hoursPerMonth)}</dd>
        {o.note ? (
          <>
            <dt>{t('desk.mentors.note')}</dt>
            <dd>{o.note}</dd>
          </>
        ) : null}
        <dt>{t('desk.mentors.offerStatus')}</dt>
        <dd>{t(`desk.mentors.offerState.${o.status}`)}</dd>
      </dl>
      {v.mentorings.length ? (
        <MentoringTable
          ctx={ctx}
          rows={v.mentorings}
          titles={new Map([[`${o.subjectKind}:${o.subjectRef}`, v.title]])}
          caption={t('desk.mentors.ownMentorings')}
        />
      ) : null}
      {v.own ? (
        <>
          <h2 class="kern-heading-medium">{t('desk.mentors.editOffer')}</h2>
          <form method="post" action={svc.offerPath(o.id)} class="form-narrow" novalidate>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="version" value={String(o.version)} />
            <OfferFields ctx={ctx} values={values} errors={errors} members={v.members} />
            <SubmitButton label={t('desk.mentors.save')} />
          </form>
          <h2 class="kern-heading-medium">{t('desk.mentors.withdraw')}</h2>
          <p>{t('desk.mentors.withdrawHint')}</p>
          <form method="post" action={`${svc.offerPath(o.id)}/zurueckziehen`}>
            <CsrfField ctx={ctx} />
            <SubmitButton label={t('desk.mentors.withdraw')} secondary />
          </form>
        </>
      ) : v.requesters.length === 0 ? (
        <p>{t('desk.mentors.requestNoWorkspace')}</p>
      ) : open.length > 0 ? (
        <p>{t('desk.mentors.alreadyOpen')}</p>
      ) : (
        <>
          <h2 class="kern-heading-medium">{t('desk.mentors.request')}</h2>
          <p>{t('desk.mentors.requestLead')}</p>
          <form method="post" action={`${svc.offerPath(o.id)}/anfragen`} class="form-narrow" novalidate>
            <CsrfField ctx={ctx} />
            {v.requesters.length > 1 ? (
              <Select
                id="org"
                label={t('desk.mentors.workspace')}
                options={v.requesters.map((w) => ({ value: String(w.id), label: w.name }))}
                value={props.values.org}
                errors={errors}
              />
            ) : (
              <input type="hidden" name="org" value={String(v.requesters[0]!.id)} />
            )}
            <TextArea
              id="message"
              label={t('desk.mentors.message')}
              hint={t('desk.mentors.messageHint')}
              maxLength={LIMITS.message}
              value={props.values.message}
              errors={errors}
            />
            <SubmitButton label={t('desk.mentors.requestSubmit')} />
          </form>
        </>
      )}
    </Page>
  );
}

function MentoringPage(props: {
  ctx: PageContext;
  v: svc.MentoringView;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
  notice: string | null;
}) {
  const { ctx, v, errors } = props;
  const { t } = ctx;
  const m = v.row;
  const closable: MentoringStatus[] =
    m.status === 'accepted' ? ['completed', 'cancelled'] : m.status === 'requested' && v.asMentee ? ['cancelled'] : [];
  return (
    <Page
      ctx={ctx}
      title={t('desk.mentors.mentoringTitle', { subject: v.title })}
      crumbs={[mentorsCrumb(ctx), { label: v.title }]}
      notice={props.notice}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <dl class="facts">
        <dt>{t('desk.mentors.mentor')}</dt>
        <dd>{m.mentorName}</dd>
        <dt>{t('desk.mentors.mentee')}</dt>
        <dd>{m.menteeName}</dd>
        <dt>{t('desk.mentors.statusLabel')}</dt>
        <dd>{t(`desk.mentors.state.${m.status}`)}</dd>
        <dt>{t('desk.mentors.requestedOn')}</dt>
        <dd>{date(ctx, m.createdAt)}</dd>
      </dl>
      <h2 class="kern-heading-medium">{t('desk.mentors.message')}</h2>
      <p class="prewrap">{m.message}</p>
      {m.reply ? (
        <>
          <h2 class="kern-heading-medium">{t('desk.mentors.reply')}</h2>
          <p class="prewrap">{m.reply}</p>
        </>
      ) : null}
      <h2 class="kern-heading-medium">{t('desk.mentors.contacts')}</h2>
      {v.mentorContact || v.menteeContact ? (
        <dl class="facts">
          <dt>{t('desk.mentors.mentorContact')}</dt>
          <dd>{v.mentorContact ? person(v.mentorContact) : t('desk.mentors.contactGone')}</dd>
          <dt>{t('desk.mentors.menteeContact')}</dt>
          <dd>{v.menteeContact ? person(v.menteeContact) : t('desk.mentors.contactGone')}</dd>
        </dl>
      ) : (
        <p>{t('desk.mentors.contactsAfterAcceptance')}</p>
      )}
      {v.asMentor && m.status === 'requested' ? (
        <>
          <h2 class="kern-heading-medium">{t('desk.mentors.decide')}</h2>
          <form method="post" action={`${svc.mentoringPath(m.id)}/entscheidung`} class="form-narrow" novalidate>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="version" value={String(m.version)} />
            <TextArea
              id="reply"
              label={t('desk.mentors.replyOptional')}
              maxLength={LIMITS.reply}
              value={props.values.reply}
              errors={errors}
            />
            <div class="button-row">
              <button class="kern-btn kern-btn--primary" type="submit" name="decision" value="accept">
                <span class="kern-label">{t('desk.mentors.accept')}</span>
              </button>{' '}
              <button class="kern-btn kern-btn--secondary" type="submit" name="decision" value="decline">
                <span class="kern-label">{t('desk.mentors.decline')}</span>
              </button>
            </div>
          </form>
        </>
      ) : null}
      {closable.length ? (
        <>
          <h2 class="kern-heading-medium">{t('desk.mentors.close')}</h2>
          <form method="post" action={`${svc.mentoringPath(m.id)}/abschluss`}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="version" value={String(m.version)} />
            <div class="button-row">
              {closable.map((to) => (
                <button
                  key={to}
                  class={`kern-btn ${to === 'completed' ? 'kern-btn--primary' : 'kern-btn--secondary'}`}
                  type="submit"
                  name="to"
                  value={to}
                >
                  <span class="kern-label">{t(`desk.mentors.to.${to as 'completed' | 'cancelled'}`)}</span>
                </button>
              ))}
            </div>
          </form>
        </>
      ) : null}
    </Page>
  );
}

export const mentorPages =
  (d: ModuleDeps, seams: DeskSeams): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const deps = (): svc.MentorDeps => ({
      db: d.db,
      now: d.clock,
      notifier: seams.notifier,
      t: d.i18n.translator('de'),
    });
    const user = { config: { access: 'user' as const } };
    const noticeOf = (ctx: PageContext, raw: string | undefined) =>
      raw && (NOTICES as readonly string[]).includes(raw) ? ctx.t(`desk.mentors.notice.${raw as Notice}`) : null;
    const hinweis = (request: FastifyRequest) => (request.query as { hinweis?: string } | undefined)?.hinweis;
    const Hinweis = { querystring: Query({ hinweis: OptionalText(40) }) };

    app.get(P, { ...user, schema: Hinweis }, async (request, reply) => {
      const ctx = pageContext(request);
      const v = await svc.overview(d.db, actorOf(request), ctx.lang);
      return sendHtml(
        reply,
        renderPage(<OverviewPage ctx={ctx} v={v} notice={noticeOf(ctx, request.query.hinweis)} />),
      );
    });

    app.get(
      `${P}/suche`,
      { ...user, schema: { querystring: Query({ massnahme: OptionalText(200), org: OptionalText(20) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const measure = request.query.massnahme ?? '';
        if (measure === '') return reply.redirect(P, 303);
        const v = await svc.matchingMentors(d.db, actorOf(request), measure, idOf(request.query.org), ctx.lang);
        return sendHtml(reply, renderPage(<SearchPage ctx={ctx} v={v} />));
      },
    );

    // ---- offering
    const offerFormPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      orgId: number,
      values: Record<string, string> = {},
      errors: ShownFieldError[] = [],
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await svc.offerForm(d.db, actorOf(request), orgId, ctx.lang);
      return sendHtml(reply, renderPage(<OfferFormPage ctx={ctx} v={v} values={values} errors={errors} />), status);
    };
    app.get(
      `${P}/angebote/neu`,
      { ...user, schema: { querystring: Query({ org: OptionalText(20) }) } },
      async (request, reply) => offerFormPage(request, reply, idOf(request.query.org)),
    );
    app.post(`${P}/angebote/neu`, user, async (request, reply) => {
      const f = fieldsOf(request);
      try {
        const input = parseOfferForm(f);
        const id = await svc.createOffer(deps(), actorOf(request), idOf(f.org), parseSubject(f.subject), input);
        return reply.redirect(`${svc.offerPath(id)}?hinweis=angeboten`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409))
          return offerFormPage(request, reply, idOf(f.org), f, shown(request, err), err.status);
        throw err;
      }
    });

    // ---- one offer
    const offerPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      values: Record<string, string> = {},
      errors: ShownFieldError[] = [],
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await svc.offerView(d.db, actorOf(request), id, ctx.lang);
      return sendHtml(
        reply,
        renderPage(
          <OfferPage ctx={ctx} v={v} values={values} errors={errors} notice={noticeOf(ctx, hinweis(request))} />,
        ),
        status,
      );
    };
    const onForm = async (
      request: FastifyRequest,
      reply: FastifyReply,
      again: (values: Record<string, string>, errors: ShownFieldError[], status: number) => Promise<unknown>,
      run: (f: Record<string, string>) => Promise<string>,
    ) => {
      const f = fieldsOf(request);
      try {
        return reply.redirect(await run(f), 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409))
          return again(f, shown(request, err), err.status);
        throw err;
      }
    };
    app.get(`${P}/angebote/:id`, { ...user, schema: { params: Params, ...Hinweis } }, async (request, reply) =>
      offerPage(request, reply, positiveId(request.params.id)),
    );
    app.post(`${P}/angebote/:id`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onForm(
        request,
        reply,
        (v, e, s) => offerPage(request, reply, id, v, e, s),
        async (f) => {
          await svc.updateOffer(deps(), actorOf(request), id, versionOf(f), parseOfferForm(f));
          return `${svc.offerPath(id)}?hinweis=gespeichert`;
        },
      );
    });
    app.post(`${P}/angebote/:id/zurueckziehen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onForm(
        request,
        reply,
        (v, e, s) => offerPage(request, reply, id, v, e, s),
        async () => {
          await svc.withdrawOffer(deps(), actorOf(request), id);
          return `${P}?hinweis=zurueckgezogen`;
        },
      );
    });
    app.post(`${P}/angebote/:id/anfragen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onForm(
        request,
        reply,
        (v, e, s) => offerPage(request, reply, id, v, e, s),
        async (f) => {
          const mid = await svc.requestMentoring(deps(), actorOf(request), id, idOf(f.org), f.message ?? '');
          return `${svc.mentoringPath(mid)}?hinweis=angefragt`;
        },
      );
    });

    // ---- one mentoring
    const mentoringPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      values: Record<string, string> = {},
      errors: ShownFieldError[] = [],
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await svc.mentoringView(d.db, actorOf(request), id, ctx.lang);
      return sendHtml(
        reply,
        renderPage(
          <MentoringPage ctx={ctx} v={v} values={values} errors={errors} notice={noticeOf(ctx, hinweis(request))} />,
        ),
        status,
      );
    };
    app.get(`${P}/anfragen/:id`, { ...user, schema: { params: Params, ...Hinweis } }, async (request, reply) =>
      mentoringPage(request, reply, positiveId(request.params.id)),
    );
    app.post(`${P}/anfragen/:id/entscheidung`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onForm(
        request,
        reply,
        (v, e, s) => mentoringPage(request, reply, id, v, e, s),
        async (f) => {
          if (f.decision !== 'accept' && f.decision !== 'decline')
            throw new ValidationError([fieldError('reply', 'desk.mentors.err.decision')]);
          await svc.decide(deps(), actorOf(request), id, versionOf(f), f.decision === 'accept', f.reply ?? '');
          return `${svc.mentoringPath(id)}?hinweis=entschieden`;
        },
      );
    });
    app.post(`${P}/anfragen/:id/abschluss`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onForm(
        request,
        reply,
        (v, e, s) => mentoringPage(request, reply, id, v, e, s),
        async (f) => {
          await svc.closeMentoring(deps(), actorOf(request), id, versionOf(f), (f.to ?? '') as MentoringStatus);
          return `${svc.mentoringPath(id)}?hinweis=abgeschlossen`;
        },
      );
    });
  };
