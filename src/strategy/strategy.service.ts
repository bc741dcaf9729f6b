/**
 * Use cases of the Digitalstrategie: the draft from a submitted check, the team's edits (each saved as a
 * revision; conflicting edits detected by the parts they change), versions and their diff, submission to the
 * council, adoption (frozen), publication, implementation tracking, the council document's input.
 */
import {
  type CheckResult,
  checkFacts,
  checkPeerGroups,
  checkResult,
  demoCheckFacts,
  type Level,
  laterCheckFacts,
  levelForScore,
  loadModel,
  type MaturityModel,
  type PeerProfile,
  peerGroupName,
  peerProfile,
  REGION_KINDS,
  type RegionKind,
  SIZE_CLASSES,
  type SizeClass,
} from '../assessment/index.js';
import { recordAudit } from '../audit/index.js';
import { type Actor, loadPrincipal, orgById, workspaceResource } from '../organisations/index.js';
import type { Db } from '../platform/db/db.js';
import { ConflictError, fieldError, NotFoundError, ValidationError } from '../platform/errors.js';
import { publish } from '../platform/events/events.js';
import { type Lang, type Translate, text } from '../platform/i18n/i18n.js';
import { authorize, can, type Principal, type Resource } from '../platform/policy.js';
import { displayName, getRegion, splitName } from '../register/index.js';
import { STRATEGY_ACTION } from './actions.js';
import type { StrategyDocumentInput } from './document-input.js';
import { draftStrategy, itemFor, type PeerLevels } from './draft.js';
import { STRATEGY_EVENTS } from './events.js';
import { loadMeasures, type Measure, type MeasureCatalogue } from './measures.js';
import {
  type Capacity,
  type CapacityReport,
  HORIZON_MONTHS,
  MEASURE_STATUSES,
  type MeasureStatus,
  type PlanItem,
  REPORTING_CYCLES,
  type Reason,
  type ReportingCycle,
  type StrategyContent,
} from './plan.js';
import { capacityReport, earliestFit, Load } from './schedule.js';
import * as repo from './strategy.repository.js';

export type { RevisionRow, StrategyRow } from './strategy.repository.js';
export type { Actor };

// ---------------------------------------------------------------------------------------------
// Access

interface Authorised {
  row: repo.StrategyRow;
  p: Principal | null;
  r: Resource;
}

/** The strategy as a resource of the permission vocabulary; 404 for unknown ids and for strangers' drafts. */
async function authorised(db: Db, actor: Actor | null, id: number, action = STRATEGY_ACTION.read): Promise<Authorised> {
  const row = await repo.strategyById(db, id);
  if (!row || row.orgId === null) throw new NotFoundError(text('strategy.err.noSuchStrategy', { id }));
  const org = await orgById(db, row.orgId);
  if (!org) throw new NotFoundError(text('strategy.err.noSuchStrategy', { id }));
  const [p, base] = await Promise.all([
    actor ? loadPrincipal(db, actor) : Promise.resolve(null),
    workspaceResource(db, org),
  ]);
  const r: Resource = { ...base, status: row.status, published: row.published };
  // A published strategy is public (also to anonymous readers, who may no action of the vocabulary). What one
  // may not read does not exist for them (no hint that a workspace has a strategy in work).
  const readable = row.published || can(p, STRATEGY_ACTION.read, r);
  if (!readable) throw new NotFoundError(text('strategy.err.noSuchStrategy', { id }));
  if (action !== STRATEGY_ACTION.read) authorize(p, action, r);
  return { row, p, r };
}

export interface StrategyView {
  row: repo.StrategyRow;
  catalogue: MeasureCatalogue;
  model: MaturityModel;
  report: CapacityReport;
  canEdit: boolean;
  canTrack: boolean;
  canDecide: boolean;
  isMember: boolean;
  /** Measures of the catalogue that suit the municipality and are not in the plan (to add). */
  addable: Measure[];
  /** The newest submitted check after the strategy's own: goals reached since (null: none yet). */
  progress: { checkId: number; submittedAt: Date; byDimension: Record<string, number | null> } | null;
  /** Practice projects and solutions linked to the planned measures (filled by the atlas and the market). */
  links: Map<string, { kind: 'practice' | 'solution'; refId: string }[]>;
  regionName: string;
}

export function suitsRegion(m: Measure, sizeClass: string | null, kind: string | null): boolean {
  return (
    (sizeClass === null || m.sizes.includes(sizeClass as SizeClass)) &&
    (kind === null || m.types.includes(kind as RegionKind))
  );
}

