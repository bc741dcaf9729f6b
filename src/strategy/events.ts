/**
 * Domain events of the strategy module (src/platform/events), published by its service in the transaction of the
 * change. The Lagebild is released again after each of them (`lagebildFigures` in module.ts lists them).
 */
export const STRATEGY_EVENTS = {
  /** A draft was made from a check (payload: strategyId, regionKey). */
  drafted: 'strategy.drafted',
  /** A strategy was adopted by the council (payload: strategyId, regionKey). */
  adopted: 'strategy.adopted',
  /** The status of a measure of a strategy changed, e.g. to done (payload: strategyId, measureId, status). */
  measureStatusChanged: 'strategy.measure-status',
  /** A strategy was published or its publication withdrawn (payload: strategyId, published). */
  published: 'strategy.published',
} as const;
