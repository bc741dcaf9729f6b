/** Domain events of the strategy module (published through the outbox, see platform/events). */
export const STRATEGY_EVENTS = {
  drafted: 'strategy.drafted',
  adopted: 'strategy.adopted',
  measureStatusChanged: 'strategy.measure-status',
  published: 'strategy.published',
} as const;
