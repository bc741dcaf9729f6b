/**
 * The rows of the route × role table for the solution market (src/platform/__tests__/access-table.int.test.ts). In
 * that test, `member` and `orgAdmin` are the team of a municipal workspace (16056) and also of a provider workspace
 * whose solutions `$solution`, `$submittedSolution` and `$publishedSolution` are; `$foreignSolution` belongs to
 * another provider, which asks the municipal workspace for the reference `$incomingReference`; `$incomingReview` is
 * a review of `$publishedSolution` by another, verified municipal workspace.
 */
import { type AccessRow, access, ROWS } from '../../platform/module.js';

/** A draft: its provider's team and the centre's advisors see it; others are told it does not exist. */
const DRAFT = ROWS.custom('notFound', 'notFound', 'allow', 'allow', 'allow', 'allow');
/** The provider team's changes (advisors may read, not edit). */
const TEAM_POST = ROWS.custom('login', 'notFound', 'allow', 'allow', 'deny', 'deny');
/** The provider team's actions on a published solution (everybody sees it; only the team may act). */
const TEAM_PUBLISHED = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');
/** Members of a provider workspace. */
const PROVIDER = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');

const FORM = {
  name: 'Ratsinformationssystem Beispiel',
  summary: 'Sitzungen, Vorlagen und Beschlüsse online.',
  problem: 'Gremienarbeit ohne Papier.',
  sectors: 'verwaltung',
  operatingModels: 'saas',
  priceModel: 'subscription',
};

export const solutionsAccess: Readonly<Record<string, AccessRow>> = {
  'GET /loesungen': access(ROWS.public, { query: { sector: 'verwaltung', openSource: 'false' } }),
  'GET /loesungen/neu': access(PROVIDER),
  'POST /loesungen/neu': access(PROVIDER, { form: FORM }),
  'GET /loesungen/pruefung': access(ROWS.user),
  'GET /loesungen/vergleich': access(ROWS.public, { query: { ids: '$compareIds' } }),
  'GET /loesungen/:id': access(DRAFT, { params: { id: '$solution' } }),
  'GET /loesungen/:id/bearbeiten': access(TEAM_POST, { params: { id: '$solution' } }),
  'POST /loesungen/:id/bearbeiten': access(TEAM_POST, {
    params: { id: '$solution' },
    form: { rev: '$solutionRev', ...FORM },
  }),
  'POST /loesungen/:id/einreichen': access(TEAM_POST, { params: { id: '$solution' } }),
  // The fixture's solution names no reachable publiccode.yml: the team is told so (400), nothing changes.
  'POST /loesungen/:id/publiccode': access(TEAM_POST, { params: { id: '$solution' }, allowStatus: 400 }),
  'POST /loesungen/:id/pruefung': access(ROWS.custom('login', 'notFound', 'deny', 'deny', 'allow', 'allow'), {
    params: { id: '$submittedSolution' },
    form: { decision: 'publish', comment: '' },
  }),
  'POST /loesungen/:id/zurueckziehen': access(ROWS.custom('login', 'deny', 'deny', 'allow', 'allow', 'allow'), {
    params: { id: '$publishedSolution' },
  }),
  'GET /loesungen/:id/versionen': access(ROWS.public, { params: { id: '$publishedSolution' } }),
  'POST /loesungen/:id/referenzen': access(TEAM_PUBLISHED, {
    params: { id: '$publishedSolution' },
    form: { region: '16055', note: 'Seit 2024 im Einsatz.' },
  }),
  'POST /loesungen/:id/referenzen/:ref/entscheiden': access(
    ROWS.custom('login', 'deny', 'deny', 'allow', 'deny', 'deny'),
    { params: { id: '$foreignSolution', ref: '$incomingReference' }, form: { decision: 'confirm' } },
  ),
  'POST /loesungen/:id/bewertungen': access(ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny'), {
    params: { id: '$foreignSolution' },
    form: { rating: '4', body: 'Läuft stabil, gute Schulung.' },
  }),
  'POST /loesungen/:id/bewertungen/:review/antwort': access(TEAM_PUBLISHED, {
    params: { id: '$publishedSolution', review: '$incomingReview' },
    form: { answer: 'Danke für die Rückmeldung.' },
  }),
  'GET /api/v1/solutions': access(ROWS.public, { query: { sector: 'verwaltung', operatingModel: 'saas' } }),
  'GET /api/v1/solutions/:id': access(ROWS.public, { params: { id: '$publishedSolution' } }),
};
