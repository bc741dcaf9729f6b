/**
 * Pages of the knowledge part: an inquiry's FAQ entries (advisors draft from an answer, edit, publish, withdraw;
 * members consent or decline), the public FAQ with search and sector filter, and the centre's dashboard.
 * Plain forms (post-redirect-get), stale forms answer 409 with what was typed.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { loadModel, stateName } from '../../assessment/index.js';
import type { Actor } from '../../organisations/index.js';
import { AppError, type ShownFieldError } from '../../platform/errors.js';
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
import { formatDate } from '../../platform/i18n/i18n.js';
import type { ModuleDeps } from '../../platform/module.js';
import type { DeskSeams } from '../contract.js';
import { type ContextKind, contextHref, sectorName } from '../inquiries/index.js';
import { actorOf, deskPage, STATE_KEYS, shown, versionOf, when } from '../pages.js';
import * as svc from './knowledge.service.js';

const Page = deskPage(null);

const NOTICES = ['entwurf', 'gespeichert', 'zugestimmt', 'veroeffentlicht', 'zurueckgezogen'] as const;
type Notice = (typeof NOTICES)[number];
const Params = Type.Object({ id: IdParam });
export const FAQ_PATH = '/beratung/faq';
export const FIGURES_PATH = '/beratung/zahlen';

const deskCrumb = (ctx: PageContext) => ({ href: '/beratung', label: ctx.t('desk.inquiries.title') });
const faqCrumb = (ctx: PageContext) => ({ href: FAQ_PATH, label: ctx.t('desk.knowledge.faqTitle') });

function sectorOptions(ctx: PageContext, empty: string | null) {
  return [
    ...(empty === null ? [] : [{ value: '', label: empty }]),
    ...loadModel().sectors.map((s) => ({ value: s.id, label: sectorName(s.id, ctx.lang) })),
  ];
}

function ContextLink({ ctx, kind, target }: { ctx: PageContext; kind: ContextKind | null; target: string | null }) {
  if (!kind || !target) return null;
  const href = contextHref(kind, target);
  return (
    <p>
      {ctx.t(`desk.knowledge.context.${kind}`)}:{' '}
      {href ? (
        <a class="kern-link" href={href}>
          {target}
        </a>
      ) : (
        target
      )}
    </p>
  );
}

function Warning({ ctx }: { ctx: PageContext }) {
  return (
    <div class="kern-alert kern-alert--warning" role="note">
      <div class="kern-alert__body">
        <p>{ctx.t('desk.knowledge.identifying')}</p>
      </div>
    </div>
  );
}

function EntryFields(props: { ctx: PageContext; values: Record<string, string>; errors: readonly ShownFieldError[] }) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  return (
    <>
      <TextArea
        id="question"
        label={t('desk.knowledge.questionField')}
        value={values.question}
        maxLength={svc.LIMITS.question}
        rows={5}
        errors={errors}
      />
      <TextArea
        id="answer"
        label={t('desk.knowledge.answerField')}
        value={values.answer}
        maxLength={svc.LIMITS.answer}
        rows={10}
        errors={errors}
      />
      <Select
        id="sector"
        label={t('desk.knowledge.sector')}
        options={sectorOptions(ctx, null)}
        value={values.sector}
        errors={errors}
      />
    </>
  );
}

const consentText = (ctx: PageContext, e: svc.EntryView) =>
  e.consent === 'pending'
    ? ctx.t('desk.knowledge.consent.pending')
    : ctx.t(`desk.knowledge.consent.${e.consent}`, { at: e.consentAt ? when(ctx, e.consentAt) : '–' });

function InquiryKnowledgePage(props: {
  ctx: PageContext;
  v: svc.InquiryKnowledgeView;
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string> | null;
}) {
  const { ctx, v, errors } = props;
  const { t } = ctx;
  const inquiryUrl = `/beratung/anfragen/${v.inquiryId}`;
  const self = svc.inquiryFaqPath(v.inquiryId);
  const draft = props.values ?? (v.draft ? { ...v.draft, messageId: String(v.draft.messageId ?? '') } : {});
  return (
    <Page
      ctx={ctx}
      title={t('desk.knowledge.inquiryTitle')}
      notice={props.notice}
      crumbs={[
        deskCrumb(ctx),
        { href: inquiryUrl, label: v.subject ?? `#${v.inquiryId}` },
        { label: t('desk.knowledge.inquiryTitle') },
      ]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('desk.knowledge.inquiryLead')}</p>
      <p>
        <a class="kern-link" href={inquiryUrl}>
          {t('desk.knowledge.back')}
        </a>
      </p>
      <h2 class="kern-heading-medium">{t('desk.knowledge.entries')}</h2>
      {v.entries.length === 0 ? <p>{t('desk.knowledge.noEntries')}</p> : null}
      {v.entries.map((e) => (
        <section key={e.id} aria-labelledby={`entry-${e.id}`} class="faq-entry">
          <h3 class="kern-heading-small" id={`entry-${e.id}`}>
            {t('desk.knowledge.question')} #{e.id}
          </h3>
          <dl class="facts">
            <dt>{t('desk.knowledge.status')}</dt>
            <dd>{t(`desk.knowledge.status.${e.status}`)}</dd>
            <dt>{t('desk.knowledge.consent')}</dt>
            <dd>{consentText(ctx, e)}</dd>
            <dt>{t('desk.knowledge.sector')}</dt>
            <dd>{sectorName(e.sector, ctx.lang)}</dd>
          </dl>
          {e.identifying ? <Warning ctx={ctx} /> : null}
          <h4 class="kern-heading-small">{t('desk.knowledge.question')}</h4>
          <p class="prewrap">{e.question}</p>
          <h4 class="kern-heading-small">{t('desk.knowledge.answer')}</h4>
          <p class="prewrap">{e.answer}</p>
          {v.isMember ? (
            <>
              <p>{t('desk.knowledge.consentLead')}</p>
              <form method="post" action={`${FAQ_PATH}/${e.id}/zustimmung`} class="inline-form">
                <CsrfField ctx={ctx} />
                <input type="hidden" name="version" value={String(e.version)} />
                <input type="hidden" name="decision" value="ja" />
                <SubmitButton label={t('desk.knowledge.consentYes')} />
              </form>{' '}
              <form method="post" action={`${FAQ_PATH}/${e.id}/zustimmung`} class="inline-form">
                <CsrfField ctx={ctx} />
                <input type="hidden" name="version" value={String(e.version)} />
                <input type="hidden" name="decision" value="nein" />
                <SubmitButton secondary label={t('desk.knowledge.consentNo')} />
              </form>
            </>
          ) : null}
          {v.asAdvisor ? (
            <p>
              <a class="kern-link" href={`${FAQ_PATH}/${e.id}/bearbeiten`}>
                {t('desk.knowledge.edit')}
              </a>
              {e.status === 'published' ? (
                <>
                  {' · '}
                  <a class="kern-link" href={svc.faqPath(e.id)}>
                    {t('desk.knowledge.publicLink')}
                  </a>
                </>
              ) : null}
            </p>
          ) : null}
          {v.asAdvisor ? <PublishButtons ctx={ctx} e={e} /> : null}
        </section>
      ))}
      {v.asAdvisor ? (
        <section aria-labelledby="draft">
          <h2 class="kern-heading-medium" id="draft">
            {t('desk.knowledge.draftTitle')}
          </h2>
          {v.answers.length === 0 ? (
            <p>{t('desk.knowledge.noAnswers')}</p>
          ) : (
            <>
              {v.answers.length > 1 ? (
                <form method="get" action={self} class="form-narrow">
                  <Select
                    id="antwort"
                    label={t('desk.knowledge.fromAnswer')}
                    options={v.answers.map((a) => ({
                      value: String(a.id),
                      label: `${when(ctx, a.createdAt)}: ${a.preview}`,
                    }))}
                    value={String(v.draft?.messageId ?? '')}
                    errors={[]}
                  />
                  <SubmitButton secondary label={t('desk.knowledge.fromAnswerSubmit')} />
                </form>
              ) : null}
              <p>{t('desk.knowledge.draftLead')}</p>
              <form method="post" action={self} class="form-narrow" novalidate>
                <CsrfField ctx={ctx} />
                <input type="hidden" name="messageId" value={draft.messageId ?? ''} />
                <EntryFields ctx={ctx} values={draft} errors={errors} />
                <SubmitButton label={t('desk.knowledge.draftSubmit')} />
              </form>
            </>
          )}
        </section>
      ) : null}
    </Page>
  );
}

function PublishButtons({ ctx, e }: { ctx: PageContext; e: svc.EntryView }) {
  const { t } = ctx;
  if (e.status === 'published') {
    return (
      <form method="post" action={`${FAQ_PATH}/${e.id}/zurueckziehen`}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={String(e.version)} />
        <SubmitButton secondary label={t('desk.knowledge.withdraw')} />
      </form>
    );
  }
  if (e.consent !== 'given') return null;
  return (
    <form method="post" action={`${FAQ_PATH}/${e.id}/veroeffentlichen`}>
      <CsrfField ctx={ctx} />
      <input type="hidden" name="version" value={String(e.version)} />
      <SubmitButton label={t('desk.knowledge.publish')} />
    </form>
  );
}

function EditPage(props: {
  ctx: PageContext;
  e: svc.EntryView;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, e, errors } = props;
  const { t } = ctx;
  const back = e.inquiryId ? svc.inquiryFaqPath(e.inquiryId) : FAQ_PATH;
  return (
    <Page
      ctx={ctx}
      title={t('desk.knowledge.edit')}
      crumbs={[
        deskCrumb(ctx),
        { href: back, label: t('desk.knowledge.inquiryTitle') },
        { label: t('desk.knowledge.edit') },
      ]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <dl class="facts">
        <dt>{t('desk.knowledge.status')}</dt>
        <dd>{t(`desk.knowledge.status.${e.status}`)}</dd>
        <dt>{t('desk.knowledge.consent')}</dt>
        <dd>{consentText(ctx, e)}</dd>
      </dl>
      {e.identifying ? <Warning ctx={ctx} /> : null}
      <form method="post" action={`${FAQ_PATH}/${e.id}/bearbeiten`} class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={props.values.version ?? String(e.version)} />
        <p class="kern-hint">{t('desk.knowledge.saveHint')}</p>
        <EntryFields ctx={ctx} values={props.values} errors={errors} />
        <SubmitButton label={t('desk.knowledge.save')} />
      </form>
      <PublishButtons ctx={ctx} e={e} />
      <p>
        <a class="kern-link" href={back}>
          {t('desk.knowledge.back')}
        </a>
      </p>
    </Page>
  );
}

/** The FAQ list's address for a context (what the pages of questions, measures, projects and standards link to). */
export function faqContextPath(kind: ContextKind, ref: string): string {
  return `${FAQ_PATH}?${new URLSearchParams({ kontext: kind, ref })}`;
}

