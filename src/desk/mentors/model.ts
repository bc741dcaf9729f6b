/**
 * The rules of the peer mentors that need no database: the great-circle distance between seats, the order in
 * which matching mentors are shown, the states of a mentoring, the offer form and the Lagebild's protection.
 */
import { Type } from '@fastify/type-provider-typebox';
import { type FieldError, fieldError, ValidationError } from '../../platform/errors.js';

/** [longitude, latitude] in degrees (WGS84). */
export type Seat = readonly [number, number];

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance between two seats in km (haversine). */
export function distanceKm(a: Seat, b: Seat): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** What matching compares of a municipality: its size class and type (from the register) and its seat. */
export interface Profile {
  sizeClass: string | null;
  kind: string | null;
  seat: Seat | null;
}

export interface Candidate extends Profile {
  id: number;
  name: string;
}

/**
 * 0: same size class and same type; 1: same size class or same type; 2: the rest. An unknown size class or type
 * never counts as the same.
 */
export function tierOf(viewer: Profile, c: Profile): 0 | 1 | 2 {
  const size = viewer.sizeClass !== null && viewer.sizeClass === c.sizeClass;
  const kind = viewer.kind !== null && viewer.kind === c.kind;
  return size && kind ? 0 : size || kind ? 1 : 2;
}

export interface Ranked<C extends Candidate> {
  candidate: C;
  tier: 0 | 1 | 2;
  /** km between the seats; null when either seat is unknown. */
  distanceKm: number | null;
}

/**
 * The order in which matching mentors are shown to a municipality: by tier (same size class and type first, then
 * one of both, then the rest); within a tier nearest first (unknown distances after known ones); then by name
 * (German collation) and id, so that the order is total and stable.
 */
