/**
 * What a result tells a municipality to do next: level names, per dimension the next level and why it matters,
 * the weakest questions with the descriptor of their next level, and strengths only where the level is really
 * good. Pure functions (plus loading the guidance file), no database.
 *
 * Rules:
 * - Level names are the model's generic names (`model.levels`: 0 Nicht begonnen … 4 Führend).
 * - A dimension's level is `levelForScore(score)`; its next level is one higher (none at level 4).
 * - A **strength** is a dimension with a score of at least `STRENGTH_MIN_SCORE` (75 = on average every question
 *   at level 3 "Etabliert"). Fewer or none are listed when fewer dimensions are that good — never "the best two"
 *   of a weak result.
 * - The **weakest questions** are the answered questions (not "not applicable") below level 4 with the lowest
 *   level, ties in model order, at most `WEAKEST_COUNT`. Their next step is the descriptor of the level above the
 *   answer, and `why` is the question's own "why it matters".
 * - Per dimension, its **steps** are its questions below the dimension's next level, lowest answer first (at most
 *   `STEPS_PER_DIMENSION`), each with the descriptor of the level above its answer.
 * - Why a dimension matters comes from `content/maturity-model/v<version>.guidance.json` (plain German, with
 *   sources); the file is guidance, not scored, so it may be improved without a new model version.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Lang, MessageKey, Translate } from '../platform/i18n/i18n.js';
import {
  type LocalizedText,
  type MaturityModel,
  MODEL_DIR,
  ModelError,
  type ModelQuestion,
  SIZE_CLASSES,
  type SourceRef,
} from './model.js';
import { type CheckScore, type Level, levelForScore } from './scoring.js';

/** A dimension is a strength from this score on (mean answer level 3 "Etabliert"). */
export const STRENGTH_MIN_SCORE = 75;
/** How many weakest questions the result lists. */
export const WEAKEST_COUNT = 5;
/** How many next steps per dimension. */
export const STEPS_PER_DIMENSION = 2;

export interface DimensionGuidance {
  why: LocalizedText;
  sources: SourceRef[];
}

export interface ModelGuidance {
  version: string;
  dimensions: Record<string, DimensionGuidance>;
}

const guidanceCache = new Map<string, ModelGuidance>();

/** Loads and checks `v<version>.guidance.json`: every dimension of the model has a German and English `why`. */
export function loadGuidance(model: MaturityModel, dir: string = MODEL_DIR): ModelGuidance {
  const key = `${dir}\0${model.version}`;
  const cached = guidanceCache.get(key);
  if (cached) return cached;
  const file = path.join(dir, `v${model.version}.guidance.json`);
  const subject = `guidance v${model.version}`;
  let json: ModelGuidance;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelGuidance;
  } catch (err) {
    throw new ModelError([{ subject, field: 'file', message: `${file}: ${(err as Error).message}` }]);
  }
  const problems = [];
  const sourceIds = new Set(model.sources.map((s) => s.id));
  if (json.version !== model.version) problems.push({ subject, field: 'version', message: 'does not match the model' });
  for (const d of model.dimensions) {
    const g = json.dimensions?.[d.id];
    if (!g?.why?.de?.trim() || !g.why.en?.trim()) {
      problems.push({ subject: `dimension "${d.id}"`, field: 'why', message: 'missing German or English text' });
      continue;
    }
    for (const s of g.sources ?? []) {
      if (!sourceIds.has(s.id))
        problems.push({ subject: `dimension "${d.id}"`, field: 'sources', message: `unknown source "${s.id}"` });
    }
  }
  if (problems.length) throw new ModelError(problems, subject);
  guidanceCache.set(key, json);
  return json;
}

/** The model's name of a level ("Im Aufbau"); "–" for no level. */
export function levelName(model: Pick<MaturityModel, 'levels'>, level: number | null, lang: Lang): string {
  if (level === null || !Number.isInteger(level) || level < 0 || level > 4) return '–';
  return model.levels[level as Level][lang];
}

export interface QuestionStep {
  questionId: string;
  dimension: string;
  text: string;
  level: Level;
  levelName: string;
  nextLevel: Level;
  nextLevelName: string;
  /** The question's descriptor of the next level: what that level looks like. */
  next: string;
  /** The question's "why it matters". */
  why: string;
}

export interface DimensionStep {
  dimension: string;
  name: string;
  score: number | null;
  level: Level | null;
  levelName: string;
  /** The next level, null at level 4 or without a score. */
  nextLevel: Level | null;
  nextLevelName: string | null;
  why: string;
  sources: SourceRef[];
  steps: QuestionStep[];
}

