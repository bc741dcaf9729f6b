/**
 * Notifications of the advisory desk (issue 12, "Benachrichtigungen"): the `Notifier` the other parts call, each
 * person's choice per kind (immediate mail, daily or weekly digest, none; immediate by default), the digests, and
 * unsubscribing through a signed link without signing in. Every mail goes through the platform's outbox and ends
 * with the unsubscribe link; links are made absolute with the configured public URL only.
 */
import { type Actor, loadPrincipal } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { ConflictError, fieldError, ValidationError } from '../../platform/errors.js';
import { type Translate, text } from '../../platform/i18n/i18n.js';
import type { MailMessage } from '../../platform/mail/mailer.js';
import { authorize, defineActions, isSubject } from '../../platform/policy.js';
import { type Delivery, NOTIFY_KINDS, type Notification, type Notifier, type NotifyKind } from '../contract.js';
import {
  absolute,
  DEFAULT_DELIVERY,
  defaults,
  digestCutoff,
  isDelivery,
  isLocalPath,
  type Preferences,
  route,
} from './model.js';
import * as repo from './notify.repository.js';
import { isCurrent, signUnsubscribe, type UnsubscribeScope, unsubscribeKey, verifyUnsubscribe } from './token.js';

export const NOTIFY_PATH = '/beratung/benachrichtigungen';
export const UNSUBSCRIBE_PATH = '/abmelden';
/** The one-click unsubscribe of RFC 8058 (List-Unsubscribe-Post): an API route, so it needs no CSRF token. */
export const ONE_CLICK_PATH = '/api/v1/unsubscribe';

export const NOTIFY_ACTIONS = defineActions({
  /** One's own notification settings: only the person themselves. */
  'notify.manage': { rule: isSubject, denied: text('desk.notify.err.ownOnly') },
});

export interface NotifyDeps {
  db: Db;
  mailer: { send(msg: MailMessage, tx?: Db): Promise<{ id: number }> };
  /** config.publicUrl: the only base of links in mails. */
  publicUrl: string;
  now: () => Date;
  /** German texts (the platform's mail language). */
  t: Translate;
  /** Errors of one person's digest (logged by the job); the others are sent regardless. */
  onError?: (err: unknown) => void;
}

// ---- the signing key

const keys = new WeakMap<Db, Promise<Buffer>>();

/** The key of unsubscribe links (from the stored secret, made on first use). */
export function keyOf(db: Db): Promise<Buffer> {
  let k = keys.get(db);
  if (!k) {
    k = repo.notifySecret(db).then(unsubscribeKey);
    k.catch(() => keys.delete(db));
    keys.set(db, k);
  }
  return k;
}

/** A valid unsubscribe link token of the person for one kind or all, issued now. */
export async function unsubscribeToken(db: Db, userId: number, scope: UnsubscribeScope, now = new Date()) {
  const key = await keyOf(db);
  const { linkGeneration } = await repo.personOf(db, userId);
  return signUnsubscribe(key, {
    userId,
    scope,
    issuedAt: Math.floor(now.getTime() / 1000),
    generation: linkGeneration,
  });
}

// ---- mails

const kindLabel = (t: Translate, kind: NotifyKind) => t(`desk.notify.kind.${kind}`);

async function footer(
  d: NotifyDeps,
  userId: number,
  scope: UnsubscribeScope,
  essential: boolean,
): Promise<{ text: string; unsubscribeUrl: string; oneClickUrl: string }> {
  const token = await unsubscribeToken(d.db, userId, scope, d.now());
  const unsubscribeUrl = absolute(d.publicUrl, `${UNSUBSCRIBE_PATH}/${token}`);
  const lines = [
    '-- ',
    // An essential mail comes whatever was chosen: it says so instead of why.
    essential
      ? d.t('desk.notify.mail.essential')
      : scope === 'all'
        ? d.t('desk.notify.mail.whyAll')
        : d.t('desk.notify.mail.why', { kind: kindLabel(d.t, scope as NotifyKind) }),
    `${d.t('desk.notify.mail.settings')}: ${absolute(d.publicUrl, NOTIFY_PATH)}`,
    `${scope === 'all' ? d.t('desk.notify.mail.unsubscribeAll') : d.t('desk.notify.mail.unsubscribe')}: ${unsubscribeUrl}`,
  ];
  return { text: lines.join('\n'), unsubscribeUrl, oneClickUrl: absolute(d.publicUrl, `${ONE_CLICK_PATH}/${token}`) };
}