function FaqListPage(props: {
  ctx: PageContext;
  q: string;
  sector: string;
  context: { kind: ContextKind; ref: string } | null;
  page: number;
  result: svc.FaqResult;
}) {
  const { ctx, q, sector, context, page, result } = props;
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(result.total / svc.PAGE_SIZE));
  const within: Record<string, string> = context ? { kontext: context.kind, ref: context.ref } : {};
  const link = (p: number) => `${FAQ_PATH}?${new URLSearchParams({ q, sektor: sector, ...within, seite: String(p) })}`;
  return (
    <Page
      ctx={ctx}
      title={t('desk.knowledge.faqTitle')}
      docTitle={
        q || sector || page > 1
          ? [
              q ? t('desk.knowledge.searchFor', { q }) : '',
              sector,
              page > 1 ? String(page) : '',
              t('desk.knowledge.faqTitle'),
            ]
              .filter(Boolean)
              .join(' – ')
          : undefined
      }
      crumbs={[{ label: t('desk.knowledge.faqTitle') }]}
    >
      <p>{t('desk.knowledge.faqLead')}</p>
      {context ? (
        <div class="kern-alert kern-alert--info" role="note">
          <ContextLink ctx={ctx} kind={context.kind} target={context.ref} />
          <p>
            <a
              class="kern-link"
              href={`/beratung/neu?${new URLSearchParams({ kontext: context.kind, ref: context.ref })}`}
            >
              {t('desk.inquiries.ask')}
            </a>{' '}
            ·{' '}
            <a class="kern-link" href={FAQ_PATH}>
              {t('desk.knowledge.allAnswers')}
            </a>
          </p>
        </div>
      ) : null}
      <form method="get" action={FAQ_PATH} class="form-narrow" role="search">
        {context ? (
          <>
            <input type="hidden" name="kontext" value={context.kind} />
            <input type="hidden" name="ref" value={context.ref} />
          </>
        ) : null}
        <Field
          id="q"
          type="search"
          label={t('desk.knowledge.search')}
          hint={t('desk.knowledge.searchHint')}
          value={q}
          maxLength={200}
          errors={[]}
        />
        <Select
          id="sektor"
          label={t('desk.knowledge.sector')}
          options={sectorOptions(ctx, t('desk.knowledge.allSectors'))}
          value={sector}
          errors={[]}
        />
        <SubmitButton label={t('desk.knowledge.searchSubmit')} />
      </form>
      <p role="status">
        {result.corrected ? `${t('desk.knowledge.corrected', { q, corrected: result.corrected })} ` : null}
        {result.total ? t('desk.knowledge.results', { n: result.total }) : t('desk.knowledge.noResults')}
      </p>
      <ul class="faq-list">
        {result.rows.map((r) => (
          <li key={r.id}>
            <h2 class="kern-heading-small">
              <a class="kern-link" href={svc.faqPath(r.id)}>
                {firstLine(r.question)}
              </a>
            </h2>
            <p>
              {sectorName(r.sector, ctx.lang)} ·{' '}
              {t('desk.knowledge.published', { at: formatDate(ctx.lang, r.publishedAt) })}
            </p>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav aria-label={t('desk.knowledge.page', { page, pages })}>
          <p>
            {page > 1 ? (
              <a class="kern-link" href={link(page - 1)}>
                {t('desk.knowledge.prev')}
              </a>
            ) : null}{' '}
            {t('desk.knowledge.page', { page, pages })}{' '}
            {page < pages ? (
              <a class="kern-link" href={link(page + 1)}>
                {t('desk.knowledge.next')}
              </a>
            ) : null}
          </p>
        </nav>
      ) : null}
    </Page>
  );
}

