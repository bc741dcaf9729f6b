/**
 * Use cases of the conformance registry (issue 11): a workspace registers an artefact — an endpoint URL or an
 * uploaded file — with the standard it claims; the platform checks it in the background right away, again on a
 * schedule and on demand (rate-limited per artefact), and stores every check (history kept, never overwritten).
 *
 * The validators, the safe fetcher and the solution market's ownership question are injected
 * (`ConformanceWiring`), so that this part depends only on the contract in `types.ts`.
 */
import { performance } from 'node:perf_hooks';
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal, orgById } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  fieldError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.js';
import { publish } from '../../platform/events/events.js';
import { text } from '../../platform/i18n/i18n.js';
import type { Tasks } from '../../platform/module.js';
import { authorize, can, type Principal, type Resource } from '../../platform/policy.js';
import { CONFORMANCE_ACTION } from './actions.js';
import * as repo from './conformance.repository.js';
import { CONFORMANCE_EVENTS } from './events.js';
import {
  type BadgeVerdict,
  badgesBy,
  cleanFileName,
  demandAllowedAt,
  inputOf,
  isRunning,
  isStandard,
  nextCheckAt,
  normaliseUrl,
  notCheckable,
  type StoredCheck,
  sha256Hex,
  storedCheckOf,
} from './registry.model.js';
import type { ConformanceSettings } from './settings.js';
import {
  type Artefact,
  type CheckStandard,
  type Fetcher,
  FetchRefused,
  type Validator,
  type ValidatorOptions,
} from './types.js';

export type { ArtefactRow, CheckRow, CheckTrigger, CheckWithFindings } from './conformance.repository.js';

/** Is the solution `solutionId` one of workspace `workspaceId`'s own? (Asked of the solution market.) */
export type OwnsSolution = (db: Db, workspaceId: number, solutionId: number) => Promise<boolean>;

/** What the lead wires after the merge: the four validators, the safe fetcher, the solution market's answer. */
export interface ConformanceWiring {
  validators: Partial<Record<CheckStandard, Validator>>;
  fetch: Fetcher;
  ownsSolution: OwnsSolution;
  /** Limits handed to the crawlers (OParl: objects, politeness, deadline). */
  validatorOptions?: Omit<ValidatorOptions, 'fetch'>;
}

export interface ConformanceDeps extends ConformanceWiring {
  db: Db;
  tasks: Tasks;
  clock: () => Date;
  settings: ConformanceSettings;
}

export interface RegisterInput {
  /** The registering workspace; null: the person's first workspace of the kind the subject needs. */
  orgId: number | null;
  /** The municipality's own endpoint (its workspace's region), or a solution of the provider workspace. */
  subject: { kind: 'region' } | { kind: 'solution'; solutionId: number };
  standard: string;
  url?: string | null;
  file?: { name: string; bytes: Uint8Array; mediaType?: string | null } | null;
}

/** "Jetzt erneut prüfen" came too soon after the last check (429, with the time it is possible again). */
export class TooSoonError extends AppError {
  constructor(
    readonly allowedAt: Date,
    readonly retryAfterS: number,
  ) {
    super(
      429,
      'too-many-requests',
      'error.tooMany',
      text('market.conformance.err.tooSoon', { minutes: Math.max(1, Math.ceil(retryAfterS / 60)) }),
      [],
      { retryAfter: retryAfterS },
    );
  }
}

export interface ArtefactView {
  artefact: repo.ArtefactRow;
  /** The latest check (the badge), with its findings. */
  latest: repo.CheckWithFindings | null;
  /** The check whose findings the page shows (the latest unless one was asked for). */
  shown: repo.CheckWithFindings | null;
  history: repo.CheckRow[];
  running: boolean;
  canRecheck: boolean;
  canRemove: boolean;
  /** When "Jetzt erneut prüfen" is possible again; null: now. */
  demandAllowedAt: Date | null;
}

export interface ConformanceService {
  readonly deps: ConformanceDeps;
  /** Register an artefact and start its first check in the background; returns the artefact's id. */
  register(actor: Actor, input: RegisterInput): Promise<number>;
  /** "Jetzt erneut prüfen": claim the artefact and check it in the background (rate-limited). */
  recheck(actor: Actor, id: number): Promise<void>;
  /** Take a registration off: no more checks, no badge; the page and its history stay. */
  remove(actor: Actor, id: number): Promise<void>;
  /** Check an artefact that was claimed for this run and store the check; returns the check's id (null: gone). */
  runClaimed(id: number, trigger: repo.CheckTrigger): Promise<number | null>;
  /** The scheduled re-check: claim up to `batchSize` due artefacts and check them one after another. */
  runDue(): Promise<number>;
  view(actor: Actor | null, id: number, checkId?: number | null): Promise<ArtefactView>;
  list(filter: Omit<repo.ArtefactFilter, 'limit' | 'offset'> & { limit?: number; offset?: number }): Promise<{
    total: number;
    rows: (repo.ArtefactRow & { latest: repo.CheckRow | null; running: boolean })[];
  }>;
  /** The workspaces the person may register for (municipal: own region; provider: own solutions). */
  workspacesFor(actor: Actor): Promise<{ id: number; kind: 'region' | 'provider'; name: string }[]>;
}

