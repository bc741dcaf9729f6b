/**
 * Use cases of the standards catalogue: the catalogue with the centre's current recommendations, one standard
 * with the measures that use it and the recommendations that name it, and publishing a recommendation for a
 * sector (an advisor of the centre; the sector's current recommendation is superseded and stays as history).
 */
import { loadModel, type MaturityModel } from '../../assessment/index.js';
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import {
  ConflictError,
  type FieldError,
  fieldError,
  isUniqueViolation,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.js';
import { text } from '../../platform/i18n/i18n.js';
import { authorize, can } from '../../platform/policy.js';
import { loadMeasures, type Measure } from '../../strategy/index.js';
import { STANDARDS_ACTION } from './actions.js';
import {
  loadStandards,
  OBLIGATIONS,
  type ObligationStatus,
  type Standard,
  type StandardsCatalogue,
} from './catalogue.js';
import * as repo from './standards.repository.js';

export type { RecommendationRow } from './standards.repository.js';

/** Limits of a recommendation (the migration's checks are the last line). */
export const RECOMMENDATION_LIMITS = { rationale: 5000, standards: 100 } as const;

/** The newest catalogue and the maturity model whose sectors it uses. */
export function currentCatalogue(): { catalogue: StandardsCatalogue; model: MaturityModel } {
  const catalogue = loadStandards();
  return { catalogue, model: loadModel(catalogue.modelVersion) };
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface StandardsFilter {
  sector?: string;
  obligation?: ObligationStatus;
}

/**
 * Reads a filter from raw values: empty means "all"; a sector that is not one of the model's or an obligation
 * that is not `mandatory`/`recommended` is a field error naming the value (under the given field names).
 */
export function parseStandardsFilter(
  raw: { sector?: string; obligation?: string },
  model: Pick<MaturityModel, 'sectors'>,
  fields: { sector: string; obligation: string } = { sector: 'sector', obligation: 'obligation' },
): { filter: StandardsFilter; errors: FieldError[] } {
  const filter: StandardsFilter = {};
  const errors: FieldError[] = [];
  const shown = (v: string) => (v.length > 40 ? `${v.slice(0, 39)}…` : v);
  const sector = (raw.sector ?? '').trim();
  const obligation = (raw.obligation ?? '').trim();
  if (sector) {
    if (model.sectors.some((s) => s.id === sector)) filter.sector = sector;
    else errors.push(fieldError(fields.sector, 'market.standards.err.sector', { value: shown(sector) }));
  }
  if (obligation) {
    if ((OBLIGATIONS as readonly string[]).includes(obligation)) filter.obligation = obligation as ObligationStatus;
    else errors.push(fieldError(fields.obligation, 'market.standards.err.obligation', { value: shown(obligation) }));
  }
  return { filter, errors };
}

export function filterStandards(standards: readonly Standard[], f: StandardsFilter): Standard[] {
  return standards.filter(
    (s) =>
      (f.sector === undefined || s.sectors.includes(f.sector)) &&
      (f.obligation === undefined || s.obligation.status === f.obligation),
  );
}

/** The current recommendation of every sector that has one. */
export function currentRecommendations(db: Db): Promise<repo.RecommendationRow[]> {
  return repo.currentRecommendations(db);
}

/** Every recommendation of a sector (or of all sectors), newest first; the first of a sector is its current one. */
export function recommendationHistory(db: Db, sector: string | null): Promise<repo.RecommendationRow[]> {
  return repo.recommendationHistory(db, sector);
}

export interface StandardDetail {
  standard: Standard;
  catalogue: StandardsCatalogue;
  model: MaturityModel;
  /** Measures of the newest measures catalogue that involve the standard. */
  measures: Measure[];
  /** Current recommendations (one per sector at most) that name the standard. */
  current: repo.RecommendationRow[];
  /** Superseded recommendations that named it, newest first. */
  history: repo.RecommendationRow[];
}

/** One standard with everything the platform knows about it; 404 for an id the catalogue does not have. */
export async function standardDetail(db: Db, id: string): Promise<StandardDetail> {
  const { catalogue, model } = currentCatalogue();
  const standard = catalogue.standards.find((s) => s.id === id);
  if (!standard) throw new NotFoundError(text('market.standards.err.noSuchStandard', { id: id.slice(0, 80) }));
  const rows = await repo.recommendationsNaming(db, id);
  return {
    standard,
    catalogue,
    model,
    measures: measuresUsing(id),
    current: rows.filter((r) => r.supersededAt === null),
    history: rows.filter((r) => r.supersededAt !== null),
  };
}

/** The measures of the newest measures catalogue that name the standard. */
export function measuresUsing(standardId: string): Measure[] {
  return loadMeasures().measures.filter((m) => m.standards.includes(standardId));
}

// ---------------------------------------------------------------------------------------------
// Publishing

export interface RecommendationInput {
  sector: string;
  standards: readonly string[];
  rationale: string;
}

/**
 * The sectors the person may publish recommendations for (all sectors for an advisor of the centre for all
 * topics, one sector for a topic-scoped one); empty for everybody else, and for anonymous callers.
 */
export async function recommendableSectors(db: Db, actor: Actor | null): Promise<string[]> {
  if (!actor) return [];
  const p = await loadPrincipal(db, actor);
  const { model } = currentCatalogue();
  return model.sectors
    .map((s) => s.id)
    .filter((topic) => can(p, STANDARDS_ACTION.recommend, { topic, stateKey: null }));
}

/** The checked input: errors name the form's fields (`sector`, `standards`, `rationale`). */
export function validateRecommendation(
  input: RecommendationInput,
  catalogue: Pick<StandardsCatalogue, 'standards'>,
  model: Pick<MaturityModel, 'sectors'>,
): { sector: string; standards: string[]; rationale: string } {
  const errors: FieldError[] = [];
  const sector = input.sector.trim();
  if (!sector) errors.push(fieldError('sector', 'market.standards.err.sectorMissing'));
  else if (!model.sectors.some((s) => s.id === sector))
    errors.push(fieldError('sector', 'market.standards.err.sector', { value: sector.slice(0, 40) }));
  const known = new Set(catalogue.standards.map((s) => s.id));
  const standards: string[] = [];
  for (const raw of input.standards) {
    const id = raw.trim();
    if (!id || standards.includes(id)) continue;
    if (!known.has(id)) {
      errors.push(fieldError('standards', 'market.standards.err.unknownStandard', { value: id.slice(0, 40) }));
      break;
    }
    standards.push(id);
  }
  if (standards.length === 0 && !errors.some((e) => e.field === 'standards'))
    errors.push(fieldError('standards', 'market.standards.err.standardsMissing'));
  if (standards.length > RECOMMENDATION_LIMITS.standards)
    errors.push(fieldError('standards', 'market.standards.err.tooMany', { max: RECOMMENDATION_LIMITS.standards }));
  const rationale = input.rationale.replace(/\r\n?/g, '\n').trim();
  if (!rationale) errors.push(fieldError('rationale', 'market.standards.err.rationaleMissing'));
  else if (rationale.length > RECOMMENDATION_LIMITS.rationale)
    errors.push(
      fieldError('rationale', 'market.standards.err.rationaleLong', {
        max: RECOMMENDATION_LIMITS.rationale,
        length: rationale.length,
      }),
    );
  if (errors.length) throw new ValidationError(errors);
  return { sector, standards, rationale };
}

/**
 * Publish the centre's recommendation for a sector: only an advisor of the centre (not bound to a Land) may; the
 * sector's current recommendation is superseded in the same transaction and stays visible as history. Audited.
 */
export async function publishRecommendation(
  db: Db,
  actor: Actor,
  input: RecommendationInput,
): Promise<repo.RecommendationRow> {
  const p = await loadPrincipal(db, actor);
  // First whether the person may publish at all (a Land advisor learns that, not which field was wrong) …
  authorize(p, STANDARDS_ACTION.recommend, { stateKey: null, topic: null });
  const { catalogue, model } = currentCatalogue();
  const checked = validateRecommendation(input, catalogue, model);
  // … then for this sector (topic-scoped advisors of the centre).
  authorize(p, STANDARDS_ACTION.recommend, { stateKey: null, topic: checked.sector });
  try {
    return await db.transaction(async (tx) => {
      const previous = await repo.lockCurrent(tx, checked.sector);
      if (previous) await repo.supersede(tx, previous.id);
      const row = await repo.insertRecommendation(tx, {
        sector: checked.sector,
        standardIds: checked.standards,
        rationale: checked.rationale,
        catalogueVersion: catalogue.version,
        publishedBy: actor.id,
        supersedes: previous?.id ?? null,
      });
      await recordAudit(tx, {
        action: 'standard-recommendation.publish',
        entity: 'standard_recommendation',
        entityId: row.id,
        actorUserId: actor.id,
        before: previous ? { id: previous.id, standards: previous.standardIds } : null,
        after: {
          sector: row.sector,
          standards: row.standardIds,
          catalogueVersion: row.catalogueVersion,
          supersedes: row.supersedes,
        },
      });
      return row;
    });
  } catch (err) {
    // Two advisors published for the same sector at once: the first one won; the second sees the new state.
    if (isUniqueViolation(err)) throw new ConflictError(text('market.standards.err.concurrent'));
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Personal data

export const exportPersonalData = repo.personalRows;
export const erasePersonalData = repo.erasePerson;