/** The first line of a question, at most 160 characters (list entries, links). */
export const firstLine = (s: string) => {
  const line = s.split('\n')[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
};

function FaqEntryPage(props: { ctx: PageContext; r: svc.PublicFaqRow; editable: boolean }) {
  const { ctx, r } = props;
  const { t } = ctx;
  const title = firstLine(r.question);
  return (
    <Page ctx={ctx} title={title} crumbs={[faqCrumb(ctx), { label: title }]}>
      <p>
        {sectorName(r.sector, ctx.lang)} · {t('desk.knowledge.published', { at: formatDate(ctx.lang, r.publishedAt) })}
      </p>
      <ContextLink ctx={ctx} kind={r.contextKind} target={r.contextRef} />
      <h2 class="kern-heading-medium">{t('desk.knowledge.question')}</h2>
      <p class="prewrap">{r.question}</p>
      <h2 class="kern-heading-medium">{t('desk.knowledge.answer')}</h2>
      <p class="prewrap">{r.answer}</p>
      {props.editable ? (
        <p>
          <a class="kern-link" href={`${FAQ_PATH}/${r.id}/bearbeiten`}>
            {t('desk.knowledge.edit')}
          </a>
        </p>
      ) : null}
    </Page>
  );
}

const fmtHours = (ctx: PageContext, h: number | null) =>
  h === null ? ctx.t('desk.knowledge.none') : new Intl.NumberFormat(ctx.lang, { maximumFractionDigits: 1 }).format(h);

function Th({ children, row }: { children: ComponentChildren; row?: boolean }) {
  return (
    <th scope={row ? 'row' : 'col'} class="kern-table__header">
      {children}
    </th>
  );
}
const Td = ({ children }: { children: ComponentChildren }) => <td class="kern-table__cell">{children}</td>;

function FiguresPage({ ctx, f }: { ctx: PageContext; f: svc.Figures }) {
  const { t } = ctx;
  const sectors = loadModel().sectors.map((s) => s.id);
  const byLand = new Map<string, number>();
  const bySector = new Map<string, number>();
  for (const o of f.open) {
    byLand.set(o.stateKey, (byLand.get(o.stateKey) ?? 0) + o.n);
    bySector.set(o.sector, (bySector.get(o.sector) ?? 0) + o.n);
  }
  const openTotal = f.open.reduce((a, o) => a + o.n, 0);
  const topic = new Map(f.topics.map((x) => [`${x.month}|${x.sector}`, x.n]));
  const topicSectors = sectors.filter((s) => f.topics.some((x) => x.sector === s));
  const teamName = (id: number | null, name: string | null) =>
    name ?? (id === null ? t('desk.knowledge.noTeam') : `#${id}`);
  const teamNames = new Map(f.ratings.map((r) => [r.teamId, teamName(r.teamId, r.teamName)]));
  const d = f.durations;
  return (
    <Page
      ctx={ctx}
      title={t('desk.knowledge.figuresTitle')}
      crumbs={[deskCrumb(ctx), { label: t('desk.knowledge.figuresTitle') }]}
    >
      <p>{t('desk.knowledge.figuresLead')}</p>
      <form method="get" action={FIGURES_PATH} class="form-narrow">
        <Select
          id="land"
          label={t('desk.knowledge.land')}
          options={[
            { value: '', label: t('desk.knowledge.allLands') },
            ...STATE_KEYS.map((s) => ({ value: s, label: stateName(ctx.t, s) })),
          ]}
          value={f.filter.stateKey ?? ''}
          errors={[]}
        />
        <Select
          id="zeitraum"
          label={t('desk.knowledge.period')}
          options={svc.PERIODS.map((n) => ({ value: String(n), label: t('desk.knowledge.period.n', { n }) }))}
          value={String(f.filter.months)}
          errors={[]}
        />
        <SubmitButton secondary label={t('desk.knowledge.filter')} />
      </form>

      <h2 class="kern-heading-medium">{t('desk.knowledge.openTitle')}</h2>
      <div class="table-wrap">
        <table class="kern-table" id="open-by-land">
          <caption class="kern-table__caption">{t('desk.knowledge.openByLand')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <Th>{t('desk.knowledge.land')}</Th>
              <Th>{t('desk.knowledge.count')}</Th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {[...byLand.keys()].sort().map((k) => (
              <tr class="kern-table__row" key={k}>
                <Th row>{stateName(ctx.t, k)}</Th>
                <Td>{byLand.get(k)}</Td>
              </tr>
            ))}
            <tr class="kern-table__row">
              <Th row>{t('desk.knowledge.total')}</Th>
              <Td>{openTotal}</Td>
            </tr>
          </tbody>
        </table>
      </div>
      <div class="table-wrap">
        <table class="kern-table" id="open-by-sector">
          <caption class="kern-table__caption">{t('desk.knowledge.openBySector')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <Th>{t('desk.knowledge.sector')}</Th>
              <Th>{t('desk.knowledge.count')}</Th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {sectors
              .filter((s) => bySector.has(s))
              .map((s) => (
                <tr class="kern-table__row" key={s}>
                  <Th row>{sectorName(s, ctx.lang)}</Th>
                  <Td>{bySector.get(s)}</Td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>

      <h2 class="kern-heading-medium">{t('desk.knowledge.timesTitle')}</h2>
      <div class="table-wrap">
        <table class="kern-table" id="times">
          <caption class="kern-table__caption">
            {t('desk.knowledge.timesCaption', { from: formatDate(ctx.lang, f.from), to: formatDate(ctx.lang, f.to) })}
          </caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <Th>{t('desk.knowledge.measure')}</Th>
              <Th>{t('desk.knowledge.ofReceived', { n: d.received })}</Th>
              <Th>{t('desk.knowledge.median')}</Th>
              <Th>{t('desk.knowledge.p90')}</Th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            <tr class="kern-table__row">
              <Th row>{t('desk.knowledge.firstAnswer')}</Th>
              <Td>{d.answered}</Td>
              <Td>{fmtHours(ctx, d.firstMedian)}</Td>
              <Td>{fmtHours(ctx, d.firstP90)}</Td>
            </tr>
            <tr class="kern-table__row">
              <Th row>{t('desk.knowledge.toClose')}</Th>
              <Td>{d.closed}</Td>
              <Td>{fmtHours(ctx, d.closeMedian)}</Td>
              <Td>{fmtHours(ctx, d.closeP90)}</Td>
            </tr>
          </tbody>
        </table>
      </div>
      <p>{t('desk.knowledge.onTime', { n: d.onTime, of: d.answered })}</p>

      <h2 class="kern-heading-medium">{t('desk.knowledge.topicsTitle')}</h2>
      <div class="table-wrap">
        <table class="kern-table" id="topics">
          <caption class="kern-table__caption">{t('desk.knowledge.topicsCaption')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <Th>{t('desk.knowledge.month')}</Th>
              {topicSectors.map((s) => (
                <Th key={s}>{sectorName(s, ctx.lang)}</Th>
              ))}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {f.months.map((m) => (
              <tr class="kern-table__row" key={m}>
                <Th row>{m}</Th>
                {topicSectors.map((s) => (
                  <Td key={s}>{topic.get(`${m}|${s}`) ?? 0}</Td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 class="kern-heading-medium">{t('desk.knowledge.satisfactionTitle')}</h2>
      <div class="table-wrap">
        <table class="kern-table" id="satisfaction">
          <caption class="kern-table__caption">{t('desk.knowledge.satisfactionCaption')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <Th>{t('desk.knowledge.team')}</Th>
              <Th>{t('desk.knowledge.ratings')}</Th>
              <Th>{t('desk.knowledge.average')}</Th>
              {[1, 2, 3, 4, 5].map((n) => (
                <Th key={n}>{t('desk.knowledge.stars', { n })}</Th>
              ))}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {f.ratings.map((r) => (
              <tr class="kern-table__row" key={String(r.teamId)}>
                <Th row>{teamName(r.teamId, r.teamName)}</Th>
                <Td>{r.n}</Td>
                <Td>{new Intl.NumberFormat(ctx.lang, { maximumFractionDigits: 2 }).format(r.average)}</Td>
                <Td>{r.d1}</Td>
                <Td>{r.d2}</Td>
                <Td>{r.d3}</Td>
                <Td>{r.d4}</Td>
                <Td>{r.d5}</Td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 class="kern-heading-small">{t('desk.knowledge.commentsTitle')}</h3>
      {f.comments.length === 0 ? <p>{t('desk.knowledge.noComments')}</p> : null}
      <ul>
        {f.comments.map((c, i) => (
          <li key={i}>
            <p class="prewrap">{c.comment}</p>
            <p class="kern-hint">
              {t('desk.knowledge.commentMeta', {
                team: teamNames.get(c.teamId) ?? t('desk.knowledge.noTeam'),
                rating: c.rating,
                at: formatDate(ctx.lang, c.ratedAt),
              })}
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

/** The filter of /beratung/zahlen from its query (`land`, `zeitraum`): unknown values fall back to the defaults. */
export function figuresFilter(q: { land?: string; zeitraum?: string }): svc.FiguresFilter {
  const land = (q.land ?? '').trim();
  const months = Number(q.zeitraum);
  return {
    stateKey: STATE_KEYS.includes(land) ? land : null,
    months: (svc.PERIODS as readonly number[]).includes(months) ? (months as svc.Period) : 12,
  };
}

export const knowledgePages =
  (d: ModuleDeps, seams: DeskSeams): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const deps = (): svc.KnowledgeDeps => ({
      db: d.db,
      now: d.clock,
      notifier: seams.notifier,
      t: d.i18n.translator('de'),
    });
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };
    const noticeOf = (ctx: PageContext, raw: string | undefined) =>
      raw && (NOTICES as readonly string[]).includes(raw) ? ctx.t(`desk.knowledge.notice.${raw as Notice}`) : null;
    const fields = (request: FastifyRequest): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries((request.body ?? {}) as Record<string, unknown>)) {
        if (typeof v === 'string') out[k] = v.slice(0, 40_000);
      }
      return out;
    };
    const idOf = (v: string | undefined) => (/^\d{1,15}$/.test(v ?? '') ? Number(v) : null);

    // ---- an inquiry's entries
    const inquiryPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: ShownFieldError[] = [],
      values: Record<string, string> | null = null,
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const q = (request.query ?? {}) as { antwort?: string; hinweis?: string };
      const v = await svc.inquiryKnowledge(d.db, actorOf(request), id, idOf(q.antwort));
      return sendHtml(
        reply,
        renderPage(
          <InquiryKnowledgePage ctx={ctx} v={v} notice={noticeOf(ctx, q.hinweis)} errors={errors} values={values} />,
        ),
        status,
      );
    };
    app.get(
      '/beratung/anfragen/:id/faq',
      {
        ...user,
        schema: { params: Params, querystring: Query({ antwort: OptionalText(20), hinweis: OptionalText(40) }) },
      },
      async (request, reply) => inquiryPage(request, reply, positiveId(request.params.id)),
    );
    app.post('/beratung/anfragen/:id/faq', { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const f = fields(request);
      try {
        await svc.draftEntry(deps(), actorOf(request), id, f);
        return reply.redirect(`${svc.inquiryFaqPath(id)}?hinweis=entwurf`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409))
          return inquiryPage(request, reply, id, shown(request, err), f, err.status);
        throw err;
      }
    });

    // ---- one entry: edit, consent, publish, withdraw
    const backTo = async (entryId: number, notice: Notice) => {
      const e = await svc.entryInquiry(d.db, entryId);
      return e ? `${svc.inquiryFaqPath(e)}?hinweis=${notice}` : `${FAQ_PATH}?hinweis=${notice}`;
    };
    const editPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: ShownFieldError[] = [],
      values: Record<string, string> | null = null,
      status = 200,
    ) => {
      const e = await svc.entryForEdit(d.db, actorOf(request), id);
      const vals = values ?? { question: e.question, answer: e.answer, sector: e.sector };
      return sendHtml(
        reply,
        renderPage(<EditPage ctx={pageContext(request)} e={e} values={vals} errors={errors} />),
        status,
      );
    };
    app.get(`${FAQ_PATH}/:id/bearbeiten`, { ...user, schema: { params: Params } }, async (request, reply) =>
      editPage(request, reply, positiveId(request.params.id)),
    );
    app.post(`${FAQ_PATH}/:id/bearbeiten`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const f = fields(request);
      try {
        await svc.editEntry(deps(), actorOf(request), id, versionOf(f), f);
        return reply.redirect(await backTo(id, 'gespeichert'), 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          // a stale form shows the current version with what was typed
          const { version: _v, ...typed } = f;
          return editPage(request, reply, id, shown(request, err), typed, err.status);
        }
        throw err;
      }
    });
    const entryAction = (path: string, run: (actor: Actor, id: number, f: Record<string, string>) => Promise<Notice>) =>
      app.post(`${FAQ_PATH}/:id/${path}`, { ...user, schema: { params: Params } }, async (request, reply) => {
        const id = positiveId(request.params.id);
        const f = fields(request);
        try {
          const notice = await run(actorOf(request), id, f);
          return reply.redirect(await backTo(id, notice), 303);
        } catch (err) {
          if (err instanceof AppError && err.status === 409) {
            const inquiryId = await svc.entryInquiry(d.db, id);
            if (inquiryId) return inquiryPage(request, reply, inquiryId, shown(request, err), null, 409);
          }
          throw err;
        }
      });
    entryAction('zustimmung', async (actor, id, f) => {
      await svc.decideConsent(deps(), actor, id, versionOf(f), f.decision === 'ja');
      return 'zugestimmt';
    });
    entryAction('veroeffentlichen', async (actor, id, f) => {
      await svc.setPublished(deps(), actor, id, versionOf(f), true);
      return 'veroeffentlicht';
    });
    entryAction('zurueckziehen', async (actor, id, f) => {
      await svc.setPublished(deps(), actor, id, versionOf(f), false);
      return 'zurueckgezogen';
    });

    // ---- public FAQ
    app.get(
      FAQ_PATH,
      {
        ...pub,
        schema: {
          querystring: Query({
            q: OptionalText(200),
            sektor: OptionalText(60),
            kontext: OptionalText(20),
            ref: OptionalText(400),
            seite: OptionalText(6),
            hinweis: OptionalText(40),
          }),
        },
      },
      async (request, reply) => {
        const q = (request.query.q ?? '').trim();
        const sector = (request.query.sektor ?? '').trim();
        const context = svc.faqContext(request.query.kontext, request.query.ref);
        const page = Math.min(Math.max(Number.parseInt(request.query.seite ?? '1', 10) || 1, 1), 1000);
        const result = await svc.searchFaq(d.db, { q, sector: sector || null, context, page });
        return sendHtml(
          reply,
          renderPage(
            <FaqListPage
              ctx={pageContext(request)}
              q={q}
              sector={sector}
              context={context}
              page={page}
              result={result}
            />,
          ),
        );
      },
    );
    app.get(`${FAQ_PATH}/:id`, { ...pub, schema: { params: Params } }, async (request, reply) => {
      const r = await svc.publicEntry(d.db, positiveId(request.params.id));
      const editable = await svc.mayEdit(d.db, request.auth?.user ?? null, r);
      return sendHtml(reply, renderPage(<FaqEntryPage ctx={pageContext(request)} r={r} editable={editable} />));
    });

    // ---- the centre's figures
    app.get(
      FIGURES_PATH,
      { ...user, schema: { querystring: Query({ land: OptionalText(2), zeitraum: OptionalText(2) }) } },
      async (request, reply) => {
        const f = await svc.dashboard(deps(), actorOf(request), figuresFilter(request.query));
        return sendHtml(reply, renderPage(<FiguresPage ctx={pageContext(request)} f={f} />));
      },
    );
  };