function checkNotification(n: Notification): void {
  if (!Number.isSafeInteger(n.userId) || n.userId <= 0) throw new Error('notify: userId must be an account id');
  if (!(NOTIFY_KINDS as readonly string[]).includes(n.kind)) throw new Error(`notify: unknown kind ${n.kind}`);
  if (!isLocalPath(n.link)) throw new Error(`notify: link must be a local path, got ${n.link.slice(0, 80)}`);
  if (!n.subject.trim()) throw new Error('notify: a notification needs a subject');
}

/** The person's choice for a kind (the default when they have not chosen). */
export async function deliveryFor(db: Db, userId: number, kind: NotifyKind): Promise<Delivery> {
  return (await repo.deliveryOf(db, userId, kind)) ?? DEFAULT_DELIVERY;
}

/** Deliver one notification as its person chose: a mail now, into a digest, or not at all. */
export async function notify(d: NotifyDeps, n: Notification): Promise<void> {
  checkNotification(n);
  const way = route(n, await deliveryFor(d.db, n.userId, n.kind));
  if (way === 'drop') return;
  const subject = n.subject.replace(/\s+/g, ' ').trim().slice(0, 300);
  if (way === 'daily' || way === 'weekly') {
    await repo.enqueue(d.db, { userId: n.userId, kind: n.kind, delivery: way, subject, link: n.link, at: d.now() });
    return;
  }
  const email = await repo.emailOf(d.db, n.userId);
  if (!email) return; // the account is gone
  const foot = await footer(d, n.userId, n.kind, n.essential === true);
  await d.mailer.send({
    to: email,
    subject,
    text: `${n.text.trim()}\n\n${d.t('desk.notify.mail.open')}: ${absolute(d.publicUrl, n.link)}\n\n${foot.text}\n`,
    kind: 'desk-notification',
    listUnsubscribe: foot.oneClickUrl,
  });
}

export function createNotifier(d: NotifyDeps): Notifier {
  return { notify: (n) => notify(d, n) };
}

// ---- digests

/** Most people one run sends a digest to (per kind of digest); the next run continues. */
const BATCH = 200;
/** Sent items are kept this long for the person's export, then removed. */
export const KEEP_SENT_DAYS = 30;

export interface DigestResult {
  daily: number;
  weekly: number;
}

/** One digest of one person: its due items marked sent and the mail written in the same transaction. */
async function sendDigest(d: NotifyDeps, userId: number, delivery: 'daily' | 'weekly', cutoff: Date) {
  const foot = await footer(d, userId, 'all', false);
  return d.db.transaction(async (tx) => {
    const items = await repo.takeDue(tx, userId, delivery, cutoff, d.now());
    if (items.length === 0) return false; // another run was first
    const email = await repo.emailOf(tx, userId);
    if (!email) return false;
    const list = items.map((i) => `- ${i.subject}\n  ${absolute(d.publicUrl, i.link)}`).join('\n');
    const params = { count: items.length };
    await d.mailer.send(
      {
        to: email,
        subject:
          delivery === 'daily'
            ? d.t('desk.notify.digest.subjectDaily', params)
            : d.t('desk.notify.digest.subjectWeekly', params),
        text: `${d.t(delivery === 'daily' ? 'desk.notify.digest.introDaily' : 'desk.notify.digest.introWeekly')}\n\n${list}\n\n${foot.text}\n`,
        kind: 'desk-digest',
        listUnsubscribe: foot.oneClickUrl,
      },
      tx,
    );
    return true;
  });
}

/**
 * Send every due digest: the daily one from 07:00 in Berlin with what was queued before, the weekly one from
 * Monday 07:00. Safe to run on several instances at once (every item goes once).
 */
export async function sendDueDigests(d: NotifyDeps): Promise<DigestResult> {
  const result: DigestResult = { daily: 0, weekly: 0 };
  for (const delivery of ['daily', 'weekly'] as const) {
    const cutoff = digestCutoff(delivery, d.now());
    let after = 0;
    for (;;) {
      const people = await repo.dueRecipients(d.db, delivery, cutoff, after, BATCH);
      for (const userId of people) {
        after = userId;
        try {
          if (await sendDigest(d, userId, delivery, cutoff)) result[delivery]++;
        } catch (err) {
          // One person's mail (e.g. an address the outbox refuses) must not hold up the others; the items stay
          // queued (the transaction rolled back) and are tried again on the next run.
          d.onError?.(err);
        }
      }
      if (people.length < BATCH) break;
    }
  }
  await repo.pruneSent(d.db, new Date(d.now().getTime() - KEEP_SENT_DAYS * 24 * 3600_000));
  return result;
}