export async function strategyView(db: Db, actor: Actor | null, id: number): Promise<StrategyView> {
  const { row, p, r } = await authorised(db, actor, id);
  const catalogue = loadMeasures(row.content.catalogueVersion);
  const model = loadModel(row.content.modelVersion);
  const planned = new Set(row.content.items.map((i) => i.measureId));
  const kind = await kindOf(db, row);
  const { region } = await getRegion(db, row.regionKey);
  const later = row.orgId !== null && can(p, STRATEGY_ACTION.track, r) ? await laterCheck(db, row) : null;
  const linkRows = await repo.measureLinks(db, [...planned]);
  const links = new Map<string, { kind: 'practice' | 'solution'; refId: string }[]>();
  for (const l of linkRows)
    links.set(l.measureId, [...(links.get(l.measureId) ?? []), { kind: l.kind, refId: l.refId }]);
  return {
    row,
    catalogue,
    model,
    report: capacityReport(row.content.items, row.content.capacity, row.content.startMonth),
    canEdit: can(p, STRATEGY_ACTION.edit, r),
    canTrack: can(p, STRATEGY_ACTION.track, r),
    canDecide: can(p, STRATEGY_ACTION.decide, r),
    isMember: can(p, STRATEGY_ACTION.track, r),
    addable: catalogue.measures.filter((m) => !planned.has(m.id) && suitsRegion(m, row.sizeClass, kind)),
    progress: later,
    links,
    regionName: displayName(region.name),
  };
}

async function kindOf(db: Db, row: Pick<repo.StrategyRow, 'checkId'>): Promise<RegionKind | null> {
  if (row.checkId === null) return null;
  const kind = (await checkFacts(db, row.checkId))?.regionType ?? null;
  return kind && (REGION_KINDS as readonly string[]).includes(kind) ? (kind as RegionKind) : null;
}

async function laterCheck(db: Db, row: repo.StrategyRow) {
  if (row.orgId === null || row.checkId === null) return null;
  const later = await laterCheckFacts(db, row.orgId, row.checkId, row.content.modelVersion);
  return later ? { checkId: later.id, submittedAt: later.submittedAt, byDimension: later.byDimension } : null;
}

/** The workspace's strategies (newest first), for its home page and the API. */
export async function strategiesOfOrg(db: Db, actor: Actor, orgId: number): Promise<repo.StrategyRow[]> {
  const org = await orgById(db, orgId);
  if (!org) throw new NotFoundError(text('strategy.err.noSuchOrg', { id: orgId }));
  const [p, r] = await Promise.all([loadPrincipal(db, actor), workspaceResource(db, org)]);
  if (!can(p, STRATEGY_ACTION.track, r)) return (await repo.strategiesOfOrg(db, orgId)).filter((s) => s.published);
  return repo.strategiesOfOrg(db, orgId);
}

/** Strategies of every workspace the person is a member of (the API's list). */
export async function strategiesOfActor(db: Db, actor: Actor): Promise<repo.StrategyRow[]> {
  const p = await loadPrincipal(db, actor);
  return repo.strategiesOfOrgs(
    db,
    p.memberships.map((m) => m.orgId),
  );
}

export async function publishedStrategy(db: Db, regionKey: string): Promise<repo.StrategyRow | null> {
  return repo.publishedOfRegion(db, regionKey);
}

// ---------------------------------------------------------------------------------------------
// The draft

