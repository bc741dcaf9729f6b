import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Db } from '../db/db.js';
import { type Mailbox, messageId, normalizeAddress, parseMailbox, renderMessage } from './eml.js';
import {
  claimDueMails,
  countMails,
  getMail,
  insertMail,
  listMails,
  type MailStatus,
  markAttemptFailed,
  markDelivered,
  type OutboxRow,
  requeueFailedMail,
} from './mail.repository.js';

export type { MailStatus, OutboxRow };

export type MailKind =
  | 'verify-email'
  | 'signup-exists'
  | 'password-reset'
  | 'invitation'
  | 'login-link'
  | 'access-request'
  | 'access-decision'
  | 'access-reminder'
  | 'practice-review'
  | 'reuse-request'
  | 'solution-review'
  | 'solution-reference'
  | 'solution-rating'
  | 'desk-notification'
  | 'desk-digest';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  kind: MailKind;
  /**
   * An absolute URL that unsubscribes the recipient with one POST (RFC 8058): sent as `List-Unsubscribe` (and, for
   * https, `List-Unsubscribe-Post`). Only for mails someone can unsubscribe from (notifications, digests).
   */
  listUnsubscribe?: string | null;
}

/** A rendered message handed to the transport: envelope addresses and the RFC 5322 text. */
export interface RawMail {
  from: string;
  to: string;
  raw: string;
}

export type MailTransport = (mail: RawMail) => Promise<void>;

export interface MailerOptions {
  db: Db;
  /** smtp:// or smtps:// URL; null = no SMTP, every mail is stored in the outbox. */
  smtpUrl: string | null;
  /** `address` or `Name <address>`. */
  from: string;
  /** Where stored mails are written as <id>-<kind>.eml (DATA_DIR/outbox); null = database only. */
  outboxDir: string | null;
  clock?: () => Date;
  /** Replaces the SMTP transport (and switches to SMTP mode). */
  transport?: MailTransport;
  /** Errors of background deliveries (the database gone, …); failed sends are recorded in the row instead. */
  onError?: (err: unknown) => void;
}

export interface OutboxFilter {
  status?: MailStatus | null;
  limit?: number;
  offset?: number;
}

export interface DeliveryResult {
  sent: number;
  stored: number;
  failed: number;
}

export interface Mailer {
  readonly mode: 'smtp' | 'outbox';
  /**
   * Record a mail (pass `tx` to write it inside the caller's transaction: a rollback leaves no mail) and
   * trigger its delivery. Without SMTP and without `tx`, the mail is stored before this resolves.
   */
  send(msg: MailMessage, tx?: Db): Promise<{ id: number }>;
  /** Deliver every due pending mail now (never call inside a transaction). Runs one at a time. */
  deliverPending(): Promise<DeliveryResult>;
  /** Run `deliverPending` every `intervalMs` in the background. */
  start(intervalMs: number): void;
  /** Stop the background runs and wait for the running one. */
  stop(): Promise<void>;
  list(filter?: OutboxFilter): Promise<OutboxRow[]>;
  count(filter?: Pick<OutboxFilter, 'status'>): Promise<number>;
  get(id: number): Promise<OutboxRow | null>;
  /** Give a failed mail one more attempt; false when the mail is not failed. */
  retry(id: number): Promise<boolean>;
  /** The RFC 5322 text of a mail, as written to the outbox or sent. */
  render(row: OutboxRow): string;
}

/** Attempts before a mail is marked failed. */
export const MAX_ATTEMPTS = 8;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Wait after the 1st, 2nd, … failed attempt; the last value repeats. */
export const RETRY_DELAYS_MS: readonly number[] = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR, 12 * HOUR];
/** How long a claimed mail is reserved for one delivery attempt (longer than any SMTP timeout below). */
const LEASE_MS = 10 * MINUTE;
const BATCH = 20;

/** When to try again after `attempts` failed attempts; null = give up (status failed). */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const delay = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  return new Date(now.getTime() + delay);
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 2000);
  const code = (err as { code?: unknown }).code;
  const text = typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  return text.slice(0, 2000);
}

function smtpTransport(url: string): { send: MailTransport; close: () => void } {
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    async send(mail) {
      await transporter.sendMail({ envelope: { from: mail.from, to: [mail.to] }, raw: mail.raw });
    },
    close: () => transporter.close(),
  };
}

