/**
 * Which validators, which fetcher and which ownership question the running platform uses. Until the lead wires the
 * real ones (the four validators, `createFetcher({ allowPrivate })` from fetch.ts, the solution market's
 * ownership), every check is "could not be checked" with that reason, and nobody owns a solution.
 */
import type { ConformanceWiring } from './registry.service.js';
import { FetchRefused } from './types.js';

export function defaultConformanceWiring(): ConformanceWiring {
  return {
    validators: {},
    fetch: async () => {
      throw new FetchRefused('network', 'Auf dieser Instanz ist kein Abrufdienst eingerichtet.');
    },
    ownsSolution: async () => false,
  };
}