/** The month after `now` as "YYYY-MM" (a strategy starts at the beginning of a month). */
export function nextMonth(now: Date): string {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function peerLevelsOf(p: PeerProfile): PeerLevels | null {
  return p.group ? { dimensionQ3: p.dimensionQ3, questionMedian: p.questionMedian } : null;
}

/** The draft's input from a check's result. */
export function draftFromResult(
  result: CheckResult,
  peers: PeerLevels | null,
  startMonth: string,
  catalogue = loadMeasures(),
): StrategyContent {
  const c = result.ctx;
  const levels = new Map<string, number | null>(
    [...c.answers.values()].map((a) => [a.questionId, a.notApplicable ? null : a.level]),
  );
  const dimensionScores: Record<string, number | null> = {};
  for (const [dim, g] of Object.entries(result.score.byDimension)) dimensionScores[dim] = g.score;
  const sizeClass = (c.check.sizeClass ?? SIZE_CLASSES[0].id) as SizeClass;
  const kind = (
    (REGION_KINDS as readonly string[]).includes(c.check.regionType ?? '') ? c.check.regionType : 'gemeinde'
  ) as RegionKind;
  return draftStrategy({
    model: c.model,
    catalogue,
    questionIds: c.questions.map((q) => q.id),
    levels,
    dimensionScores,
    peers,
    sizeClass,
    kind,
    startMonth,
  });
}

/**
 * "Strategie entwerfen": a complete draft from a submitted check of the workspace. When the workspace already
 * has a strategy in work, that one is returned (`existing: true`) and nothing is created.
 */
export async function createDraft(
  db: Db,
  actor: Actor,
  checkId: number,
  now: Date,
): Promise<{ id: number; existing: boolean }> {
  const result = await checkResult(db, actor, checkId, 'de');
  const check = result.ctx.check;
  if (check.orgId === null || !result.ctx.isMember)
    throw new NotFoundError(text('strategy.err.noSuchCheck', { id: checkId }));
  const org = await orgById(db, check.orgId);
  if (!org) throw new NotFoundError(text('strategy.err.noSuchCheck', { id: checkId }));
  const [p, r] = await Promise.all([loadPrincipal(db, actor), workspaceResource(db, org)]);
  authorize(p, STRATEGY_ACTION.create, r);
  const open = await repo.openStrategyOfOrg(db, check.orgId);
  if (open) return { id: open.id, existing: true };
  const peers = peerLevelsOf(await peerProfile(db, check));
  const content = draftFromResult(result, peers, nextMonth(now));
  return db.transaction(async (tx) => {
    const again = await repo.openStrategyOfOrg(tx, check.orgId!);
    if (again) return { id: again.id, existing: true };
    const id = await repo.insertStrategy(tx, {
      orgId: check.orgId!,
      regionKey: check.regionKey,
      checkId,
      previousId: null,
      content,
      stateKey: check.stateKey,
      sizeClass: check.sizeClass,
      createdBy: actor.id,
      summary: { key: 'strategy.change.drafted', params: { measures: content.items.length } },
    });
    await publish(tx, STRATEGY_EVENTS.drafted, { strategyId: id, regionKey: check.regionKey });
    return { id, existing: false };
  });
}

// ---------------------------------------------------------------------------------------------
// Edits

export interface ItemFields {
  owner: string;
  /** "YYYY-MM" */
  start: string;
  durationMonths: number;
  effortDays: number;
  costOneOff: number;
  costPerYear: number;
}

export interface ProgressFields {
  status: MeasureStatus;
  note: string;
  actualStart: string | null;
  actualEnd: string | null;
}

export interface SettingsFields {
  title: string;
  vision: string;
  startMonth: string;
  staffDaysPerMonth: number;
  budgetPerYear: number;
  steering: string;
  reportingCycle: ReportingCycle;
}

export type Edit =
  | { kind: 'item'; measureId: string; fields: ItemFields }
  | { kind: 'progress'; measureId: string; fields: ProgressFields }
  | { kind: 'add'; measureId: string }
  | { kind: 'remove'; measureId: string }
  | { kind: 'move'; measureId: string; direction: 'up' | 'down' }
  | { kind: 'goals'; targets: Record<string, number> }
  | { kind: 'settings'; fields: SettingsFields };

/** Raw form values of an edit, as typed (kept for the form when it is refused). */
export type RawFields = Record<string, string>;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthIndex = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;

/** "03/2027", "3/2027", "2027-03" → "2027-03"; null when it is not a month. */
export function parseMonth(input: string): string | null {
  const s = input.trim();
  const iso = MONTH.exec(s);
  if (iso) return s;
  const de = /^(\d{1,2})[./](\d{4})$/.exec(s);
  if (de) {
    const m = Number(de[1]);
    if (m >= 1 && m <= 12) return `${de[2]}-${String(m).padStart(2, '0')}`;
  }
  return null;
}

/** A non-negative number typed in German or English notation ("12.500", "12,5", "12500"); null otherwise. */
export function parseAmount(input: string): number | null {
  let s = input.trim().replace(/\s|€|EUR/gi, '');
  if (s === '') return null;
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d+,\d+$/.test(s)) s = s.replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Validate an item form; the errors name the field. */
export function parseItemFields(raw: RawFields, strategyStart: string): ItemFields {
  const errors = [];
  const owner = (raw.owner ?? '').trim();
  if (owner.length > 200) errors.push(fieldError('owner', 'strategy.err.tooLong', { max: 200 }));
  const start = parseMonth(raw.start ?? '');
  if (!start) errors.push(fieldError('start', 'strategy.err.month'));
  else if (monthIndex(start) < monthIndex(strategyStart)) {
    errors.push(
      fieldError('start', 'strategy.err.beforeStart', {
        start: `${strategyStart.slice(5)}/${strategyStart.slice(0, 4)}`,
      }),
    );
  }
  const num = (name: string, min: number, max: number, integer: boolean) => {
    const n = parseAmount(raw[name] ?? '');
    if (n === null || n < min || n > max || (integer && !Number.isInteger(n))) {
      errors.push(fieldError(name, integer ? 'strategy.err.integer' : 'strategy.err.number', { min, max }));
      return 0;
    }
    return n;
  };
  const durationMonths = num('durationMonths', 1, HORIZON_MONTHS, true);
  const effortDays = num('effortDays', 0, 10_000, false);
  const costOneOff = num('costOneOff', 0, 100_000_000, false);
  const costPerYear = num('costPerYear', 0, 100_000_000, false);
  if (errors.length) throw new ValidationError(errors);
  return { owner, start: start!, durationMonths, effortDays, costOneOff, costPerYear };
}

export function parseProgressFields(raw: RawFields): ProgressFields {
  const errors = [];
  const status = raw.status as MeasureStatus;
  if (!MEASURE_STATUSES.includes(status)) errors.push(fieldError('status', 'strategy.err.status'));
  const note = (raw.note ?? '').trim();
  if (note.length > 4000) errors.push(fieldError('note', 'strategy.err.tooLong', { max: 4000 }));
  const month = (name: string) => {
    const v = (raw[name] ?? '').trim();
    if (v === '') return null;
    const m = parseMonth(v);
    if (!m) errors.push(fieldError(name, 'strategy.err.month'));
    return m;
  };
  const actualStart = month('actualStart');
  const actualEnd = month('actualEnd');
  if (actualStart && actualEnd && monthIndex(actualEnd) < monthIndex(actualStart)) {
    errors.push(fieldError('actualEnd', 'strategy.err.endBeforeStart'));
  }
  if (errors.length) throw new ValidationError(errors);
  return { status, note, actualStart, actualEnd };
}

export function parseSettings(raw: RawFields): SettingsFields {
  const errors = [];
  const title = (raw.title ?? '').trim();
  if (title.length > 200) errors.push(fieldError('title', 'strategy.err.tooLong', { max: 200 }));
  const vision = (raw.vision ?? '').trim();
  if (vision.length > 4000) errors.push(fieldError('vision', 'strategy.err.tooLong', { max: 4000 }));
  const steering = (raw.steering ?? '').trim();
  if (steering.length > 2000) errors.push(fieldError('steering', 'strategy.err.tooLong', { max: 2000 }));
  const startMonth = parseMonth(raw.startMonth ?? '');
  if (!startMonth) errors.push(fieldError('startMonth', 'strategy.err.month'));
  const staff = parseAmount(raw.staffDaysPerMonth ?? '');
  if (staff === null || staff <= 0 || staff > 10_000) {
    errors.push(fieldError('staffDaysPerMonth', 'strategy.err.number', { min: 0.5, max: 10_000 }));
  }
  const budget = parseAmount(raw.budgetPerYear ?? '');
  if (budget === null || budget > 1_000_000_000) {
    errors.push(fieldError('budgetPerYear', 'strategy.err.number', { min: 0, max: 1_000_000_000 }));
  }
  const reportingCycle = raw.reportingCycle as ReportingCycle;
  if (!REPORTING_CYCLES.includes(reportingCycle)) errors.push(fieldError('reportingCycle', 'strategy.err.cycle'));
  if (errors.length) throw new ValidationError(errors);
  return {
    title,
    vision,
    startMonth: startMonth!,
    staffDaysPerMonth: staff!,
    budgetPerYear: budget!,
    steering,
    reportingCycle,
  };
}

export function parseGoals(raw: RawFields, content: StrategyContent): Record<string, number> {
  const out: Record<string, number> = {};
  const errors = [];
  for (const g of content.goals) {
    const v = raw[`goal-${g.dimension}`];
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 4) errors.push(fieldError(`goal-${g.dimension}`, 'strategy.err.level'));
    else out[g.dimension] = n;
  }
  if (errors.length) throw new ValidationError(errors);
  return out;
}

