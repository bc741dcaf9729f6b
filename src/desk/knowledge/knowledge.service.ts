/**
 * Knowledge from answers (issue 12): an advisor of an inquiry drafts a public FAQ entry from an answer, prefilled by
 * the anonymiser and edited by hand; a member of the inquiry's workspace consents to exactly that text (or
 * declines); only then may an advisor publish it. Any change of the text asks for consent again. Public FAQ pages
 * never show the municipality or people. Also the centre's figures: open inquiries per Land and sector, times to
 * the first answer and to closing (median, 90th percentile, in hours), topics per month, satisfaction per team.
 */

import { loadModel } from '../../assessment/index.js';
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { ConflictError, fieldError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { type Translate, text } from '../../platform/i18n/i18n.js';
import {
  anyOf,
  authorize,
  can,
  defineActions,
  memberOf,
  platformAdmin,
  type Resource,
  type Rule,
} from '../../platform/policy.js';
import type { Notifier } from '../contract.js';
import {
  advisesInquiry,
  CONTEXT_KINDS,
  type ContextKind,
  type InquiryRow,
  inquiryForFaq,
  type MessageRow,
} from '../inquiries/index.js';
import { atBerlinWallClock } from '../sla/clock.js';
import { type AnonymiseContext, anonymise, stillIdentifying } from './anonymise.js';
import * as repo from './knowledge.repository.js';
import { correctQuery, documentTerms, queryWords, spelledIn, toTsQuery } from './search.js';

export type { FaqRow, PublicFaqRow } from './knowledge.repository.js';

/** An FAQ entry as rules see it: the inquiry's workspace, and whether the actor advises the inquiry. */
interface FaqResource extends Resource {
  advises?: boolean;
  /** For the figures: the principal is in some desk team. */
  inSomeTeam?: boolean;
}
const advises: Rule = (_p, r) => (r as FaqResource).advises === true;
const deskAdvisor: Rule = (p, r) => p.advisorScopes.length > 0 || (r as FaqResource).inSomeTeam === true;

export const KNOWLEDGE_ACTIONS = defineActions({
  /** Draft, edit, publish and withdraw an FAQ entry: the inquiry's advisors. */
  'faq.edit': { rule: advises, denied: text('desk.knowledge.err.advisorsOnly') },
  /** Consent to (or decline) the publication: a member of the inquiry's workspace. */
  'faq.consent': { rule: memberOf, denied: text('desk.knowledge.err.membersOnly') },
  /** The centre's figures: its advisors (an advisor scope or a desk team) and platform admins. */
  'desk.figures': { rule: anyOf(deskAdvisor, platformAdmin), denied: text('desk.knowledge.err.figuresOnly') },
});
const A = {
  edit: KNOWLEDGE_ACTIONS['faq.edit'],
  consent: KNOWLEDGE_ACTIONS['faq.consent'],
  figures: KNOWLEDGE_ACTIONS['desk.figures'],
};

export interface KnowledgeDeps {
  db: Db;
  now: () => Date;
  notifier: Notifier;
  t: Translate;
}

export const LIMITS = { question: 2000, answer: 20000 } as const;
export const faqPath = (id: number) => `/beratung/faq/${id}`;
export const inquiryFaqPath = (inquiryId: number) => `/beratung/anfragen/${inquiryId}/faq`;

const notFound = () => new NotFoundError(text('desk.knowledge.err.notFound'));
const stale = () => new ConflictError(text('desk.knowledge.err.stale'));
const isSector = (id: string) => loadModel().sectors.some((s) => s.id === id);

const asContext = (who: repo.InquiryIdentity): AnonymiseContext => ({
  municipality: who.names,
  kreis: who.kreis,
  keys: who.keys,
  people: who.people,
});
const contextOf = async (db: Db, inquiryId: number) => asContext(await repo.identityOf(db, inquiryId));

/**
 * Who the actor is for an inquiry's knowledge: its advisor (may draft), a member of its workspace (may consent), or
 * nobody (404: the inquiry's existence is not revealed).
 */
async function standing(db: Db, actor: Actor, inquiryId: number) {
  const p = await loadPrincipal(db, actor);
  const forFaq = Number.isSafeInteger(inquiryId) ? await inquiryForFaq(db, actor, inquiryId) : null;
  if (forFaq) return { p, inquiry: forFaq.inquiry, messages: forFaq.messages, r: resourceOf(forFaq.inquiry, true) };
  // not an advisor: a member of the workspace reads the inquiry's knowledge through the inquiry's own row
  const row = await orgOfInquiry(db, inquiryId);
  if (!row || !memberOf(p, { orgId: row.orgId })) throw notFound();
  return { p, inquiry: null, messages: [] as MessageRow[], r: resourceOf(row, false) };
}

const resourceOf = (row: { orgId: number }, adv: boolean): FaqResource => ({ orgId: row.orgId, advises: adv });

async function orgOfInquiry(db: Db, inquiryId: number) {
  return Number.isSafeInteger(inquiryId) ? repo.orgOfInquiry(db, inquiryId) : null;
}

// ---------------------------------------------------------------------------------------------
// The inquiry's knowledge page

export interface EntryView extends repo.FaqRow {
  /** The anonymiser still finds something identifying in the text (a warning for advisor and members). */
  identifying: boolean;
}

export interface InquiryKnowledgeView {
  inquiryId: number;
  subject: string | null;
  asAdvisor: boolean;
  isMember: boolean;
  entries: EntryView[];
  /** The advisors' answers an entry can be drafted from (advisors only). */
  answers: { id: number; createdAt: Date; preview: string }[];
  /** The prefilled draft from the chosen answer (advisors only). */
  draft: { messageId: number | null; question: string; answer: string; sector: string } | null;
}

export async function inquiryKnowledge(
  db: Db,
  actor: Actor,
  inquiryId: number,
  fromMessage: number | null = null,
): Promise<InquiryKnowledgeView> {
  const s = await standing(db, actor, inquiryId);
  const entries = await repo.entriesOfInquiry(db, inquiryId);
  const ctx = await contextOf(db, inquiryId);
  const view: InquiryKnowledgeView = {
    inquiryId,
    subject: s.inquiry?.subject ?? null,
    asAdvisor: s.inquiry !== null,
    isMember: memberOf(s.p, s.r),
    entries: entries.map((e) => ({
      ...e,
      identifying: stillIdentifying(e.question, ctx) || stillIdentifying(e.answer, ctx),
    })),
    answers: [],
    draft: null,
  };
  if (s.inquiry) {
    const answers = s.messages.filter((m) => m.side === 'advisor' && !m.internal);
    view.answers = answers.map((m) => ({ id: m.id, createdAt: m.createdAt, preview: m.body.slice(0, 80) }));
    const chosen = answers.find((m) => m.id === fromMessage) ?? answers[answers.length - 1] ?? null;
    view.draft = prefill(s.inquiry, chosen, ctx);
  }
  return view;
}

/** The draft an advisor starts from: the inquiry's question and the chosen answer, anonymised. */
export function prefill(
  inquiry: Pick<InquiryRow, 'subject' | 'body' | 'sector'>,
  answer: MessageRow | null,
  ctx: AnonymiseContext,
) {
  const question = anonymise(`${inquiry.subject}\n\n${inquiry.body}`, ctx).slice(0, LIMITS.question);
  return {
    messageId: answer?.id ?? null,
    question,
    answer: answer ? anonymise(answer.body, ctx).slice(0, LIMITS.answer) : '',
    sector: inquiry.sector,
  };
}

export interface EntryInput {
  question?: string;
  answer?: string;
  sector?: string;
}

function parseEntry(f: EntryInput): { question: string; answer: string; sector: string } {
  const errors = [];
  const question = (f.question ?? '').trim();
  const answer = (f.answer ?? '').trim();
  const sector = (f.sector ?? '').trim();
  if (question.length < 10 || question.length > LIMITS.question)
    errors.push(fieldError('question', 'desk.knowledge.err.question', { max: LIMITS.question }));
  if (answer.length < 10 || answer.length > LIMITS.answer)
    errors.push(fieldError('answer', 'desk.knowledge.err.answer', { max: LIMITS.answer }));
  if (!isSector(sector)) errors.push(fieldError('sector', 'desk.knowledge.err.sector'));
  if (errors.length) throw new ValidationError(errors);
  return { question, answer, sector };
}

const termsOf = (e: { question: string; answer: string }) => documentTerms(`${e.question}\n${e.answer}`).join(' ');

/** An advisor of the inquiry drafts an entry; the inquiry's author is asked for consent. Returns its id. */
export async function draftEntry(
  d: KnowledgeDeps,
  actor: Actor,
  inquiryId: number,
  f: EntryInput & { messageId?: string },
): Promise<number> {
  const s = await standing(d.db, actor, inquiryId);
  authorize(s.p, A.edit, s.r);
  const inquiry = s.inquiry!;
  const e = parseEntry(f);
  const messageId = /^\d{1,15}$/.test(f.messageId ?? '') ? Number(f.messageId) : null;
  const source = s.messages.find((m) => m.id === messageId && m.side === 'advisor') ?? null;
  const id = await d.db.transaction(async (tx) => {
    const id = await repo.insertEntry(tx, {
      inquiryId,
      sourceMessageId: source?.id ?? null,
      ...e,
      contextKind: inquiry.contextKind,
      contextRef: inquiry.contextRef,
      terms: termsOf(e),
      authorUserId: actor.id,
      now: d.now(),
    });
    await recordAudit(tx, {
      action: 'faq.draft',
      entity: 'desk_faq_entry',
      entityId: id,
      orgId: inquiry.orgId,
      actorUserId: actor.id,
      after: { inquiryId, sector: e.sector },
    });
    return id;
  });
  if (inquiry.authorUserId !== null) {
    await d.notifier.notify({
      userId: inquiry.authorUserId,
      kind: 'inquiry',
      subject: d.t('desk.knowledge.mail.consentSubject', { id: inquiryId }),
      text: d.t('desk.knowledge.mail.consentText', { id: inquiryId }),
      link: inquiryFaqPath(inquiryId),
    });
  }
  return id;
}

/** The entry and the actor's standing towards it (404 for strangers; an orphaned entry: platform admins only). */
async function entryStanding(db: Db, actor: Actor, entryId: number, forUpdate = false) {
  const entry = Number.isSafeInteger(entryId) ? await repo.entryById(db, entryId, forUpdate) : null;
  if (!entry) throw notFound();
  if (entry.inquiryId === null) {
    if (!actor.isPlatformAdmin) throw notFound();
    const p = await loadPrincipal(db, actor);
    return { entry, p, r: { orgId: null, advises: true } as FaqResource };
  }
  const s = await standing(db, actor, entry.inquiryId);
  return { entry, p: s.p, r: s.r };
}

/** The edit form's data (advisors). */
export async function entryForEdit(db: Db, actor: Actor, entryId: number): Promise<EntryView> {
  const { entry, p, r } = await entryStanding(db, actor, entryId);
  authorize(p, A.edit, r);
  const ctx = entry.inquiryId ? await contextOf(db, entry.inquiryId) : { municipality: [] };
  return { ...entry, identifying: stillIdentifying(entry.question, ctx) || stillIdentifying(entry.answer, ctx) };
}

/** An advisor edits; a changed text asks for consent again (and takes a published entry back to draft). */
export async function editEntry(d: KnowledgeDeps, actor: Actor, entryId: number, version: number, f: EntryInput) {
  const e = parseEntry(f);
  await d.db.transaction(async (tx) => {
    const { entry, p, r } = await entryStanding(tx, actor, entryId, true);
    authorize(p, A.edit, r);
    if (version !== entry.version) throw stale();
    if (!(await repo.updateText(tx, entryId, version, { ...e, terms: termsOf(e), now: d.now() }))) throw stale();
    await recordAudit(tx, {
      action: 'faq.edit',
      entity: 'desk_faq_entry',
      entityId: entryId,
      actorUserId: actor.id,
      before: { status: entry.status, consent: entry.consent },
      after: { textChanged: entry.question !== e.question || entry.answer !== e.answer },
    });
  });
}

/** A member of the workspace consents to the text as it is, or declines (declining withdraws a published entry). */
export async function decideConsent(d: KnowledgeDeps, actor: Actor, entryId: number, version: number, yes: boolean) {
  await d.db.transaction(async (tx) => {
    const { entry, p, r } = await entryStanding(tx, actor, entryId, true);
    authorize(p, A.consent, r);
    if (version !== entry.version) throw stale();
    const consent = yes ? 'given' : 'declined';
    if (!(await repo.setConsent(tx, entryId, version, { consent, userId: actor.id, now: d.now() }))) throw stale();
    await recordAudit(tx, {
      action: `faq.consent.${consent}`,
      entity: 'desk_faq_entry',
      entityId: entryId,
      orgId: r.orgId ?? null,
      actorUserId: actor.id,
    });
  });
}

/** An advisor publishes (only with the municipality's consent: else 409) or withdraws an entry. */
export async function setPublished(d: KnowledgeDeps, actor: Actor, entryId: number, version: number, publish: boolean) {
  await d.db.transaction(async (tx) => {
    const { entry, p, r } = await entryStanding(tx, actor, entryId, true);
    authorize(p, A.edit, r);
    if (version !== entry.version) throw stale();
    if (publish && entry.consent !== 'given') throw new ConflictError(text('desk.knowledge.err.noConsent'));
    if (!publish && entry.status !== 'published') throw new ConflictError(text('desk.knowledge.err.notPublished'));
    const status = publish ? 'published' : 'withdrawn';
    if (!(await repo.setStatus(tx, entryId, version, { status, userId: actor.id, now: d.now() }))) throw stale();
    await recordAudit(tx, {
      action: publish ? 'faq.publish' : 'faq.withdraw',
      entity: 'desk_faq_entry',
      entityId: entryId,
      actorUserId: actor.id,
    });
  });
}

/** The inquiry an entry came from (for redirects), or null. */
export async function entryInquiry(db: Db, entryId: number): Promise<number | null> {
  return Number.isSafeInteger(entryId) ? ((await repo.entryById(db, entryId))?.inquiryId ?? null) : null;
}

/** Whether the actor may edit the entry (for the public page's link). */
export async function mayEdit(db: Db, actor: Actor | null, entry: { id: number }): Promise<boolean> {
  if (!actor) return false;
  const row = await repo.entryById(db, entry.id);
  if (!row) return false;
  if (row.inquiryId === null) return actor.isPlatformAdmin;
  return advisesInquiry(db, actor, row.inquiryId);
}

// ---------------------------------------------------------------------------------------------
// Public FAQ

export const PAGE_SIZE = 20;

export interface FaqSearch {
  q: string;
  sector: string | null;
  /** Only the answers to a context (unknown kinds and empty or overlong references are ignored, like sectors). */
  context?: { kind: string; ref: string } | null;
  page: number;
  limit?: number;
}

/** A context as a filter, or null when it is not one (kind not known, reference empty or longer than 200). */
export function faqContext(kind: string | null | undefined, ref: string | null | undefined) {
  const k = (kind ?? '').trim();
  const r = (ref ?? '').trim();
  if (!(CONTEXT_KINDS as readonly string[]).includes(k) || r.length === 0 || r.length > 200) return null;
  return { kind: k as ContextKind, ref: r };
}

/** Published entries: all words must match (stems, compound parts), else any word; filtered by sector. */
export interface FaqResult {
  total: number;
  rows: repo.PublicFaqRow[];
  /** When nothing matched as typed: the query with its typos corrected, whose results these are. */
  corrected: string | null;
}

export async function searchFaq(db: Db, s: FaqSearch): Promise<FaqResult> {
  const sector = s.sector && isSector(s.sector) ? s.sector : null;
  const context = s.context ? faqContext(s.context.kind, s.context.ref) : null;
  const limit = Math.min(Math.max(s.limit ?? PAGE_SIZE, 1), 100);
  const offset = Math.max(0, s.page - 1) * limit;
  const q = s.q.slice(0, 200);
  const f = { sector, context, limit, offset };
  const run = async (words: ReturnType<typeof queryWords>) => {
    if (words.length === 0) return repo.searchPublished(db, { ...f, tsquery: null });
    const all = await repo.searchPublished(db, { ...f, tsquery: toTsQuery(words, 'and') });
    if (all.total > 0 || words.length === 1) return all;
    return repo.searchPublished(db, { ...f, tsquery: toTsQuery(words, 'or') });
  };
  const words = queryWords(q);
  const found = await run(words);
  if (found.total > 0 || words.length === 0) return { ...found, corrected: null };
  // nothing as typed: correct the typos against the published entries' terms and search again
  const fix = correctQuery(q, await publishedTermsOf(db));
  if (!fix) return { ...found, corrected: null };
  const again = await run(fix.words);
  if (again.total === 0) return { ...found, corrected: null };
  const text = again.rows.map((r) => `${r.question}\n${r.answer}`).join('\n');
  let corrected = q;
  for (const c of fix.corrections) corrected = corrected.replace(c.from, spelledIn(c.to, text));
  return { ...again, corrected };
}

/** The published entries' terms, read again only when the published entries changed (per instance). */
const termsCache = new WeakMap<Db, { fingerprint: string; terms: Promise<Map<string, number>> }>();
async function publishedTermsOf(db: Db): Promise<Map<string, number>> {
  const fingerprint = await repo.publishedFingerprint(db);
  const hit = termsCache.get(db);
  if (hit && hit.fingerprint === fingerprint) return hit.terms;
  const terms = repo.publishedTerms(db);
  termsCache.set(db, { fingerprint, terms });
  terms.catch(() => termsCache.delete(db));
  return terms;
}

/** The latest published answers to some measures (a strategy's page shows them). */
export function answersForMeasures(db: Db, measureIds: readonly string[], limit = 5): Promise<repo.PublicFaqRow[]> {
  return repo.publishedForContexts(db, 'measure', measureIds.slice(0, 500), limit);
}

export async function publicEntry(db: Db, id: number): Promise<repo.PublicFaqRow> {
  const row = Number.isSafeInteger(id) ? await repo.publishedById(db, id) : null;
  if (!row) throw notFound();
  return row;
}

// ---------------------------------------------------------------------------------------------
// The centre's figures

export const PERIODS = [3, 6, 12, 24] as const;
export type Period = (typeof PERIODS)[number];

export interface FiguresFilter {
  /** A Land ("01"–"16") or null for all. */
  stateKey: string | null;
  /** Months back from now. */
  months: Period;
}

export interface Figures {
  filter: FiguresFilter;
  from: Date;
  to: Date;
  open: { stateKey: string; sector: string; n: number }[];
  durations: repo.Durations;
  /** "YYYY-MM" of every month of the period, oldest first. */
  months: string[];
  topics: { month: string; sector: string; n: number }[];
  ratings: repo.TeamRating[];
  comments: { teamId: number | null; rating: number; comment: string; ratedAt: Date }[];
}

/** Midnight in Berlin of the first day of a month ("YYYY-MM"), as an instant. */
export function berlinMonthStart(month: string): Date {
  return atBerlinWallClock(`${month}-01`, 0);
}

/** The months ("YYYY-MM") of the period: `back` months up to `now`'s month in Europe/Berlin, and their starts. */
export function monthsBack(now: Date, back: number): { from: Date; months: string[]; starts: Date[] } {
  const berlin = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' });
  const [y, m] = berlin.format(now).split('-').map(Number) as [number, number];
  const months: string[] = [];
  for (let i = back - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  const starts = months.map(berlinMonthStart);
  return { from: starts[0]!, months, starts };
}

export async function assertFiguresAccess(db: Db, actor: Actor): Promise<void> {
  const p = await loadPrincipal(db, actor);
  const r: FaqResource = { inSomeTeam: p.advisorScopes.length > 0 ? false : await repo.inSomeTeam(db, actor.id) };
  authorize(p, A.figures, r);
}

/** Every figure of the dashboard for a filter (no authorisation: see `dashboard`; the bench calls this). */
export async function computeFigures(db: Db, now: Date, filter: FiguresFilter): Promise<Figures> {
  const { from, months, starts } = monthsBack(now, filter.months);
  const f = { stateKey: filter.stateKey, from, to: now };
  const [open, durations, buckets, ratings, comments] = await Promise.all([
    repo.openByStateAndSector(db, filter.stateKey),
    repo.durations(db, f),
    repo.topicsByMonth(db, { ...f, bounds: starts }),
    repo.ratingsByTeam(db, f),
    repo.latestComments(db, f),
  ]);
  // comments are shown without their municipality, and anonymised against it
  const who = await repo.identitiesOf(
    db,
    comments.map((c) => c.inquiryId),
  );
  const shown = comments.map((c) => ({
    teamId: c.teamId,
    rating: c.rating,
    ratedAt: c.ratedAt,
    comment: anonymise(c.comment, asContext(who.get(c.inquiryId) ?? { names: [], kreis: [], keys: [], people: [] })),
  }));
  const topics = buckets
    .filter((b) => b.bucket >= 1 && b.bucket <= months.length)
    .map((b) => ({ month: months[b.bucket - 1]!, sector: b.sector, n: b.n }));
  return { filter, from, to: now, open, durations, months, topics, ratings, comments: shown };
}

/** How long the dashboard shows the same figures (per instance and filter) before computing them again. */
export const FIGURES_TTL_MS = 60_000;
/**
 * Figures older than FIGURES_TTL_MS but younger than this are still shown while fresh ones are computed in the
 * background (one computation per filter at a time), so that no request waits for the aggregates except the first
 * of a filter and the first after a long pause; older ones are never shown.
 */
export const FIGURES_STALE_MS = 10 * FIGURES_TTL_MS;

interface CachedFigures {
  /** When the shown figures were computed. */
  at: number;
  figures: Promise<Figures>;
  /** A background computation under way (it replaces `figures` when it succeeds). */
  refreshing: Promise<void> | null;
  /** Whether `figures` has resolved (only resolved figures are shown while stale). */
  ready: boolean;
}
const figuresCache = new WeakMap<Db, Map<string, CachedFigures>>();

/**
 * The figures of a filter on this instance: computed at most once per FIGURES_TTL_MS; between TTL and
 * FIGURES_STALE_MS the last figures are answered at once and fresh ones computed behind them. A failed
 * computation is not kept (the next request tries again); a failed background one leaves the last figures.
 */
export function cachedFigures(db: Db, now: Date, filter: FiguresFilter): Promise<Figures> {
  let cache = figuresCache.get(db);
  if (!cache) {
    cache = new Map();
    figuresCache.set(db, cache);
  }
  const key = `${filter.stateKey ?? ''}|${filter.months}`;
  const hit = cache.get(key);
  const age = hit ? now.getTime() - hit.at : Number.NaN;
  if (hit && age >= 0 && age < FIGURES_TTL_MS) return hit.figures;
  if (hit?.ready && age >= 0 && age < FIGURES_STALE_MS) {
    if (!hit.refreshing) {
      const fresh = computeFigures(db, now, filter);
      hit.refreshing = fresh.then(
        () => {
          if (cache.get(key) !== hit) return;
          cache.set(key, { at: now.getTime(), figures: fresh, refreshing: null, ready: true });
        },
        (err: unknown) => {
          hit.refreshing = null;
          process.emitWarning(`desk figures: background computation failed (${String(err)})`);
        },
      );
    }
    return hit.figures;
  }
  const figures = computeFigures(db, now, filter);
  const entry: CachedFigures = { at: now.getTime(), figures, refreshing: null, ready: false };
  cache.set(key, entry);
  figures.then(
    () => {
      entry.ready = true;
    },
    () => {
      if (cache.get(key) === entry) cache.delete(key);
    },
  );
  return figures;
}

/** Resolves when the background computations of an instance's figures have finished (for tests). */
export async function figuresSettled(db: Db): Promise<void> {
  const cache = figuresCache.get(db);
  if (cache) await Promise.all([...cache.values()].map((e) => e.refreshing));
}

/** The dashboard for advisors of the centre and platform admins. */
export async function dashboard(d: Pick<KnowledgeDeps, 'db' | 'now'>, actor: Actor, filter: FiguresFilter) {
  await assertFiguresAccess(d.db, actor);
  return cachedFigures(d.db, d.now(), filter);
}

export const canSeeFigures = async (db: Db, actor: Actor) => {
  const p = await loadPrincipal(db, actor);
  return can(p, A.figures, { inSomeTeam: await repo.inSomeTeam(db, actor.id) } as FaqResource);
};

export const KNOWLEDGE_ACTION = A;
