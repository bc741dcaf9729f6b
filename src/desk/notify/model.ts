/**
 * The rules of notifications, pure: which way a notification goes for a person's choice, when the daily and weekly
 * digests are due (07:00 in Berlin; weekly on Monday), and the texts of the mails.
 */
import { DELIVERIES, type Delivery, NOTIFY_KINDS, type Notification, type NotifyKind } from '../contract.js';
import { atBerlinWallClock, berlinDate } from '../sla/clock.js';

/** The delivery when a person has not chosen (documented in docs/desk/notify.md). */
export const DEFAULT_DELIVERY: Delivery = 'immediate';
export type Preferences = Record<NotifyKind, Delivery>;

export const defaults = (): Preferences =>
  Object.fromEntries(NOTIFY_KINDS.map((k) => [k, DEFAULT_DELIVERY])) as Preferences;

export const isKind = (v: unknown): v is NotifyKind => (NOTIFY_KINDS as readonly unknown[]).includes(v);
export const isDelivery = (v: unknown): v is Delivery => (DELIVERIES as readonly unknown[]).includes(v);

export type Route = 'mail' | 'daily' | 'weekly' | 'drop';

/** Where one notification goes: essential ones always as a mail at once, else as the person chose. */
export function route(n: Pick<Notification, 'essential'>, delivery: Delivery): Route {
  if (n.essential) return 'mail';
  switch (delivery) {
    case 'immediate':
      return 'mail';
    case 'daily':
      return 'daily';
    case 'weekly':
      return 'weekly';
    case 'none':
      return 'drop';
  }
}

/** Digests go out from this local time in Berlin. */
export const DIGEST_HOUR = 7;
const DAY_MS = 24 * 3600_000;
const prevDate = (date: string, days = 1) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

/**
 * The latest digest time at or before `now`: 07:00 in Berlin today (or yesterday, before 07:00); for the weekly
 * digest the latest Monday 07:00. Items queued before it are due.
 */
export function digestCutoff(delivery: 'daily' | 'weekly', now: Date): Date {
  let date = berlinDate(now);
  let at = atBerlinWallClock(date, DIGEST_HOUR * 3600_000);
  if (at.getTime() > now.getTime()) {
    date = prevDate(date);
    at = atBerlinWallClock(date, DIGEST_HOUR * 3600_000);
  }
  if (delivery === 'daily') return at;
  const weekday = (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  return weekday === 0 ? at : atBerlinWallClock(prevDate(date, weekday), DIGEST_HOUR * 3600_000);
}

/** Whether a link is a local path (the notifier makes it absolute; never a URL from elsewhere). */
export function isLocalPath(link: string): boolean {
  return /^\/(?![/\\])[^\s\\]*$/.test(link) && link.length <= 2000;
}

/** An absolute URL of a local path under the configured public URL. */
export function absolute(publicUrl: string, localPath: string): string {
  const base = publicUrl.endsWith('/') ? publicUrl.slice(0, -1) : publicUrl;
  return `${base}${localPath}`;
}