/** The parts of the content an edit changes (two edits conflict when their parts overlap). */
export function partsOf(edit: Edit, content: StrategyContent): string[] {
  switch (edit.kind) {
    case 'item':
      return [`item:${edit.measureId}`];
    case 'progress':
      return [`progress:${edit.measureId}`];
    case 'add':
    case 'remove':
      return [`item:${edit.measureId}`, 'order'];
    case 'move':
      return ['order'];
    case 'goals':
      return Object.entries(edit.targets)
        .filter(([dim, level]) => content.goals.find((g) => g.dimension === dim)?.targetLevel !== level)
        .map(([dim]) => `goal:${dim}`);
    case 'settings':
      return ['settings'];
  }
}

/** Apply an edit to a content (pure); throws a ValidationError or ConflictError for an edit that cannot apply. */
export function applyEdit(
  content: StrategyContent,
  edit: Edit,
  catalogue: MeasureCatalogue,
): { content: StrategyContent; summary: Reason } {
  const items = [...content.items];
  const at = items.findIndex((i) => i.measureId === ('measureId' in edit ? edit.measureId : ''));
  const needItem = () => {
    if (at < 0) throw new NotFoundError(text('strategy.err.noSuchItem'));
    return items[at]!;
  };
  switch (edit.kind) {
    case 'item': {
      const old = needItem();
      const startMonth = monthIndex(edit.fields.start) - monthIndex(content.startMonth);
      items[at] = {
        ...old,
        owner: edit.fields.owner,
        startMonth,
        durationMonths: edit.fields.durationMonths,
        effortDays: edit.fields.effortDays,
        costOneOff: edit.fields.costOneOff,
        costPerYear: edit.fields.costPerYear,
      };
      return {
        content: { ...content, items },
        summary: { key: 'strategy.change.item', params: { measure: edit.measureId } },
      };
    }
    case 'progress': {
      const old = needItem();
      items[at] = { ...old, ...edit.fields };
      return {
        content: { ...content, items },
        summary: { key: 'strategy.change.progress', params: { measure: edit.measureId, status: edit.fields.status } },
      };
    }
    case 'add': {
      if (at >= 0) throw new ConflictError(text('strategy.err.alreadyPlanned'));
      const m = catalogue.measures.find((x) => x.id === edit.measureId);
      if (!m) throw new ValidationError([fieldError('measure', 'strategy.err.unknownMeasure')]);
      // At the earliest fit after its planned prerequisites, else at the earliest month after them.
      const load = new Load(content.capacity);
      for (const i of items) if (i.status !== 'dropped') load.add(i);
      const ends = m.prerequisites
        .map((p) => items.find((i) => i.measureId === p))
        .filter((i): i is PlanItem => i !== undefined)
        .map((i) => i.startMonth + i.durationMonths);
      const earliest = Math.max(0, ...ends);
      const item = itemFor(m, content.capacity, { key: 'strategy.reason.measure.team', params: {} });
      const start = earliestFit(load, item, earliest) ?? Math.min(earliest, HORIZON_MONTHS - 1);
      items.push({ ...item, startMonth: start, addedByTeam: true });
      return { content: { ...content, items }, summary: { key: 'strategy.change.added', params: { measure: m.id } } };
    }
    case 'remove': {
      needItem();
      items.splice(at, 1);
      return {
        content: { ...content, items },
        summary: { key: 'strategy.change.removed', params: { measure: edit.measureId } },
      };
    }
    case 'move': {
      needItem();
      const to = edit.direction === 'up' ? at - 1 : at + 1;
      if (to < 0 || to >= items.length)
        return { content, summary: { key: 'strategy.change.moved', params: { measure: edit.measureId } } };
      [items[at], items[to]] = [items[to]!, items[at]!];
      return {
        content: { ...content, items },
        summary: { key: 'strategy.change.moved', params: { measure: edit.measureId } },
      };
    }
    case 'goals': {
      const goals = content.goals.map((g) =>
        edit.targets[g.dimension] === undefined ? g : { ...g, targetLevel: edit.targets[g.dimension]! },
      );
      return { content: { ...content, goals }, summary: { key: 'strategy.change.goals', params: {} } };
    }
    case 'settings': {
      const f = edit.fields;
      // Moving the start keeps every measure at its calendar month where possible: the plan is relative.
      return {
        content: {
          ...content,
          title: f.title,
          vision: f.vision,
          startMonth: f.startMonth,
          capacity: { staffDaysPerMonth: f.staffDaysPerMonth, budgetPerYear: f.budgetPerYear },
          governance: { steering: f.steering, reportingCycle: f.reportingCycle },
        },
        summary: { key: 'strategy.change.settings', params: {} },
      };
    }
  }
}