export function matchOrder<C extends Candidate>(viewer: Profile, candidates: readonly C[]): Ranked<C>[] {
  const collator = new Intl.Collator('de');
  return candidates
    .map((c) => ({
      candidate: c,
      tier: tierOf(viewer, c),
      distanceKm: viewer.seat && c.seat ? distanceKm(viewer.seat, c.seat) : null,
    }))
    .sort(
      (a, b) =>
        a.tier - b.tier ||
        (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
        collator.compare(a.candidate.name, b.candidate.name) ||
        a.candidate.id - b.candidate.id,
    );
}

// ---------------------------------------------------------------------------------------------
// Offers

export const SUBJECT_KINDS = ['measure', 'practice'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const OFFER_STATUSES = ['active', 'paused'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const LIMITS = { note: 1000, message: 2000, reply: 2000, hours: 200 } as const;

export interface OfferInput {
  contactUserId: number;
  hoursPerMonth: number | null;
  note: string;
  status: OfferStatus;
}

/** "measure:<id>" or "practice:<id>" from the offer form's choice. */
export function parseSubject(raw: string | undefined): { kind: SubjectKind; ref: string } | null {
  const m = /^(measure|practice):([a-z0-9-]{1,200})$/.exec(raw ?? '');
  if (!m) return null;
  if (m[1] === 'practice' && !/^\d{1,15}$/.test(m[2]!)) return null;
  return { kind: m[1] as SubjectKind, ref: m[2]! };
}

/** The offer's fields from a form; every problem as a field error. */
export function parseOfferForm(f: Record<string, string | undefined>): OfferInput {
  const errors: FieldError[] = [];
  const contact = /^\d{1,15}$/.test(f.contact ?? '') ? Number(f.contact) : 0;
  if (!contact) errors.push(fieldError('contact', 'desk.mentors.err.contact'));
  const hoursRaw = (f.hours ?? '').trim();
  let hours: number | null = null;
  if (hoursRaw !== '') {
    if (!/^\d{1,3}$/.test(hoursRaw) || Number(hoursRaw) < 1 || Number(hoursRaw) > LIMITS.hours)
      errors.push(fieldError('hours', 'desk.mentors.err.hours', { max: LIMITS.hours }));
    else hours = Number(hoursRaw);
  }
  const note = (f.note ?? '').trim();
  if (note.length > LIMITS.note) errors.push(fieldError('note', 'desk.mentors.err.tooLong', { max: LIMITS.note }));
  const status = (f.status ?? 'active') as OfferStatus;
  if (!(OFFER_STATUSES as readonly string[]).includes(status))
    errors.push(fieldError('status', 'desk.mentors.err.status'));
  if (errors.length) throw new ValidationError(errors);
  return { contactUserId: contact, hoursPerMonth: hours, note, status };
}

// ---------------------------------------------------------------------------------------------
// Mentorings

export const MENTORING_STATUSES = ['requested', 'accepted', 'declined', 'completed', 'cancelled'] as const;
export type MentoringStatus = (typeof MENTORING_STATUSES)[number];
export type Side = 'mentor' | 'mentee';

/**
 * Who may move a mentoring where: the mentor's workspace accepts or declines a request; an accepted one is
 * completed or cancelled by either side; the requesting side may cancel a request not yet answered.
 */
export function canTransition(from: MentoringStatus, to: MentoringStatus, side: Side): boolean {
  if (from === 'requested') return side === 'mentor' ? to === 'accepted' || to === 'declined' : to === 'cancelled';
  if (from === 'accepted') return to === 'completed' || to === 'cancelled';
  return false;
}

/** The states in which the other side's contact details are shown (after acceptance). */
export const CONTACT_VISIBLE: readonly MentoringStatus[] = ['accepted', 'completed'];

export function parseMessage(raw: string | undefined, field: 'message' | 'reply', required: boolean): string {
  const v = (raw ?? '').trim();
  const max = field === 'message' ? LIMITS.message : LIMITS.reply;
  if (required && v === '') throw new ValidationError([fieldError(field, 'desk.mentors.err.messageRequired')]);
  if (v.length > max) throw new ValidationError([fieldError(field, 'desk.mentors.err.tooLong', { max })]);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Lagebild

export interface MentoringFacts {
  stateKey: string;
  /** Mentorings accepted (accepted or completed) of mentee municipalities in the Land. */
  accepted: number;
}

const Count = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);
export const MENTOR_LAGEBILD_SCHEMA = Type.Object({
  includesDemo: Type.Boolean(),
  kMin: Type.Integer(),
  total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'accepted mentorings (accepted or completed); null: withheld',
  }),
  byState: Type.Record(Type.String(), Count, {
    description: 'by Land key (01..16) of the mentee municipality; null: withheld',
  }),
  suppressed: Type.Record(Type.String(), Type.Union([Type.Literal('primary'), Type.Literal('complementary')])),
});

export interface MentorLagebild {
  includesDemo: boolean;
  kMin: number;
  /** null: withheld. */
  total: number | null;
  byState: Record<string, number | null>;
  suppressed: Record<string, 'primary' | 'complementary'>;
}

/**
 * Accepted mentorings per Land with small numbers withheld: a Land with 1..k−1 is withheld ('primary'); when the
 * withheld Länder together hold 1..k−1 — which the total minus the visible Länder would reveal — the visible Land
 * with the fewest is withheld too ('complementary') until the residue is 0 or at least k. The total below k is
 * withheld. Zero is shown (no mentoring reveals nobody).
 */
export function mentorLagebild(
  facts: readonly MentoringFacts[],
  stateKeys: readonly string[],
  k: number,
): MentorLagebild {
  const n = new Map(facts.map((f) => [f.stateKey, f.accepted]));
  const states = [...new Set([...stateKeys, ...n.keys()])].sort();
  const suppressed: Record<string, 'primary' | 'complementary'> = {};
  for (const s of states) {
    const v = n.get(s) ?? 0;
    if (v > 0 && v < k) suppressed[s] = 'primary';
  }
  const residue = () => states.filter((s) => suppressed[s]).reduce((t, s) => t + (n.get(s) ?? 0), 0);
  for (let r = residue(); r > 0 && r < k; r = residue()) {
    const next = states
      .filter((s) => !suppressed[s] && (n.get(s) ?? 0) > 0)
      .sort((x, y) => n.get(x)! - n.get(y)! || x.localeCompare(y))[0];
    if (!next) break;
    suppressed[next] = 'complementary';
  }
  const total = states.reduce((t, s) => t + (n.get(s) ?? 0), 0);
  return {
    includesDemo: false,
    kMin: k,
    total: total > 0 && total < k ? null : total,
    byState: Object.fromEntries(states.map((s) => [s, s in suppressed ? null : (n.get(s) ?? 0)])),
    suppressed,
  };
}
