/**
 * Hand-made inputs of the result page, the PDF and the Lagebild page (no database): a submitted check of
 * Langenberg with every applicable question answered, peers on one side and too few on the other.
 */

import { createI18n } from '../../modules.js';
import type { PageContext } from '../../platform/http/layout.js';
import type { Lang } from '../../platform/i18n/i18n.js';
import type { AnswerRow, CheckResult, CheckRow } from '../assessment.service.js';
import { type CheckFact, computeLagebild, type Lagebild } from '../lagebild.js';
import { applicableQuestions, loadModel } from '../model.js';
import { loadGuidance, resultGuidance } from '../result.js';
import { type Answer, type Level, scoreCheck } from '../scoring.js';

const i18n = createI18n();

/** A page context of an anonymous visitor in `lang`, with every module's messages. */
export function pageContextFor(lang: Lang): PageContext {
  return {
    lang,
    t: i18n.translator(lang),
    url: '/test',
    requestId: 'test',
    user: null,
    csrfToken: 'csrf',
    nav: [],
  };
}

export const translator = (lang: Lang) => i18n.translator(lang);

export const REGION_NAME = 'Langenberg';

export function sampleResult(lang: Lang): CheckResult {
  const model = loadModel();
  const questions = applicableQuestions(model, { population: 1901, kind: 'gemeinde' });
  const answers: Answer[] = questions.map((q, i) => ({
    questionId: q.id,
    level: i % 7 === 6 ? null : (((i * 3) % 5) as Level),
  }));
  const score = scoreCheck(questions, answers);
  const submittedAt = new Date('2026-03-02T10:00:00Z');
  const check: CheckRow = {
    id: 7,
    orgId: 3,
    regionKey: '16063021',
    modelVersion: model.version,
    status: 'submitted',
    published: false,
    isDemo: false,
    createdAt: new Date('2026-02-20T09:00:00Z'),
    submittedAt,
    overall: score.overall,
    level: score.level,
    scores: null,
    stateKey: '16',
    sizeClass: '<2000',
    regionType: 'gemeinde',
    questionIds: questions.map((q) => q.id),
    population: 1901,
    kreisKey: '16063',
    result: null,
  };
  const answerRows = new Map<string, AnswerRow>(
    answers.map((a) => [
      a.questionId,
      {
        questionId: a.questionId,
        level: a.level,
        notApplicable: a.level === null,
        comment: '',
        evidenceUrl: '',
        version: 1,
        updatedBy: null,
        updatedByEmail: null,
        updatedAt: submittedAt,
      },
    ]),
  );
  const levels = new Map(answers.map((a) => [a.questionId, a.level]));
  return {
    ctx: {
      check,
      region: {
        key: '16063021',
        level: 'gemeinde',
        ars: '160635021021',
        parentKey: '16063',
        name: REGION_NAME,
        designationCode: '64',
        seat: null,
        areaKm2: 12.3,
        population: 1901,
        populationMale: 950,
        populationFemale: 951,
        postcode: '99999',
        multiplePostcodes: false,
        release: '2025-12-31',
        stateKey: '16',
        kreisKey: '16063',
        source: 'gv100ad',
        validFrom: '2025-12-31',
        validTo: null,
        successorKey: null,
        successorMethod: null,
        successorInferred: null,
      },
      model,
      questions,
      answers: answerRows,
      canEdit: false,
      canPublish: true,
      states: new Map(),
      members: [],
      submittedByEmail: null,
      canInvite: false,
      isMember: true,
    },
    score,
    guidance: resultGuidance(model, loadGuidance(model), questions, levels, score, lang),
    peers: [
      { kind: 'sizeState', key: '<2000|16', sizeClass: '<2000', stateKey: '16', regionType: null, comparison: null },
      {
        kind: 'size',
        key: '<2000',
        sizeClass: '<2000',
        stateKey: null,
        regionType: null,
        comparison: {
          peers: { n: 247, q1: 28, median: 39.5, q3: 51, gini: null, quintileGap: null },
          percentile: 62.3,
          demo: 240,
        },
      },
      {
        kind: 'state',
        key: '16',
        sizeClass: null,
        stateKey: '16',
        regionType: null,
        comparison: {
          peers: { n: 8, q1: 34, median: 44, q3: 55, gini: null, quintileGap: null },
          percentile: 87.5,
          demo: 0,
        },
      },
      { kind: 'type', key: 'gemeinde', sizeClass: null, stateKey: null, regionType: 'gemeinde', comparison: null },
    ],
    history: [check, { ...check, id: 5, overall: 41, submittedAt: new Date('2025-03-01T10:00:00Z') }],
  };
}

/** A Lagebild of 30 demo checks in Thüringen and Bayern: national and Land aggregates, one Kreis withheld. */
export function sampleLagebild(): Lagebild {
  const facts: CheckFact[] = Array.from({ length: 30 }, (_, i) => {
    const state = i < 20 ? '16' : '09';
    const overall = 10 + ((i * 37) % 85);
    return {
      regionKey: `${state}0630${String(i).padStart(2, '0')}`,
      stateKey: state,
      kreisKey: i < 18 ? '16063' : i < 20 ? '16064' : '09162',
      sizeClass: i % 2 ? '<2000' : '2000-5000',
      overall,
      level: Math.min(4, Math.floor(overall / 20)),
      bySector: { verwaltung: overall, bildung: i % 3 ? overall : null },
      submittedYear: i % 2 ? 2025 : 2026,
      isDemo: true,
    };
  });
  return computeLagebild(
    facts,
    { total: 10_000, byState: { '16': 600, '09': 2000 }, bySize: { '<2000': 5000, '2000-5000': 5000 } },
    new Date('2026-03-03T00:00:00Z'),
  );
}
