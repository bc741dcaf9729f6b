/**
 * The pure rules of cooperation groups: the limits, the parsing of the forms (group, thread, post, decision,
 * invitation), the check of uploaded documents (size per file and per group, type by the bytes), and who in a
 * group may do what given the actor's workspaces. No I/O.
 */
import { type FieldError, fieldError, ValidationError } from '../../platform/errors.js';
import { type MediaType, safeFilename, sniffMediaType } from '../inquiries/index.js';

export const LIMITS = {
  title: 200,
  description: 5000,
  body: 20000,
  /** One document. */
  fileBytes: 10 * 1024 * 1024,
  /** All documents of one group together. */
  groupBytes: 100 * 1024 * 1024,
} as const;

/** How a workspace belongs to a group. */
export const MEMBER_STATES = ['member', 'invited', 'requested'] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

/** The actor's standing in one group, from their municipal workspaces and the group's member rows. */
export interface Standing {
  /** The actor's workspaces that are members (the lead included). */
  memberOrgs: number[];
  /** The actor's workspaces that are invited. */
  invitedOrgs: number[];
  /** The actor's workspaces that asked to join. */
  requestedOrgs: number[];
  /** The actor is a member of the lead workspace. */
  isLead: boolean;
}

export function standingOf(
  actorOrgs: readonly number[],
  leadOrgId: number,
  members: readonly { orgId: number; state: MemberState }[],
): Standing {
  const mine = new Set(actorOrgs);
  const of = (s: MemberState) => members.filter((m) => m.state === s && mine.has(m.orgId)).map((m) => m.orgId);
  const memberOrgs = of('member');
  return {
    memberOrgs,
    invitedOrgs: of('invited'),
    requestedOrgs: of('requested'),
    isLead: mine.has(leadOrgId) && memberOrgs.includes(leadOrgId),
  };
}

/** The actor's municipal workspaces that may still ask to join (neither member, invited nor asking). */
export function joinableOrgs(actorOrgs: readonly number[], members: readonly { orgId: number }[]): number[] {
  const taken = new Set(members.map((m) => m.orgId));
  return actorOrgs.filter((o) => !taken.has(o));
}

// ---------------------------------------------------------------------------------------------
// Forms

export interface GroupInput {
  title: string;
  description: string;
  regionKey: string | null;
  listed: boolean;
}

const str = (v: string | undefined) => (v ?? '').trim();

/** A group's title, description, optional region and listing, or every field error at once. */
export function parseGroupForm(f: {
  title?: string;
  description?: string;
  region?: string;
  listed?: string;
}): GroupInput {
  const errors: FieldError[] = [];
  const title = str(f.title);
  if (title.length < 3 || title.length > LIMITS.title)
    errors.push(fieldError('title', 'desk.groups.err.title', { max: LIMITS.title }));
  const description = str(f.description);
  if (description.length > LIMITS.description)
    errors.push(fieldError('description', 'desk.groups.err.description', { max: LIMITS.description }));
  const region = str(f.region);
  if (region !== '' && !/^[0-9]{2,12}$/.test(region)) errors.push(fieldError('region', 'desk.groups.err.region'));
  if (errors.length) throw new ValidationError(errors);
  return { title, description, regionKey: region || null, listed: f.listed === '1' || f.listed === 'on' };
}

/** A new thread: its title and first post (fields `threadTitle`, `threadBody` of the group page). */
export function parseThreadForm(f: { threadTitle?: string; threadBody?: string }): { title: string; body: string } {
  const errors: FieldError[] = [];
  const title = str(f.threadTitle);
  if (title.length < 3 || title.length > LIMITS.title)
    errors.push(fieldError('threadTitle', 'desk.groups.err.title', { max: LIMITS.title }));
  const body = str(f.threadBody);
  if (body.length === 0 || body.length > LIMITS.body)
    errors.push(fieldError('threadBody', 'desk.groups.err.body', { max: LIMITS.body }));
  if (errors.length) throw new ValidationError(errors);
  return { title, body };
}

export function parsePost(body: string | undefined): string {
  const b = str(body);
  if (b.length === 0 || b.length > LIMITS.body)
    throw new ValidationError([fieldError('body', 'desk.groups.err.body', { max: LIMITS.body })]);
  return b;
}

export interface DecisionInput {
  title: string;
  body: string;
  /** YYYY-MM-DD */
  decidedOn: string;
}

/** A real calendar date written as YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A decision (fields `decisionTitle`, `decisionBody`, `decidedOn`). */
export function parseDecisionForm(f: {
  decisionTitle?: string;
  decisionBody?: string;
  decidedOn?: string;
}): DecisionInput {
  const errors: FieldError[] = [];
  const title = str(f.decisionTitle);
  if (title.length < 3 || title.length > LIMITS.title)
    errors.push(fieldError('decisionTitle', 'desk.groups.err.title', { max: LIMITS.title }));
  const body = str(f.decisionBody);
  if (body.length > LIMITS.body) errors.push(fieldError('decisionBody', 'desk.groups.err.body', { max: LIMITS.body }));
  const decidedOn = str(f.decidedOn);
  if (!isIsoDate(decidedOn)) errors.push(fieldError('decidedOn', 'desk.groups.err.date'));
  if (errors.length) throw new ValidationError(errors);
  return { title, body, decidedOn };
}

/** What the invitation field names: a register key (AGS/ARS) or part of a workspace's name. */
export function parseInvitee(raw: string | undefined): { key: string } | { name: string } {
  const v = str(raw);
  if (/^[0-9]{2,12}$/.test(v)) return { key: v };
  if (v.length < 2 || v.length > 120) throw new ValidationError([fieldError('invitee', 'desk.groups.err.invitee')]);
  return { name: v };
}

// ---------------------------------------------------------------------------------------------
// Documents

export interface Upload {
  filename: string;
  bytes: Buffer;
}

export interface CheckedUpload {
  filename: string;
  mediaType: MediaType;
  bytes: Buffer;
}

/**
 * One document against the limits (10 MB each, 100 MB per group with what is there) and recognised by its
 * bytes; every problem is a field error on `file` naming the limit.
 */
export function checkDocument(f: Upload | null, groupBytes: number): CheckedUpload {
  if (!f || f.bytes.length === 0) throw new ValidationError([fieldError('file', 'desk.groups.err.fileEmpty')]);
  if (f.bytes.length > LIMITS.fileBytes)
    throw new ValidationError([fieldError('file', 'desk.groups.err.fileTooLarge', { max: '10 MB' })]);
  if (groupBytes + f.bytes.length > LIMITS.groupBytes)
    throw new ValidationError([fieldError('file', 'desk.groups.err.groupFull', { max: '100 MB' })]);
  const mediaType = sniffMediaType(f.bytes, f.filename);
  if (!mediaType)
    throw new ValidationError([fieldError('file', 'desk.groups.err.fileType', { name: f.filename.slice(0, 100) })]);
  return { filename: safeFilename(f.filename, mediaType), mediaType, bytes: f.bytes };
}

/** A file size for people: "512 KB", "3,4 MB". */
export function formatSize(bytes: number, lang: 'de' | 'en' = 'de'): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return `${lang === 'de' ? mb.replace('.', ',') : mb} MB`;
}