export type EditOutcome =
  | { ok: true; revision: number }
  | {
      ok: false;
      /** The newer revisions that changed what this edit changes. */
      conflict: { revision: number; by: string | null; at: Date }[];
      current: repo.StrategyRow;
    };

/**
 * Apply the team's edit made on `baseRevision`. When colleagues saved revisions since, the edit still applies
 * if none of them changed the same parts (a measure, a goal, the order, the settings); otherwise nothing is
 * saved and the conflicting revisions are returned (the page shows both values and lets the person choose).
 */
export async function editStrategy(
  db: Db,
  actor: Actor,
  id: number,
  baseRevision: number,
  edit: Edit,
): Promise<EditOutcome> {
  const action = edit.kind === 'progress' ? STRATEGY_ACTION.track : STRATEGY_ACTION.edit;
  await authorised(db, actor, id, action);
  return db.transaction(async (tx) => {
    const row = await repo.lockStrategy(tx, id);
    if (!row) throw new NotFoundError(text('strategy.err.noSuchStrategy', { id }));
    if (edit.kind !== 'progress' && row.status !== 'draft') throw new ConflictError(text('strategy.err.notDraft'));
    if (edit.kind === 'progress' && row.status === 'superseded')
      throw new ConflictError(text('strategy.err.superseded'));
    const parts = partsOf(edit, row.content);
    if (parts.length === 0) return { ok: true, revision: row.revision };
    if (baseRevision !== row.revision) {
      const since = await repo.changedSince(tx, id, baseRevision);
      const clash = since.filter((s) => s.changed.some((c) => c === '*' || parts.includes(c)));
      if (clash.length > 0) {
        return {
          ok: false,
          conflict: clash.map((c) => ({ revision: c.revision, by: c.changedByEmail, at: c.changedAt })),
          current: row,
        };
      }
    }
    const catalogue = loadMeasures(row.content.catalogueVersion);
    const { content, summary } = applyEdit(row.content, edit, catalogue);
    const revision = await repo.saveContent(tx, id, row.revision, content, parts, summary, actor.id);
    if (edit.kind === 'progress') {
      await publish(tx, STRATEGY_EVENTS.measureStatusChanged, { strategyId: id, measureId: edit.measureId });
    }
    return { ok: true, revision };
  });
}

// ---------------------------------------------------------------------------------------------
// Status: submitted to the council, adopted, published, a new version

