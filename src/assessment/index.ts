/** What other modules may use of the Digitalcheck. */
export {
  ASSESSMENT_EVENTS,
  type CheckFacts,
  type CheckResult,
  checkFacts,
  checkPeerGroups,
  checkResult,
  demoCheckFacts,
  laterCheckFacts,
  latestCheckFacts,
  type PeerGroup,
  type PeerProfile,
  peerProfile,
} from './assessment.service.js';
/** The accessible SVG building blocks of the charts, for other modules' charts (the strategy's roadmap). */
export { BarChart, COLORS, SvgImage, safeId, TableWrap } from './charts.js';
export type { Denominators, Lagebild } from './lagebild.js';
export { stateName } from './lagebild.pages.js';
export { currentLagebild, denominators as lagebildDenominators } from './lagebild.service.js';
export {
  applicableQuestions,
  type LocalizedText,
  loadModel,
  type MaturityModel,
  REGION_KINDS,
  type RegionKind,
  regionKindOf,
  SIZE_CLASSES,
  type SizeClass,
  sizeClassOf,
} from './model.js';
export { levelLabel, levelName, peerGroupName } from './result.js';
export { type Level, levelForScore } from './scoring.js';
export { K_MIN, suppressAcrossMargins } from './stats.js';
