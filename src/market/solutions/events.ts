/** Domain events of the solution market, published by its service in the transaction of the change. */
export const SOLUTION_EVENTS = {
  /** Solutions were published or withdrawn (payload: ids). The conformance schedule may follow them. */
  solutionsChanged: 'market.solutions-changed',
  /** A reference was confirmed or declined (payload: solutionId, referenceId, status). */
  referenceChanged: 'market.solution-reference-changed',
  /** A review or the provider's answer was written (payload: solutionId, reviewId). */
  reviewChanged: 'market.solution-review-changed',
} as const;
