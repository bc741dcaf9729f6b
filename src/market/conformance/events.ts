/**
 * Domain events of the conformance registry (src/platform/events), published in the transaction of the change. The
 * Lagebild is released again after them (its conformance figures).
 */
export const CONFORMANCE_EVENTS = {
  /** A check was stored (payload: artefactId, checkId, standard, verdict, regionKey, solutionId). */
  checked: 'market.conformance-checked',
  /** An artefact was registered or removed (payload: artefactId). */
  changed: 'market.conformance-changed',
} as const;
