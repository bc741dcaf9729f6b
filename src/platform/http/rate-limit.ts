/**
 * Fixed-window rate limiting for the sensitive forms (login, sign-up, password reset, token creation),
 * keyed per client IP and per account. In memory: one process serves one instance; behind several
 * instances each counts for itself (documented in docs/operations.md).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Count one attempt for `key`; when over the limit, say how many seconds until the window ends. */
  hit(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterS: number } {
    if (this.windows.size > 50_000) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count > this.limit) return { ok: false, retryAfterS: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
    return { ok: true };
  }

  reset(key: string) {
    this.windows.delete(key);
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

/** Several limiters checked together (e.g. per IP and per account); all count, the strictest answers. */
export function hitAll(checks: [RateLimiter, string | null][], now = Date.now()) {
  let retryAfterS = 0;
  for (const [limiter, key] of checks) {
    if (key === null) continue;
    const r = limiter.hit(key, now);
    if (!r.ok) retryAfterS = Math.max(retryAfterS, r.retryAfterS);
  }
  return retryAfterS > 0 ? { ok: false as const, retryAfterS } : { ok: true as const };
}
