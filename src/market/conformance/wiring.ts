/**
 * Which validators, which fetcher and which ownership question the running platform uses: the four built-in
 * validators (registry.ts), the safe fetcher (fetch.ts; private and loopback addresses refused unless
 * CHECK_ALLOW_PRIVATE=true), and — until the solution market is merged — no solution owned by anybody.
 */
import { createFetcher } from './fetch.js';
import { VALIDATORS } from './registry.js';
import type { ConformanceWiring } from './registry.service.js';

export function defaultConformanceWiring(opts: { allowPrivate: boolean }): ConformanceWiring {
  return {
    validators: VALIDATORS,
    fetch: createFetcher({ allowPrivate: opts.allowPrivate }),
    ownsSolution: async () => false,
  };
}