export interface Strength {
  dimension: string;
  name: string;
  score: number;
  level: Level;
  levelName: string;
}

export interface ResultGuidance {
  strengths: Strength[];
  dimensions: DimensionStep[];
  weakest: QuestionStep[];
}

function stepOf(model: MaturityModel, q: ModelQuestion, level: Level, lang: Lang): QuestionStep {
  const nextLevel = Math.min(4, level + 1) as Level;
  return {
    questionId: q.id,
    dimension: q.dimension,
    text: q.text[lang],
    level,
    levelName: levelName(model, level, lang),
    nextLevel,
    nextLevelName: levelName(model, nextLevel, lang),
    next: q.levels[nextLevel][lang],
    why: q.why[lang],
  };
}

/**
 * The guidance of a result. `answers`: question id → level, null for "not applicable"; questions without an
 * entry are left out. `questions` are the check's questions in model order.
 */
export function resultGuidance(
  model: MaturityModel,
  guidance: ModelGuidance,
  questions: readonly ModelQuestion[],
  answers: ReadonlyMap<string, Level | null>,
  score: Pick<CheckScore, 'byDimension'>,
  lang: Lang,
): ResultGuidance {
  const answered = questions
    .map((q, order) => ({ q, order, level: answers.get(q.id) }))
    .filter((x): x is { q: ModelQuestion; order: number; level: Level } => x.level !== undefined && x.level !== null)
    .sort((a, b) => a.level - b.level || a.order - b.order);
  const weakest = answered
    .filter((x) => x.level < 4)
    .slice(0, WEAKEST_COUNT)
    .map((x) => stepOf(model, x.q, x.level, lang));

  const dimensions: DimensionStep[] = model.dimensions
    .filter((d) => questions.some((q) => q.dimension === d.id))
    .map((d) => {
      const s = score.byDimension[d.id]?.score ?? null;
      const level = s === null ? null : levelForScore(s);
      const nextLevel = level === null || level === 4 ? null : ((level + 1) as Level);
      const steps =
        nextLevel === null
          ? []
          : answered
              .filter((x) => x.q.dimension === d.id && x.level < nextLevel)
              .slice(0, STEPS_PER_DIMENSION)
              .map((x) => stepOf(model, x.q, x.level, lang));
      const g = guidance.dimensions[d.id];
      return {
        dimension: d.id,
        name: d.name[lang],
        score: s,
        level,
        levelName: levelName(model, level, lang),
        nextLevel,
        nextLevelName: nextLevel === null ? null : levelName(model, nextLevel, lang),
        why: g?.why[lang] ?? '',
        sources: g?.sources ?? [],
        steps,
      };
    });

  const strengths = dimensions
    .filter(
      (d): d is DimensionStep & { score: number; level: Level } => d.score !== null && d.score >= STRENGTH_MIN_SCORE,
    )
    .sort((a, b) => b.score - a.score || (a.dimension < b.dimension ? -1 : 1))
    .map((d) => ({ dimension: d.dimension, name: d.name, score: d.score, level: d.level, levelName: d.levelName }));

  return { strengths, dimensions, weakest };
}

/** "Stufe 2 – Im Aufbau" / "Level 2 – In progress"; "–" for no level. */
export function levelLabel(t: Translate, model: Pick<MaturityModel, 'levels'>, level: number | null, lang: Lang) {
  if (level === null) return '–';
  return t('check.levelLabel', { level, name: levelName(model, level, lang) });
}

/**
 * The name of a peer group in words: "Kommunen mit 2.000 bis unter 5.000 Einwohnern in Bayern",
 * "Kommunen in Bayern", "kreisangehörige Gemeinden (bundesweit)".
 */
export function peerGroupName(
  t: Translate,
  lang: Lang,
  p: { kind: string; sizeClass: string | null; stateKey: string | null; regionType: string | null },
): string {
  const size = SIZE_CLASSES.find((c) => c.id === p.sizeClass)?.label[lang] ?? p.sizeClass ?? '';
  const state = p.stateKey ? t(`map.land.${p.stateKey}` as MessageKey) : '';
  switch (p.kind) {
    case 'size':
      return t('check.peer.name.size', { size });
    case 'state':
      return t('check.peer.name.state', { state });
    case 'sizeState':
      return t('check.peer.name.sizeState', { size, state });
    default:
      return t('check.peer.name.type', { type: t(`check.peer.kind.${p.regionType ?? 'gemeinde'}` as MessageKey) });
  }
}