const stateOf = (a: repo.ArtefactRow) => (a.regionKey ? a.regionKey.slice(0, 2) : null);
const resourceOf = (a: repo.ArtefactRow): Resource => ({ orgId: a.orgId, stateKey: stateOf(a), status: a.status });

/** No validator for the standard is wired on this instance. */
const NO_VALIDATOR = 'kein Prüfprogramm';

/** Resolves with `p`, or rejects after `ms` (the timer does not keep the process alive). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FetchRefused('timeout', `Die Prüfung dauerte länger als ${ms / 1000} s.`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function createConformanceService(deps: ConformanceDeps): ConformanceService {
  const { db, settings } = deps;

  async function chooseWorkspace(p: Principal, orgId: number | null, kind: 'region' | 'provider') {
    const m = p.memberships.find((x) => (orgId === null ? x.kind === kind : x.orgId === orgId));
    if (!m) {
      if (orgId !== null && !(await orgById(db, orgId))) {
        throw new NotFoundError(text('market.conformance.err.noSuchWorkspace'));
      }
      throw new ForbiddenError(
        text(
          kind === 'region' ? 'market.conformance.err.regionMembersOnly' : 'market.conformance.err.providerMembersOnly',
        ),
      );
    }
    const org = await orgById(db, m.orgId);
    if (!org) throw new NotFoundError(text('market.conformance.err.noSuchWorkspace'));
    return org;
  }

  async function loadArtefact(id: number): Promise<repo.ArtefactRow> {
    const a = Number.isSafeInteger(id) && id > 0 ? await repo.artefactById(db, id) : null;
    if (!a) throw new NotFoundError(text('market.conformance.err.noSuchArtefact', { id }));
    return a;
  }

  async function execute(a: repo.ArtefactRow): Promise<StoredCheck> {
    const validator = deps.validators[a.standard];
    if (!validator) {
      return notCheckable(
        a.standard,
        NO_VALIDATOR,
        'Für diesen Standard ist hier noch kein Prüfprogramm eingerichtet.',
      );
    }
    let artefact: Artefact;
    if (a.url) artefact = { kind: 'url', url: a.url };
    else {
      const bytes = await repo.artefactBytes(db, a.id);
      if (!bytes) return notCheckable(a.standard, validator.validatorVersion, 'Die Datei ist nicht mehr gespeichert.');
      artefact = {
        kind: 'bytes',
        name: a.fileName ?? 'datei',
        bytes,
        ...(a.fileMediaType ? { mediaType: a.fileMediaType } : {}),
      };
    }
    try {
      const report = await withTimeout(
        validator.check(artefact, { ...deps.validatorOptions, fetch: deps.fetch }),
        settings.checkTimeoutMs,
      );
      return storedCheckOf(
        { ...report, validatorVersion: report.validatorVersion || validator.validatorVersion },
        a.standard,
      );
    } catch (err) {
      // Validators report bad input as findings; what reaches here is a refusal of the fetcher or a fault.
      const reason =
        err instanceof FetchRefused
          ? err.message
          : `Das Prüfprogramm ist mit einem Fehler abgebrochen: ${(err as Error)?.message ?? String(err)}`;
      return notCheckable(a.standard, validator.validatorVersion, reason);
    }
  }

  const service: ConformanceService = {
    deps,

    async register(actor, input) {
      const p = await loadPrincipal(db, actor);
      const kind = input.subject.kind === 'region' ? 'region' : 'provider';
      const org = await chooseWorkspace(p, input.orgId, kind);
      let regionKey: string | null = null;
      let solutionId: number | null = null;
      if (input.subject.kind === 'region') {
        authorize(p, CONFORMANCE_ACTION.registerRegion, { orgId: org.id });
        if (org.kind !== 'region' || !org.regionKey)
          throw new ForbiddenError(text('market.conformance.err.regionMembersOnly'));
        regionKey = org.regionKey;
      } else {
        authorize(p, CONFORMANCE_ACTION.registerSolution, { orgId: org.id });
        solutionId = input.subject.solutionId;
        if (
          !Number.isSafeInteger(solutionId) ||
          solutionId <= 0 ||
          !(await deps.ownsSolution(db, org.id, solutionId))
        ) {
          throw new ForbiddenError(text('market.conformance.err.notYourSolution'));
        }
      }
      // The input: exactly one of URL and file.
      const errors = [];
      if (!isStandard(input.standard)) errors.push(fieldError('standard', 'market.conformance.err.standard'));
      const hasUrl = typeof input.url === 'string' && input.url.trim() !== '';
      const hasFile = !!input.file && input.file.bytes.byteLength > 0;
      let url: string | null = null;
      if (hasUrl && hasFile) errors.push(fieldError('url', 'market.conformance.err.urlOrFile'));
      else if (!hasUrl && !hasFile) {
        errors.push(
          input.file
            ? fieldError('file', 'market.conformance.err.fileEmpty')
            : fieldError('url', 'market.conformance.err.urlOrFile'),
        );
      } else if (hasUrl) {
        const n = normaliseUrl(input.url!);
        if ('problem' in n) errors.push(fieldError('url', `market.conformance.err.url.${n.problem}`));
        else url = n.url;
      } else if (input.file!.bytes.byteLength > settings.maxUploadBytes) {
        errors.push(
          fieldError('file', 'market.conformance.err.fileTooLarge', {
            max: `${Math.round(settings.maxUploadBytes / 1024 / 1024)} MB`,
          }),
        );
      }
      if (errors.length) throw new ValidationError(errors);
      const standard = input.standard as CheckStandard;
      const file =
        hasFile && !url
          ? {
              name: cleanFileName(input.file!.name),
              mediaType: input.file!.mediaType?.slice(0, 200) || null,
              bytes: input.file!.bytes,
              sha256: sha256Hex(input.file!.bytes),
            }
          : null;
      const now = deps.clock();
      const id = await db.transaction(async (tx) => {
        const dup = await repo.findActiveDuplicate(tx, {
          subjectKind: input.subject.kind,
          regionKey,
          solutionId,
          standard,
          input: url ?? file!.sha256,
        });
        if (dup !== null)
          throw new ConflictError(text('market.conformance.err.duplicate', { id: dup }), { artefactId: dup });
        const id = await repo.insertArtefact(tx, {
          orgId: org.id,
          registeredBy: actor.id,
          subjectKind: input.subject.kind,
          regionKey,
          solutionId,
          standard,
          url,
          file,
          now,
        });
        await recordAudit(tx, {
          action: 'conformance.register',
          entity: 'conformance_artefact',
          entityId: id,
          orgId: org.id,
          actorUserId: actor.id,
          after: {
            standard,
            subject: regionKey ?? `solution:${solutionId}`,
            input: url ?? `sha256:${file!.sha256}`,
          },
        });
        await publish(tx, CONFORMANCE_EVENTS.changed, { artefactId: id });
        return id;
      });
      // The first check runs after the answer; the page says "Prüfung läuft" meanwhile.
      deps.tasks.run('conformance.check', () => service.runClaimed(id, 'registered'));
      return id;
    },

    async recheck(actor, id) {
      const a = await loadArtefact(id);
      const p = await loadPrincipal(db, actor);
      authorize(p, CONFORMANCE_ACTION.recheck, resourceOf(a));
      await db.transaction(async (tx) => {
        const row = await repo.lockArtefact(tx, id);
        if (!row) throw new NotFoundError(text('market.conformance.err.noSuchArtefact', { id }));
        if (row.status !== 'active') throw new ConflictError(text('market.conformance.err.removed'));
        const now = deps.clock();
        if (isRunning(row.runningSince, now, settings.leaseMs)) {
          throw new ConflictError(text('market.conformance.err.running'));
        }
        const allowedAt = demandAllowedAt(row.lastStartedAt, now, settings.demandIntervalMs);
        if (allowedAt) throw new TooSoonError(allowedAt, Math.ceil((allowedAt.getTime() - now.getTime()) / 1000));
        await repo.claim(tx, id, now);
        await recordAudit(tx, {
          action: 'conformance.recheck',
          entity: 'conformance_artefact',
          entityId: id,
          orgId: row.orgId,
          actorUserId: actor.id,
        });
      });
      deps.tasks.run('conformance.check', () => service.runClaimed(id, 'demand'));
    },

    async remove(actor, id) {
      const a = await loadArtefact(id);
      const p = await loadPrincipal(db, actor);
      authorize(p, CONFORMANCE_ACTION.remove, resourceOf(a));
      await db.transaction(async (tx) => {
        if (!(await repo.removeArtefact(tx, id, deps.clock()))) {
          throw new ConflictError(text('market.conformance.err.removed'));
        }
        await recordAudit(tx, {
          action: 'conformance.remove',
          entity: 'conformance_artefact',
          entityId: id,
          orgId: a.orgId,
          actorUserId: actor.id,
          before: { status: 'active' },
          after: { status: 'removed' },
        });
        await publish(tx, CONFORMANCE_EVENTS.changed, { artefactId: id });
      });
    },

    async runClaimed(id, trigger) {
      const a = await repo.artefactById(db, id);
      if (a?.status !== 'active') return null;
      const t0 = performance.now();
      const stored = await execute(a);
      const durationMs = Math.max(0, Math.round(performance.now() - t0));
      const checkedAt = deps.clock();
      return db.transaction(async (tx) => {
        const checkId = await repo.insertCheck(tx, {
          artefactId: id,
          checkedAt,
          ...stored,
          input: inputOf(a),
          trigger,
          durationMs,
        });
        await repo.finishRun(tx, id, nextCheckAt(checkedAt, stored.verdict, settings));
        await publish(tx, CONFORMANCE_EVENTS.checked, {
          artefactId: id,
          checkId,
          standard: a.standard,
          verdict: stored.verdict,
          regionKey: a.regionKey,
          solutionId: a.solutionId,
        });
        return checkId;
      });
    },

    async runDue() {
      const now = deps.clock();
      const ids = await db.transaction((tx) => repo.claimDue(tx, now, settings.leaseMs, settings.batchSize));
      for (const id of ids) await service.runClaimed(id, 'schedule');
      return ids.length;
    },

    async view(actor, id, checkId = null) {
      const artefact = await loadArtefact(id);
      const [latest, history, p] = await Promise.all([
        repo.latestCheck(db, id),
        repo.checksOf(db, id),
        actor ? loadPrincipal(db, actor) : Promise.resolve(null),
      ]);
      let shown = latest;
      if (checkId !== null && checkId !== latest?.id) {
        shown = await repo.checkById(db, id, checkId);
        if (!shown) throw new NotFoundError(text('market.conformance.err.noSuchCheck', { id: checkId }));
      }
      const now = deps.clock();
      const active = artefact.status === 'active';
      return {
        artefact,
        latest,
        shown,
        history,
        running: active && isRunning(artefact.runningSince, now, settings.leaseMs),
        canRecheck: active && can(p, CONFORMANCE_ACTION.recheck, resourceOf(artefact)),
        canRemove: active && can(p, CONFORMANCE_ACTION.remove, resourceOf(artefact)),
        demandAllowedAt: demandAllowedAt(artefact.lastStartedAt, now, settings.demandIntervalMs),
      };
    },

    async list(filter) {
      const { total, rows } = await repo.listArtefacts(db, {
        ...filter,
        limit: Math.min(Math.max(filter.limit ?? 50, 1), 200),
        offset: Math.max(filter.offset ?? 0, 0),
      });
      const latest = await repo.latestChecks(
        db,
        rows.map((r) => r.id),
      );
      const now = deps.clock();
      return {
        total,
        rows: rows.map((r) => ({
          ...r,
          latest: latest.get(r.id) ?? null,
          running: r.status === 'active' && isRunning(r.runningSince, now, settings.leaseMs),
        })),
      };
    },

    async workspacesFor(actor) {
      const p = await loadPrincipal(db, actor);
      const out: { id: number; kind: 'region' | 'provider'; name: string }[] = [];
      for (const m of p.memberships) {
        if (m.kind !== 'region' && m.kind !== 'provider') continue;
        const org = await orgById(db, m.orgId);
        if (org && (m.kind === 'provider' || org.regionKey)) out.push({ id: org.id, kind: m.kind, name: org.name });
      }
      return out;
    },
  };
  return service;
}

// ---------------------------------------------------------------------------------------------
// What other parts use (badges only from checks)

export type { BadgeVerdict } from './registry.model.js';

/**
 * Per solution and standard, the badge: from the latest check of each of the solution's active artefacts
 * (conformant when one is conformant by its latest check, else the latest verdict). Solutions without a check
 * are absent. Never from a claim.
 */
export async function verdictsForSolutions(
  db: Db,
  solutionIds: readonly number[],
): Promise<Map<number, Map<CheckStandard, BadgeVerdict>>> {
  const rows = await repo.latestVerdictsOfSolutions(db, [...new Set(solutionIds)]);
  return badgesBy(rows, (r) => r.solutionId!);
}

/** Per standard, the badge of a municipality's own endpoints (as `verdictsForSolutions`). */
export async function verdictsForRegion(db: Db, regionKey: string): Promise<Map<CheckStandard, BadgeVerdict>> {
  const rows = await repo.latestVerdictsOfRegion(db, regionKey);
  return badgesBy(rows, () => regionKey).get(regionKey) ?? new Map();
}

/** Ids of solutions whose latest check of `standard` (null: of any) is conformant (the market's filter). */
export function conformantSolutionIds(db: Db, standard: CheckStandard | null): Promise<number[]> {
  return repo.conformantSolutionIds(db, standard);
}