export function parseDate(input: string): string | null {
  const s = input.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (de) [y, m, d] = [Number(de[3]), Number(de[2]), Number(de[1])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export interface AdoptionFields {
  adoptedOn: string;
  decisionNumber: string;
  councilUrl: string;
}

export function parseAdoption(raw: RawFields, today: string): AdoptionFields {
  const errors = [];
  const adoptedOn = parseDate(raw.adoptedOn ?? '');
  if (!adoptedOn) errors.push(fieldError('adoptedOn', 'strategy.err.date'));
  else if (adoptedOn > today) errors.push(fieldError('adoptedOn', 'strategy.err.future'));
  const decisionNumber = (raw.decisionNumber ?? '').trim();
  if (decisionNumber.length > 100) errors.push(fieldError('decisionNumber', 'strategy.err.tooLong', { max: 100 }));
  const councilUrl = (raw.councilUrl ?? '').trim();
  if (councilUrl.length > 1000) errors.push(fieldError('councilUrl', 'strategy.err.tooLong', { max: 1000 }));
  else if (councilUrl !== '') {
    let ok = false;
    try {
      const u = new URL(councilUrl);
      ok = u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      ok = false;
    }
    if (!ok) errors.push(fieldError('councilUrl', 'strategy.err.url'));
  }
  if (errors.length) throw new ValidationError(errors);
  return { adoptedOn: adoptedOn!, decisionNumber, councilUrl };
}

async function decide(db: Db, actor: Actor, id: number, fn: (tx: Db, row: repo.StrategyRow) => Promise<void>) {
  await authorised(db, actor, id, STRATEGY_ACTION.decide);
  await db.transaction(async (tx) => {
    const row = await repo.lockStrategy(tx, id);
    if (!row) throw new NotFoundError(text('strategy.err.noSuchStrategy', { id }));
    await fn(tx, row);
  });
}

/** Draft → submitted to the council (on a date, default today); the plan can no longer be edited. */
export async function submitToCouncil(db: Db, actor: Actor, id: number, on: string) {
  await decide(db, actor, id, async (tx, row) => {
    if (row.status !== 'draft') throw new ConflictError(text('strategy.err.notDraft'));
    await repo.setStatus(tx, id, { status: 'submitted', submittedOn: on });
    await recordAudit(tx, audit('strategy.submitted', row, actor, { status: 'submitted', submittedOn: on }));
  });
}

/** Submitted → back to draft (the council asked for changes). */
export async function backToDraft(db: Db, actor: Actor, id: number) {
  await decide(db, actor, id, async (tx, row) => {
    if (row.status !== 'submitted') throw new ConflictError(text('strategy.err.notSubmitted'));
    await repo.setStatus(tx, id, { status: 'draft', submittedOn: null });
    await recordAudit(tx, audit('strategy.back-to-draft', row, actor, { status: 'draft' }));
  });
}

/** Draft or submitted → adopted by the council (frozen); an older adopted version becomes superseded. */
export async function adopt(db: Db, actor: Actor, id: number, f: AdoptionFields) {
  await decide(db, actor, id, async (tx, row) => {
    if (row.status !== 'draft' && row.status !== 'submitted')
      throw new ConflictError(text('strategy.err.alreadyAdopted'));
    if (row.content.items.length === 0) throw new ValidationError([fieldError('adoptedOn', 'strategy.err.empty')]);
    await repo.supersedeOlder(tx, row.orgId!, id);
    await repo.setStatus(tx, id, {
      status: 'adopted',
      ...(row.submittedOn ? {} : { submittedOn: f.adoptedOn }),
      adoptedOn: f.adoptedOn,
      decisionNumber: f.decisionNumber || null,
      councilUrl: f.councilUrl || null,
    });
    await recordAudit(tx, audit('strategy.adopted', row, actor, { status: 'adopted', ...f }));
    await publish(tx, STRATEGY_EVENTS.adopted, { strategyId: id, regionKey: row.regionKey });
  });
}

/** Publish an adopted strategy (`/kommunen/:key/strategie`) or withdraw it. */
export async function setPublished(db: Db, actor: Actor, id: number, published: boolean) {
  await decide(db, actor, id, async (tx, row) => {
    if (row.status !== 'adopted' && row.status !== 'superseded')
      throw new ConflictError(text('strategy.err.publishDraft'));
    await repo.setPublished(tx, id, row.regionKey, published);
    await recordAudit(tx, audit(published ? 'strategy.published' : 'strategy.withdrawn', row, actor, { published }));
    await publish(tx, STRATEGY_EVENTS.published, { strategyId: id, regionKey: row.regionKey, published });
  });
}

/** A new version of an adopted strategy: a draft with its content (the adopted one stays as it is). */
export async function newVersion(db: Db, actor: Actor, id: number): Promise<{ id: number; existing: boolean }> {
  const { row } = await authorised(db, actor, id, STRATEGY_ACTION.create);
  if (row.status !== 'adopted') throw new ConflictError(text('strategy.err.notAdopted'));
  return db.transaction(async (tx) => {
    const open = await repo.openStrategyOfOrg(tx, row.orgId!);
    if (open) return { id: open.id, existing: true };
    const newId = await repo.insertStrategy(tx, {
      orgId: row.orgId!,
      regionKey: row.regionKey,
      checkId: row.checkId,
      previousId: row.id,
      content: row.content,
      stateKey: row.stateKey,
      sizeClass: row.sizeClass,
      createdBy: actor.id,
      summary: { key: 'strategy.change.newVersion', params: { adoptedOn: row.adoptedOn ?? '' } },
    });
    return { id: newId, existing: false };
  });
}

function audit(action: string, row: repo.StrategyRow, actor: Actor, after: Record<string, unknown>) {
  return {
    action,
    entity: 'strategy',
    entityId: row.id,
    orgId: row.orgId,
    actorUserId: actor.id,
    before: { status: row.status, published: row.published },
    after,
  };
}

// ---------------------------------------------------------------------------------------------
// Versions and their diff

export async function history(
  db: Db,
  actor: Actor,
  id: number,
): Promise<{ row: repo.StrategyRow; revisions: repo.RevisionRow[] }> {
  const { row } = await authorised(db, actor, id, STRATEGY_ACTION.track);
  return { row, revisions: await repo.revisions(db, id) };
}

export async function revisionPair(db: Db, actor: Actor, id: number, a: number, b: number) {
  const { row } = await authorised(db, actor, id, STRATEGY_ACTION.track);
  const [ra, rb] = await Promise.all([repo.revision(db, id, a), repo.revision(db, id, b)]);
  if (!ra || !rb) throw new NotFoundError(text('strategy.err.noSuchRevision'));
  return { row, a: ra, b: rb };
}

/** A readable diff between two contents: one reason (sentence) per change. */
export function diffContents(a: StrategyContent, b: StrategyContent): Reason[] {
  const out: Reason[] = [];
  const field = (
    key: 'owner' | 'durationMonths' | 'effortDays' | 'costOneOff' | 'costPerYear',
    from: string | number,
    to: string | number,
    measure: string,
  ) => {
    if (from !== to) out.push({ key: `strategy.diff.${key}`, params: { measure, from, to } });
  };
  if (a.title !== b.title)
    out.push({ key: 'strategy.diff.title', params: { from: a.title || '–', to: b.title || '–' } });
  if (a.vision !== b.vision) out.push({ key: 'strategy.diff.vision', params: {} });
  if (a.startMonth !== b.startMonth)
    out.push({ key: 'strategy.diff.start', params: { from: a.startMonth, to: b.startMonth } });
  if (a.capacity.staffDaysPerMonth !== b.capacity.staffDaysPerMonth) {
    out.push({
      key: 'strategy.diff.staff',
      params: { from: a.capacity.staffDaysPerMonth, to: b.capacity.staffDaysPerMonth },
    });
  }
  if (a.capacity.budgetPerYear !== b.capacity.budgetPerYear) {
    out.push({ key: 'strategy.diff.budget', params: { from: a.capacity.budgetPerYear, to: b.capacity.budgetPerYear } });
  }
  if (a.governance.steering !== b.governance.steering || a.governance.reportingCycle !== b.governance.reportingCycle) {
    out.push({ key: 'strategy.diff.governance', params: {} });
  }
  for (const g of b.goals) {
    const old = a.goals.find((x) => x.dimension === g.dimension);
    if (old && old.targetLevel !== g.targetLevel) {
      out.push({
        key: 'strategy.diff.goal',
        params: { dimension: g.dimension, from: old.targetLevel, to: g.targetLevel },
      });
    }
  }
  const aIds = new Set(a.items.map((i) => i.measureId));
  const bIds = new Set(b.items.map((i) => i.measureId));
  for (const i of b.items)
    if (!aIds.has(i.measureId)) out.push({ key: 'strategy.diff.added', params: { measure: i.measureId } });
  for (const i of a.items)
    if (!bIds.has(i.measureId)) out.push({ key: 'strategy.diff.removed', params: { measure: i.measureId } });
  for (const i of b.items) {
    const old = a.items.find((x) => x.measureId === i.measureId);
    if (!old) continue;
    const m = i.measureId;
    const startA = monthIndex(a.startMonth) + old.startMonth;
    const startB = monthIndex(b.startMonth) + i.startMonth;
    if (startA !== startB) {
      out.push({
        key: 'strategy.diff.itemStart',
        params: { measure: m, from: monthString(startA), to: monthString(startB) },
      });
    }
    field('durationMonths', old.durationMonths, i.durationMonths, m);
    field('owner', old.owner || '–', i.owner || '–', m);
    field('effortDays', old.effortDays, i.effortDays, m);
    field('costOneOff', old.costOneOff, i.costOneOff, m);
    field('costPerYear', old.costPerYear, i.costPerYear, m);
    if (old.status !== i.status) {
      out.push({ key: 'strategy.diff.status', params: { measure: m, statusFrom: old.status, statusTo: i.status } });
    }
    if (old.note !== i.note) out.push({ key: 'strategy.diff.note', params: { measure: m } });
  }
  const orderA = a.items.map((i) => i.measureId).filter((id) => bIds.has(id));
  const orderB = b.items.map((i) => i.measureId).filter((id) => aIds.has(id));
  if (orderA.join() !== orderB.join()) out.push({ key: 'strategy.diff.order', params: {} });
  return out;
}

const monthString = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

// ---------------------------------------------------------------------------------------------
// The council document

/** The generated title, vision and steering where the team wrote none. */
export function documentTexts(
  content: StrategyContent,
  t: Translate,
  regionName: string,
): { title: string; vision: string; steering: string } {
  return {
    title: content.title || t('strategy.doc.defaultTitle', { name: regionName }),
    vision: content.vision || t('strategy.doc.defaultVision', { name: regionName }),
    steering: content.governance.steering || t('strategy.doc.defaultSteering'),
  };
}

export async function documentInput(
  db: Db,
  actor: Actor | null,
  id: number,
  lang: Lang,
  t: Translate,
  now: Date,
): Promise<StrategyDocumentInput> {
  const { row } = await authorised(db, actor, id);
  return documentInputOf(db, row, lang, t, now);
}

export async function documentInputOf(
  db: Db,
  row: repo.StrategyRow,
  lang: Lang,
  t: Translate,
  now: Date,
): Promise<StrategyDocumentInput> {
  const { region } = await getRegion(db, row.regionKey);
  const state = await getRegion(db, row.regionKey.slice(0, 2)).catch(() => null);
  const catalogue = loadMeasures(row.content.catalogueVersion);
  const model = loadModel(row.content.modelVersion);
  const check = row.checkId === null ? null : await checkFacts(db, row.checkId);
  const peers = check ? await checkPeerGroups(db, check.id) : [];
  const name = displayName(region.name);
  const texts = documentTexts(row.content, t, name);
  return {
    lang,
    t,
    region: {
      key: region.key,
      name,
      designation: splitName(region.name).title,
      population: region.population,
      stateName: state ? displayName(state.region.name) : '',
    },
    strategy: {
      id: row.id,
      status: row.status,
      revision: row.revision,
      submittedOn: row.submittedOn,
      adoptedOn: row.adoptedOn,
      decisionNumber: row.decisionNumber,
      councilUrl: row.councilUrl,
      updatedAt: row.updatedAt,
      isDemo: row.isDemo,
    },
    ...texts,
    content: row.content,
    catalogue,
    model,
    check: {
      submittedAt: check?.submittedAt ?? row.createdAt,
      overall: check?.overall ?? null,
      level: check?.level ?? null,
      byDimension:
        check?.byDimension ?? Object.fromEntries(row.content.goals.map((g) => [g.dimension, g.currentScore])),
      peers: peers.map((p) => ({ name: peerGroupName(t, lang, p), n: p.n, q1: p.q1, median: p.median, q3: p.q3 })),
    },
    capacity: capacityReport(row.content.items, row.content.capacity, row.content.startMonth),
    generatedAt: now,
  };
}

/** Which goals a later check reached: dimension → reached (null: the later check has no score there). */
export function goalsReached(
  content: StrategyContent,
  byDimension: Record<string, number | null>,
): Record<string, { level: Level | null; reached: boolean }> {
  const out: Record<string, { level: Level | null; reached: boolean }> = {};
  for (const g of content.goals) {
    const s = byDimension[g.dimension];
    const level = s === null || s === undefined ? null : levelForScore(s);
    out[g.dimension] = { level, reached: level !== null && level >= g.targetLevel };
  }
  return out;
}

export type { Capacity };

// ---------------------------------------------------------------------------------------------
// Links of measures to practice projects and solutions (for the atlas and the market)

/** Record that a practice project or solution implements a catalogue measure (idempotent). */
export async function linkMeasure(db: Db, measureId: string, kind: 'practice' | 'solution', refId: string) {
  if (!loadMeasures().measures.some((m) => m.id === measureId)) {
    throw new ValidationError([fieldError('measure', 'strategy.err.unknownMeasure')]);
  }
  await repo.addMeasureLink(db, measureId, kind, refId);
}

export async function unlinkMeasure(db: Db, measureId: string, kind: 'practice' | 'solution', refId: string) {
  await repo.removeMeasureLink(db, measureId, kind, refId);
}

export async function measureLinks(db: Db, measureIds: readonly string[]) {
  return repo.measureLinks(db, measureIds);
}

/** The catalogue measures a workspace has done (status "done" in any of its strategies), e.g. for peer mentors. */
export async function measuresDoneByOrg(db: Db, orgId: number): Promise<string[]> {
  const done = new Set<string>();
  for (const s of await repo.strategiesOfOrg(db, orgId)) {
    for (const i of s.content.items) if (i.status === 'done') done.add(i.measureId);
  }
  return [...done].sort();
}

// ---------------------------------------------------------------------------------------------
// Demo data

/** A number 0..99 from a region key: the same demo data for the same demo checks. */
function demoDice(key: string): number {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return Math.abs(h) % 100;
}

/**
 * Demo strategies follow the demo checks (lotse seed demo): one draft per demo check, of which about 40 % are
 * adopted (three months after the check) with their first measures done — so that a fresh installation's
 * Lagebild shows the strategy figures, marked as demo data. Removing the demo checks removes them too.
 */
export async function syncDemoStrategies(db: Db, now: Date): Promise<number> {
  await repo.deleteDemoStrategies(db);
  const catalogue = loadMeasures();
  const checks = await demoCheckFacts(db);
  const today = now.toISOString().slice(0, 10);
  let n = 0;
  for (const c of checks) {
    if (!c.sizeClass || c.modelVersion !== catalogue.modelVersion) continue;
    const model = loadModel(c.modelVersion);
    const dice = demoDice(c.regionKey);
    const content = draftStrategy({
      model,
      catalogue,
      questionIds: c.answers.map((a) => a.questionId),
      levels: new Map(c.answers.map((a) => [a.questionId, a.level])),
      dimensionScores: c.byDimension,
      peers: null,
      sizeClass: c.sizeClass as SizeClass,
      kind: ((REGION_KINDS as readonly string[]).includes(c.regionType ?? '')
        ? c.regionType
        : 'gemeinde') as RegionKind,
      startMonth: nextMonth(c.submittedAt),
    });
    const adopted = dice < 40;
    const done = adopted ? dice % 4 : 0;
    content.items = content.items.map((i, k) => (k < done ? { ...i, status: 'done' as const } : i));
    const adoptedOn = new Date(c.submittedAt.getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
    await repo.insertDemoStrategy(db, {
      regionKey: c.regionKey,
      checkId: c.id,
      content,
      stateKey: c.stateKey,
      sizeClass: c.sizeClass,
      // ISO dates compare as strings: the earlier of the two.
      adoptedOn: adopted ? [adoptedOn, today].sort()[0]! : null,
    });
    n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Personal data and demo data

export const exportPersonalData = repo.personalRows;
export const erasePersonalData = repo.erasePerson;
export const deleteDemoStrategies = repo.deleteDemoStrategies;
