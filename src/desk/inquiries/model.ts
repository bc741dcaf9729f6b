/**
 * The pure rules of inquiries: the state machine, the choice of a routing rule, the round robin within a team,
 * the recognition of attachments by their bytes, and the parsing of the question form. No I/O.
 */
import { loadModel } from '../../assessment/index.js';
import { type FieldError, fieldError, ValidationError } from '../../platform/errors.js';
import { URGENCIES, type Urgency } from '../sla/clock.js';

// ---------------------------------------------------------------------------------------------
// States

export const STATUSES = ['new', 'assigned', 'in_progress', 'waiting', 'answered', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
/** Not yet done: in the advisors' queue by default. */
export const OPEN_STATUSES: readonly Status[] = ['new', 'assigned', 'in_progress', 'waiting'];

/** Who causes a transition. */
export type Side = 'advisor' | 'municipality' | 'system';

/**
 * The transitions an advisor may choose by hand ("Status ändern"). 'assigned' comes only with an assignment,
 * 'answered' also with an advisor's reply, and a reply of the municipality on 'answered' or 'closed' reopens to
 * 'in_progress' (see `afterMunicipalReply`).
 */
const ADVISOR: Record<Status, readonly Status[]> = {
  new: ['in_progress', 'closed'],
  assigned: ['in_progress', 'waiting', 'answered', 'closed'],
  in_progress: ['waiting', 'answered', 'closed'],
  waiting: ['in_progress', 'answered', 'closed'],
  answered: ['in_progress', 'closed'],
  closed: ['in_progress'],
};
/** The municipality may mark an answered inquiry as done. */
const MUNICIPALITY: Record<Status, readonly Status[]> = {
  new: [],
  assigned: [],
  in_progress: [],
  waiting: [],
  answered: ['closed'],
  closed: [],
};

/** Whether `side` may move an inquiry from `from` to `to` (no transition to the same state). */
export function canTransition(from: Status, to: Status, side: Side): boolean {
  if (side === 'system') return from === 'new' && to === 'assigned';
  return (side === 'advisor' ? ADVISOR : MUNICIPALITY)[from].includes(to);
}

/** The states an advisor may choose from `from`. */
export const advisorTargets = (from: Status): readonly Status[] => ADVISOR[from];

/** The state after an assignment (or hand-over): a new inquiry becomes assigned, any other keeps its state. */
export const afterAssignment = (from: Status): Status => (from === 'new' ? 'assigned' : from);

/** The state after the advisor's reply: answered (also a closed one that the advisor writes to again). */
export const afterAdvisorReply = (_from: Status): Status => 'answered';

/** The state after the municipality's reply: waiting and answered/closed go back to in progress. */
export function afterMunicipalReply(from: Status): Status {
  return from === 'waiting' || from === 'answered' || from === 'closed' ? 'in_progress' : from;
}

// ---------------------------------------------------------------------------------------------
// Routing

export interface RuleCandidate {
  id: number;
  stateKey: string | null;
  sector: string | null;
  teamId: number;
}

/**
 * The most specific rule that matches a Land and a sector: Land and sector, then Land alone, then sector alone,
 * then the rule for everything; null when none matches (the national team then takes the inquiry).
 */
export function chooseRule<R extends RuleCandidate>(rules: readonly R[], stateKey: string, sector: string): R | null {
  let best: R | null = null;
  let bestScore = -1;
  for (const r of rules) {
    if (r.stateKey !== null && r.stateKey !== stateKey) continue;
    if (r.sector !== null && r.sector !== sector) continue;
    const score = (r.stateKey !== null ? 2 : 0) + (r.sector !== null ? 1 : 0);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Round robin: the available member after the one who got the last inquiry (members in a fixed order, by user
 * id); the first available member when the last is unknown or gone; null when nobody is available.
 */
export function nextAssignee(
  members: readonly { userId: number; available: boolean }[],
  lastAssigned: number | null,
): number | null {
  const order = [...members].sort((a, b) => a.userId - b.userId);
  const available = order.filter((m) => m.available);
  if (available.length === 0) return null;
  if (lastAssigned === null) return available[0]!.userId;
  return (available.find((m) => m.userId > lastAssigned) ?? available[0]!).userId;
}

// ---------------------------------------------------------------------------------------------
// Attachments

export const ATTACHMENT_LIMITS = { bytes: 10 * 1024 * 1024, perInquiry: 5, totalBytes: 20 * 1024 * 1024 } as const;

export const MEDIA_TYPES = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'text/csv': 'csv',
  'text/plain': 'txt',
} as const;
export type MediaType = keyof typeof MEDIA_TYPES;

const latin1 = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.subarray(from, to)).toString('latin1');

/**
 * The media type of a file by its bytes wherever the format has a signature (PDF, PNG, JPEG; DOCX and XLSX by
 * their ZIP entries, ODT and ODS by the stored `mimetype` entry); plain text (CSV, TXT) by being valid UTF-8
 * without control characters, told apart by the name's extension. Null: not allowed.
 */
export function sniffMediaType(bytes: Uint8Array, filename: string): MediaType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    // OpenDocument: the first entry is the uncompressed "mimetype" with the type as its content.
    const head = latin1(bytes, 0, Math.min(bytes.length, 200));
    if (head.slice(30, 38) === 'mimetype') {
      if (head.includes('application/vnd.oasis.opendocument.text')) return 'application/vnd.oasis.opendocument.text';
      if (head.includes('application/vnd.oasis.opendocument.spreadsheet'))
        return 'application/vnd.oasis.opendocument.spreadsheet';
      return null;
    }
    // Office Open XML: the part names are in the ZIP's local headers and central directory.
    const all = latin1(bytes, 0, bytes.length);
    if (all.includes('[Content_Types].xml')) {
      if (all.includes('word/document.xml')) return MEDIA_DOCX;
      if (all.includes('xl/workbook.xml')) return MEDIA_XLSX;
    }
    return null;
  }
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(filename)?.[1]?.toLowerCase();
  if ((ext === 'csv' || ext === 'txt') && isPlainText(bytes)) return ext === 'csv' ? 'text/csv' : 'text/plain';
  return null;
}
const MEDIA_DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' as const;
const MEDIA_XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // Tab, line feed and carriage return are text; other control characters (and NUL) are not.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return false;
  }
  return true;
}