// ---- settings

export interface SettingsView {
  preferences: Preferences;
  version: number;
}

async function authorizeOwn(db: Db, actor: Actor, userId: number) {
  authorize(await loadPrincipal(db, actor), NOTIFY_ACTIONS['notify.manage'], { subjectUserId: userId });
}

export async function settings(db: Db, actor: Actor): Promise<SettingsView> {
  await authorizeOwn(db, actor, actor.id);
  const preferences = defaults();
  for (const p of await repo.preferencesOf(db, actor.id)) preferences[p.kind] = p.delivery;
  return { preferences, version: (await repo.personOf(db, actor.id)).version };
}

/** Change one's choices; `version` is the settings' version the form showed (a stale form is a 409). */
export async function saveSettings(
  d: Pick<NotifyDeps, 'db' | 'now'>,
  actor: Actor,
  input: Partial<Record<NotifyKind, string>>,
  version: number,
): Promise<void> {
  await authorizeOwn(d.db, actor, actor.id);
  const errors = NOTIFY_KINDS.filter((k) => !isDelivery(input[k])).map((k) =>
    fieldError(k, 'desk.notify.err.delivery'),
  );
  if (errors.length) throw new ValidationError(errors);
  await d.db.transaction(async (tx) => {
    const person = await repo.lockPerson(tx, actor.id);
    if (person.version !== version) throw new ConflictError(text('desk.notify.err.stale'));
    for (const kind of NOTIFY_KINDS) {
      const delivery = input[kind] as Delivery;
      await repo.setDelivery(tx, actor.id, kind, delivery, d.now());
      await repo.requeue(tx, actor.id, kind, delivery);
    }
    await repo.bumpVersion(tx, actor.id);
  });
}

/** Make every unsubscribe link sent so far invalid (e.g. after forwarding a mail). */
export async function invalidateLinks(db: Db, actor: Actor): Promise<void> {
  await authorizeOwn(db, actor, actor.id);
  await db.transaction((tx) => repo.nextLinkGeneration(tx, actor.id));
}

// ---- unsubscribing by link

export interface UnsubscribeView {
  userId: number;
  scope: UnsubscribeScope;
  kinds: NotifyKind[];
  /** The kinds in scope already set to "none". */
  done: boolean;
}

/** What a token unsubscribes from; null when it is malformed, forged, invalidated or its account is gone. */
export async function checkUnsubscribe(db: Db, token: string): Promise<UnsubscribeView | null> {
  const claims = verifyUnsubscribe(await keyOf(db), token);
  if (!claims) return null;
  if (!(await repo.emailOf(db, claims.userId))) return null;
  if (!isCurrent(claims, (await repo.personOf(db, claims.userId)).linkGeneration)) return null;
  const kinds = claims.scope === 'all' ? [...NOTIFY_KINDS] : [claims.scope];
  const chosen = await repo.preferencesOf(db, claims.userId);
  const done = kinds.every((k) => chosen.some((p) => p.kind === k && p.delivery === 'none'));
  return { userId: claims.userId, scope: claims.scope, kinds, done };
}

/**
 * Set the kinds of a valid token to "none" (their waiting digest items are dropped). False when the token is not
 * valid (anymore). Needs no session: the signed token is the proof.
 */
export async function unsubscribe(d: Pick<NotifyDeps, 'db' | 'now'>, token: string): Promise<boolean> {
  const key = await keyOf(d.db);
  const claims = verifyUnsubscribe(key, token);
  if (!claims) return false;
  return d.db.transaction(async (tx) => {
    if (!(await repo.emailOf(tx, claims.userId))) return false;
    const person = await repo.lockPerson(tx, claims.userId);
    if (!isCurrent(claims, person.linkGeneration)) return false;
    const kinds = claims.scope === 'all' ? [...NOTIFY_KINDS] : [claims.scope];
    for (const kind of kinds) {
      await repo.setDelivery(tx, claims.userId, kind, 'none', d.now());
      await repo.requeue(tx, claims.userId, kind, 'none');
    }
    await repo.bumpVersion(tx, claims.userId);
    return true;
  });
}
