/**
 * Domain events of the atlas (src/platform/events), published by its service in the transaction of the change.
 * Every instance's search index follows them (an `each-instance` subscription reloads the named projects), and the
 * Lagebild is released again after them.
 */
export const ATLAS_EVENTS = {
  /** Projects were published, withdrawn or deleted (payload: ids). */
  practicesChanged: 'atlas.practices-changed',
  /** A reuse was confirmed by the project's team, or withdrawn (payload: practiceId, reuseId). */
  reuseChanged: 'atlas.reuse-changed',
} as const;