/** A file name safe for Content-Disposition: letters, digits, dash, underscore; the extension of its type. */
export function safeFilename(name: string, mediaType: MediaType): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return `${base || 'anhang'}.${MEDIA_TYPES[mediaType]}`;
}

// ---------------------------------------------------------------------------------------------
// The question

export const CONTEXT_KINDS = ['question', 'measure', 'practice', 'standard'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

export const LIMITS = { subject: 200, body: 20000, comment: 2000, ref: 120, title: 200 } as const;

export interface InquiryInput {
  subject: string;
  body: string;
  sector: string;
  urgency: Urgency;
  context: { kind: ContextKind; ref: string } | null;
}

export interface InquiryForm {
  subject?: string;
  body?: string;
  sector?: string;
  urgency?: string;
  kontext?: string;
  ref?: string;
}

export const isSector = (id: string) => loadModel().sectors.some((s) => s.id === id);

/** The inquiry a form describes, or every field error at once. */
export function parseInquiryForm(f: InquiryForm): InquiryInput {
  const errors: FieldError[] = [];
  const subject = (f.subject ?? '').trim();
  if (subject.length < 3 || subject.length > LIMITS.subject)
    errors.push(fieldError('subject', 'desk.inquiries.err.subject', { max: LIMITS.subject }));
  const body = (f.body ?? '').trim();
  if (body.length < 10 || body.length > LIMITS.body)
    errors.push(fieldError('body', 'desk.inquiries.err.body', { max: LIMITS.body }));
  const sector = (f.sector ?? '').trim();
  if (!isSector(sector)) errors.push(fieldError('sector', 'desk.inquiries.err.sector'));
  const urgency = (f.urgency ?? 'normal').trim();
  if (!(URGENCIES as string[]).includes(urgency)) errors.push(fieldError('urgency', 'desk.inquiries.err.urgency'));
  const context = parseContext(f.kontext, f.ref);
  if (errors.length) throw new ValidationError(errors);
  return { subject, body, sector, urgency: urgency as Urgency, context };
}

/** A context from the query or the form: both parts valid, else none (a bad link is not the person's fault). */
export function parseContext(kind: string | undefined, ref: string | undefined): InquiryInput['context'] {
  const k = (kind ?? '').trim();
  const r = (ref ?? '').trim();
  if (!(CONTEXT_KINDS as readonly string[]).includes(k)) return null;
  if (!/^[A-Za-z0-9._-]{1,120}$/.test(r)) return null;
  return { kind: k as ContextKind, ref: r };
}

/**
 * The public page a context refers to (a local path built from a validated reference); null for a Digitalcheck
 * question (its page belongs to a workspace's check; the question's text is shown instead).
 */
export function contextHref(kind: ContextKind, ref: string): string | null {
  const r = encodeURIComponent(ref);
  switch (kind) {
    case 'question':
      return null;
    case 'measure':
      return `/massnahmen/${r}`;
    case 'practice':
      return `/praxis/${r}`;
    case 'standard':
      return `/standards/${r}`;
  }
}

/** The sector's name in the maturity model. */
export function sectorName(id: string, lang: 'de' | 'en' = 'de'): string {
  const s = loadModel().sectors.find((x) => x.id === id);
  if (!s) return id;
  const name = s.name as unknown;
  return typeof name === 'string' ? name : ((name as Record<string, string>)[lang] ?? id);
}

/** The text of a Digitalcheck question of the current model, or null. */
export function questionText(id: string, lang: 'de' | 'en' = 'de'): string | null {
  const q = loadModel().questions.find((x) => x.id === id);
  return q ? q.text[lang] : null;
}

/** The sector a context suggests (a Digitalcheck question has one), or null. */
export function contextSector(context: InquiryInput['context']): string | null {
  if (context?.kind !== 'question') return null;
  return loadModel().questions.find((x) => x.id === context.ref)?.sector ?? null;
}
