import type { Tasks } from './module.js';

/**
 * Background work that must not delay an answer, e.g. the work behind "send me a reset link": the answer is
 * the same, and takes the same time, whether or not the address has an account.
 */
export function createTasks(onError: (name: string, err: unknown) => void): Tasks {
  const running = new Set<Promise<unknown>>();
  return {
    run(name, fn) {
      const p = Promise.resolve()
        .then(fn)
        .catch((err) => onError(name, err))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
