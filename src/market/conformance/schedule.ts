/**
 * The scheduled re-check: every `scheduleEveryMs` the job claims up to `batchSize` due artefacts and checks them one
 * after another. Claiming is one statement with FOR UPDATE SKIP LOCKED and a lease (`running_since`), so several
 * instances of the platform never check the same artefact twice at once, and an instance never starts a run while
 * its previous one still works (a long OParl crawl).
 */
import type { ConformanceService } from './registry.service.js';

export function startSchedule(
  service: ConformanceService,
  everyMs: number,
  onError: (err: unknown) => void = () => {},
): (() => Promise<void>) | undefined {
  if (everyMs <= 0) return undefined;
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = service
      .runDue()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
