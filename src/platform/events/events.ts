/**
 * Domain events through an outbox table, the way mails already work: a state change that other modules react
 * to (a check submitted, a register release imported, boundaries imported …) is written as an event in the
 * same transaction (`publish`), so it exists exactly when the change committed. An `EventBus` per running
 * instance delivers new events to the subscriptions the modules declare:
 *
 * - `each-instance`: every instance runs it (caches, in-memory indexes). It sees the events written after
 *   the instance started; the instance's own state is fresh at start anyway.
 * - `once`: exactly one instance of the platform runs it per event (shared work in the database, e.g. the
 *   Lagebild release). Its position is a row in `event_cursors`, locked with FOR UPDATE SKIP LOCKED while it
 *   runs, so two instances never process the same events; delivery is at least once (the cursor advances in
 *   the handler's transaction), so handlers are idempotent.
 *
 * Events reach other instances through NOTIFY (PostgreSQL LISTEN; PGlite delivers in-process) and, as a
 * fallback, by polling the table every `pollMs`.
 */
import type { Db } from '../db/db.js';
import * as repo from './events.repository.js';

export interface DomainEvent {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface Subscription {
  /** Unique name; the cursor's key for `once`. Convention: "<module>.<what it does>". */
  name: string;
  /** Event types it receives. */
  events: readonly string[];
  mode: 'each-instance' | 'once';
  /** Called with one or more new events, oldest first; for `once` inside the transaction that moves the cursor. */
  handle(events: DomainEvent[], db: Db): Promise<void>;
}

/** Write an event inside the transaction of the change it announces. */
export function publish(tx: Db, type: string, payload: Record<string, unknown> = {}): Promise<number> {
  return repo.insertEvent(tx, type, payload);
}

export interface EventBusOptions {
  pollMs?: number;
  onError?: (err: unknown, subscription: string) => void;
}

export class EventBus {
  private readonly subscriptions: Subscription[] = [];
  private readonly local = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    subscriptions: readonly Subscription[] = [],
    private readonly opts: EventBusOptions = {},
  ) {
    this.subscribe(...subscriptions);
  }

  /** Add subscriptions (before `start`). */
  subscribe(...subs: Subscription[]): void {
    for (const s of subs) {
      if (this.subscriptions.some((x) => x.name === s.name)) {
        throw new Error(`two event subscriptions are named "${s.name}"`);
      }
      this.subscriptions.push(s);
    }
  }

  /** The names of the subscriptions (for diagnostics). */
  names(): string[] {
    return this.subscriptions.map((s) => s.name);
  }

  /** Start delivering: listen for notifications and poll. Each-instance subscriptions start at the newest event. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const newest = await repo.lastEventId(this.db);
    for (const s of this.subscriptions) if (s.mode === 'each-instance') this.local.set(s.name, newest);
    try {
      this.stopListening = await this.db.listen(repo.EVENT_CHANNEL, () => this.poke());
    } catch (err) {
      this.opts.onError?.(err, 'listen');
    }
    const pollMs = this.opts.pollMs ?? 1000;
    if (pollMs > 0) {
      this.timer = setInterval(() => this.poke(), pollMs);
      this.timer.unref();
    }
    this.poke();
  }

  /** Run the subscriptions soon (after the current run). */
  poke(): void {
    if (this.stopped) return;
    this.again = true;
    this.running = this.running.then(async () => {
      while (this.again && !this.stopped) {
        this.again = false;
        await this.runOnce();
      }
    });
  }

  /** Deliver everything written so far, and wait for it (tests, CLI commands). */
  async drain(): Promise<void> {
    // Not started (a test app, a CLI command): each-instance subscriptions see every event.
    for (const s of this.subscriptions)
      if (s.mode === 'each-instance' && !this.local.has(s.name)) this.local.set(s.name, 0);
    this.poke();
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running.catch(() => {});
    await this.stopListening?.().catch(() => {});
  }

  private async runOnce(): Promise<void> {
    let handled = false;
    for (const s of this.subscriptions) {
      try {
        if (s.mode === 'each-instance') handled = (await this.runLocal(s)) || handled;
        else handled = (await this.runShared(s)) || handled;
      } catch (err) {
        this.opts.onError?.(err, s.name);
      }
    }
    // A handler may publish events for subscriptions that ran before it this round (e.g. demo strategies after
    // demo checks, for the Lagebild release): go round again until a round handles nothing.
    if (handled) this.again = true;
  }

  /** Deliver the subscription's new events; true when there were any. */
  private async runLocal(s: Subscription): Promise<boolean> {
    for (let handled = false; ; handled = true) {
      const after = this.local.get(s.name) ?? 0;
      const events = await repo.eventsAfter(this.db, after, s.events);
      if (events.length === 0) return handled;
      await s.handle(events, this.db);
      this.local.set(s.name, events[events.length - 1]!.id);
    }
  }

  private async runShared(s: Subscription): Promise<boolean> {
    for (let handled = false; ; handled = true) {
      const more = await this.db.transaction(async (tx) => {
        const after = await repo.lockCursor(tx, s.name, 0);
        if (after === null) return false; // another instance is at it
        const events = await repo.eventsAfter(tx, after, s.events);
        if (events.length === 0) return false;
        await s.handle(events, tx);
        await repo.advanceCursor(tx, s.name, events[events.length - 1]!.id);
        return true;
      });
      if (!more) return handled;
    }
  }
}
