/**
 * Which validators, which fetcher and which ownership question the running platform uses: the four built-in
 * validators (registry.ts), the safe fetcher (fetch.ts; private and loopback addresses refused unless
 * CHECK_ALLOW_PRIVATE=true), and the solution market's owner of a solution.
 */
import { solutionOwner } from '../solutions/solutions.service.js';
import { createFetcher } from './fetch.js';
import { VALIDATORS } from './registry.js';
import type { ConformanceWiring } from './registry.service.js';

export function defaultConformanceWiring(opts: { allowPrivate: boolean }): ConformanceWiring {
  return {
    validators: VALIDATORS,
    fetch: createFetcher({ allowPrivate: opts.allowPrivate }),
    ownsSolution: async (db, workspaceId, solutionId) => (await solutionOwner(db, solutionId)) === workspaceId,
  };
}
