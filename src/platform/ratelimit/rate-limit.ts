/**
 * Rate limits shared by every instance of the platform on one database (fixed windows in
 * `rate_limit_windows`). Two ways to count:
 *
 * - `RateLimits.hit`: one statement per attempt, exact across instances — for the sensitive forms (login,
 *   sign-up, password reset, token creation), where attempts are rare and must not slip through.
 * - `BatchedLimiter`: counts in memory and adds the counts to the shared windows every `flushMs` — for the
 *   API, where a database write per request would cost more than the request. Another instance's requests
 *   are seen within one flush interval; this instance's own at once.
 */
import type { Db } from '../db/db.js';
import * as repo from './rate-limit.repository.js';

export interface Limit {
  /** Key prefix, e.g. "login-ip". */
  name: string;
  max: number;
  windowMs: number;
}

export type LimitResult = { ok: true; remaining: number } | { ok: false; retryAfterS: number };

const retryAfter = (resetAt: Date, now: Date) => Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));

export class RateLimits {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Count one attempt for every (limit, key); a null key is skipped. All count, the strictest answers. */
  async hit(checks: readonly (readonly [Limit, string | null])[]): Promise<LimitResult> {
    const now = this.clock();
    const wanted = new Map<string, Limit>();
    for (const [limit, key] of checks) if (key !== null) wanted.set(`${limit.name}:${key}`, limit);
    const rows = await repo.hitWindows(
      this.db,
      [...wanted].map(([key, l]) => ({ key, by: 1, windowMs: l.windowMs })),
      now,
    );
    return judge(rows, wanted, now);
  }

  /** The current state without counting (e.g. "is this account under attack?"). */
  async peek(checks: readonly (readonly [Limit, string | null])[]): Promise<LimitResult> {
    const now = this.clock();
    const wanted = new Map<string, Limit>();
    for (const [limit, key] of checks) if (key !== null) wanted.set(`${limit.name}:${key}`, limit);
    return judge(await repo.readWindows(this.db, [...wanted.keys()], now), wanted, now, true);
  }

  async reset(limit: Limit, key: string): Promise<void> {
    await repo.resetWindows(this.db, [`${limit.name}:${key}`]);
  }

  /** Remove windows that have ended (called now and then by the server). */
  prune(): Promise<number> {
    return repo.pruneWindows(this.db, this.clock());
  }
}

function judge(rows: repo.WindowState[], limits: Map<string, Limit>, now: Date, atLimit = false): LimitResult {
  let retryAfterS = 0;
  let remaining = Number.POSITIVE_INFINITY;
  for (const r of rows) {
    const l = limits.get(r.key);
    if (!l) continue;
    const over = atLimit ? r.count >= l.max : r.count > l.max;
    if (over) retryAfterS = Math.max(retryAfterS, retryAfter(new Date(r.resetAt), now));
    remaining = Math.min(remaining, Math.max(0, l.max - r.count));
  }
  if (retryAfterS > 0) return { ok: false, retryAfterS };
  return {
    ok: true,
    remaining: Number.isFinite(remaining) ? remaining : Math.min(...[...limits.values()].map((l) => l.max)),
  };
}

/**
 * Per-client limit for high-volume routes: counted in memory at once, added to the shared windows every
 * `flushMs` (one statement for all clients), and judged against the shared total plus what is not flushed yet.
 */
export class BatchedLimiter {
  private readonly pending = new Map<string, number>();
  private readonly known = new Map<string, { count: number; resetAt: number }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    readonly limit: Limit,
    private readonly opts: { flushMs?: number; clock?: () => Date; onError?: (err: unknown) => void } = {},
  ) {}

  private now() {
    return (this.opts.clock?.() ?? new Date()).getTime();
  }

  /** Count one request of `client`. */
  hit(client: string): LimitResult {
    const now = this.now();
    let k = this.known.get(client);
    if (!k || k.resetAt <= now) {
      k = { count: 0, resetAt: now + this.limit.windowMs };
      this.known.set(client, k);
    }
    const pending = (this.pending.get(client) ?? 0) + 1;
    this.pending.set(client, pending);
    this.schedule();
    const total = k.count + pending;
    if (total > this.limit.max) return { ok: false, retryAfterS: Math.max(1, Math.ceil((k.resetAt - now) / 1000)) };
    return { ok: true, remaining: this.limit.max - total };
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.opts.flushMs ?? 200);
    this.timer.unref();
  }

  /** Add the pending counts to the shared windows and learn the totals (also from other instances). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending];
      this.pending.clear();
      try {
        const rows = await repo.hitWindows(
          this.db,
          batch.map(([client, by]) => ({ key: `${this.limit.name}:${client}`, by, windowMs: this.limit.windowMs })),
          new Date(this.now()),
        );
        const prefix = `${this.limit.name}:`;
        for (const r of rows) {
          this.known.set(r.key.slice(prefix.length), { count: r.count, resetAt: new Date(r.resetAt).getTime() });
        }
      } catch (err) {
        // Keep counting locally; the counts are retried with the next flush.
        for (const [client, by] of batch) this.pending.set(client, (this.pending.get(client) ?? 0) + by);
        this.opts.onError?.(err);
      }
      if (this.known.size > 50_000) {
        const now = this.now();
        for (const [k, v] of this.known) if (v.resetAt <= now) this.known.delete(k);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