function checkMessage(msg: MailMessage): MailMessage {
  const subject = msg.subject.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  if (!subject) throw new Error('A mail needs a subject');
  if (msg.listUnsubscribe != null && !/^https?:\/\/[^\s<>,]+$/.test(msg.listUnsubscribe)) {
    throw new Error('listUnsubscribe must be an http(s) URL');
  }
  return { ...msg, to: normalizeAddress(msg.to), subject };
}

export function createMailer(opts: MailerOptions): Mailer {
  const { db } = opts;
  const clock = opts.clock ?? (() => new Date());
  const onError = opts.onError ?? ((err: unknown) => process.emitWarning(`Mail delivery: ${errorText(err)}`));
  const from: Mailbox = parseMailbox(opts.from);
  const smtp = opts.transport ? null : opts.smtpUrl ? smtpTransport(opts.smtpUrl) : null;
  const transport: MailTransport | null = opts.transport ?? smtp?.send ?? null;
  const mode = transport ? 'smtp' : 'outbox';

  let chain: Promise<unknown> = Promise.resolve();
  let waiting = false; // a run is queued and has not started: it will see everything due by then
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  const render = (row: OutboxRow) =>
    renderMessage({
      from,
      to: row.to,
      subject: row.subject,
      text: row.text,
      html: row.html,
      date: row.createdAt,
      messageId: messageId(row.id, row.createdAt, from),
      kind: row.kind,
      listUnsubscribe: row.listUnsubscribe,
    });

  async function writeEml(dir: string, row: OutboxRow, raw: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 }); // mails hold login links: owner only
    const file = path.join(dir, `${row.id}-${row.kind}.eml`);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, raw, { mode: 0o600 });
    await fs.rename(tmp, file);
  }

  /** One attempt; the outcome is recorded in the row. */
  async function deliver(row: OutboxRow): Promise<keyof DeliveryResult> {
    try {
      const raw = render(row);
      if (transport) await transport({ from: from.address, to: row.to, raw });
      else if (opts.outboxDir) await writeEml(opts.outboxDir, row, raw);
    } catch (err) {
      await markAttemptFailed(db, row.id, errorText(err), nextAttemptAt(row.attempts + 1, clock()));
      return 'failed';
    }
    const status = transport ? 'sent' : 'stored';
    await markDelivered(db, row.id, status, clock());
    return status;
  }

  async function runOnce(): Promise<DeliveryResult> {
    waiting = false;
    const result: DeliveryResult = { sent: 0, stored: 0, failed: 0 };
    for (let batch = 0; batch < 50; batch++) {
      const now = clock();
      const rows = await claimDueMails(db, now, new Date(now.getTime() + LEASE_MS), BATCH);
      for (const row of rows) result[await deliver(row)]++;
      if (rows.length < BATCH) break;
    }
    return result;
  }

  function deliverPending(): Promise<DeliveryResult> {
    waiting = true;
    const run = chain.then(runOnce);
    chain = run.catch(() => {});
    return run;
  }

  /** A background run, unless one is already queued. */
  function kick(): void {
    if (closed || waiting) return;
    deliverPending().catch(onError);
  }

  return {
    mode,
    async send(msg, tx) {
      const m = checkMessage(msg);
      const id = await insertMail(tx ?? db, {
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html ?? null,
        kind: m.kind,
        listUnsubscribe: m.listUnsubscribe ?? null,
        createdAt: clock(),
      });
      // Inside a transaction the row is not visible before commit: the queued run (on the embedded database
      // it waits for the transaction) or the next worker run delivers it.
      if (!tx && mode === 'outbox' && !closed) await deliverPending().catch(onError);
      else kick();
      return { id };
    },
    deliverPending,
    start(intervalMs) {
      if (timer || closed) return;
      timer = setInterval(kick, intervalMs);
      timer.unref();
    },
    async stop() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = null;
      await chain;
      smtp?.close();
    },
    list(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
      return listMails(db, { status: filter.status ?? null, limit, offset: Math.max(filter.offset ?? 0, 0) });
    },
    count: (filter = {}) => countMails(db, filter.status ?? null),
    get: (id) => getMail(db, id),
    retry: (id) => requeueFailedMail(db, id, clock()),
    render,
  };
}
