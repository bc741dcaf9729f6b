import { defineMessages } from '../platform/i18n/i18n.js';
import { API_DE, API_EN } from './api-texts.js';
import { documentDe, documentEn } from './document/messages.js';
import { lagebildStrategyDe, lagebildStrategyEn } from './lagebild-messages.js';
import { measuresPagesDe, measuresPagesEn } from './measures-messages.js';
import { pagesDe, pagesEn } from './pages-messages.js';
import { strategyDe, strategyEn } from './strategy-messages.js';

/** Texts of the strategy module, German first (the parity test checks both languages). */
const de = {
  ...strategyDe,
  ...pagesDe,
  ...API_DE,
  ...measuresPagesDe,
  ...documentDe,
  ...lagebildStrategyDe,
  'strategy.reason.goal.keep': 'Sie sind hier schon auf der höchsten Stufe; das Ziel ist, sie zu halten.',
  'strategy.reason.goal.peers':
    'Weil Sie heute auf Stufe {level} sind und das obere Viertel vergleichbarer Kommunen Stufe {peerLevel} erreicht.',
  'strategy.reason.goal.peersCapped':
    'Das obere Viertel vergleichbarer Kommunen erreicht Stufe {peerLevel}; von heute Stufe {level} sind in drei Jahren höchstens {step} Stufen realistisch.',
  'strategy.reason.goal.aheadOfPeers':
    'Sie sind mit Stufe {level} schon auf der Höhe des oberen Viertels vergleichbarer Kommunen (Stufe {peerLevel}); das Ziel ist die nächste Stufe.',
  'strategy.reason.goal.next':
    'Weil Sie heute auf Stufe {level} sind: die nächste Stufe ist in drei Jahren erreichbar. (Für einen Vergleich gibt es noch zu wenige vergleichbare Kommunen.)',
  'strategy.reason.measure.peers':
    'Weil Ihre Antwort zu „{question}“ Stufe {level} ist und vergleichbare Kommunen im Median Stufe {median} erreichen.',
  'strategy.reason.measure.goal':
    'Weil Ihre Antwort zu „{question}“ Stufe {level} ist und Ihr Ziel für diesen Bereich Stufe {target} ist.',
  'strategy.reason.measure.general': 'Weil diese Maßnahme Ihre Ziele voranbringt.',
  'strategy.reason.measure.prerequisite': 'Voraussetzung für „{measure}“.',
  'strategy.reason.measure.team': 'Vom Team ergänzt.',
  'strategy.warn.horizon': '„{measure}“ endet erst {end}, nach den drei Jahren der Strategie.',
  'strategy.warn.staff':
    'Im Monat {month} sind {planned} Personentage geplant, verfügbar sind {capacity} je Monat. Verschieben Sie Maßnahmen oder erhöhen Sie die Kapazität.',
  'strategy.warn.budget':
    'Im {year}. Jahr der Strategie sind {planned} € geplant, das Budget ist {capacity} € je Jahr.',
  'measures.err.version': 'Diese Fassung des Maßnahmenkatalogs gibt es nicht. Vorhanden: {versions}.',
};

const en: Record<keyof typeof de, string> = {
  ...strategyEn,
  ...pagesEn,
  ...API_EN,
  ...measuresPagesEn,
  ...documentEn,
  ...lagebildStrategyEn,
  'strategy.reason.goal.keep': 'You are already at the highest level here; the goal is to keep it.',
  'strategy.reason.goal.peers':
    'Because you are at level {level} today and the upper quarter of comparable municipalities reaches level {peerLevel}.',
  'strategy.reason.goal.peersCapped':
    'The upper quarter of comparable municipalities reaches level {peerLevel}; from level {level} today, at most {step} levels are realistic in three years.',
  'strategy.reason.goal.aheadOfPeers':
    'At level {level} you are already level with the upper quarter of comparable municipalities (level {peerLevel}); the goal is the next level.',
  'strategy.reason.goal.next':
    'Because you are at level {level} today: the next level is within reach in three years. (There are too few comparable municipalities for a comparison yet.)',
  'strategy.reason.measure.peers':
    'Because your answer to “{question}” is level {level} and comparable municipalities reach level {median} in the median.',
  'strategy.reason.measure.goal':
    'Because your answer to “{question}” is level {level} and your goal for this area is level {target}.',
  'strategy.reason.measure.general': 'Because this measure advances your goals.',
  'strategy.reason.measure.prerequisite': 'Prerequisite for “{measure}”.',
  'strategy.reason.measure.team': 'Added by the team.',
  'strategy.warn.horizon': '“{measure}” ends only in {end}, after the three years of the strategy.',
  'strategy.warn.staff':
    'In {month}, {planned} person-days are planned; {capacity} per month are available. Move measures or raise the capacity.',
  'strategy.warn.budget':
    'In year {year} of the strategy, EUR {planned} are planned; the budget is EUR {capacity} per year.',
  'measures.err.version': 'This edition of the measures catalogue does not exist. Available: {versions}.',
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof de, true> {}
}

export const messages = defineMessages('strategy', de, en);
