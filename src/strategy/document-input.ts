/**
 * What the council document (Gremienvorlage: HTML view, PDF, DOCX in document/) is made from. The service
 * (strategy.service.ts) assembles it; the renderers only lay it out, in `lang`.
 */
import type { MaturityModel } from '../assessment/index.js';
import type { Lang, Translate } from '../platform/i18n/i18n.js';
import type { MeasureCatalogue } from './measures.js';
import type { CapacityReport, StrategyContent } from './plan.js';

export type StrategyStatus = 'draft' | 'submitted' | 'adopted' | 'superseded';

export interface StrategyDocumentInput {
  lang: Lang;
  /** Messages in `lang`. */
  t: Translate;
  region: {
    key: string;
    /** The display name, e.g. "Denkendorf". */
    name: string;
    /** The official designation, e.g. "Gemeinde", "Markt", "Stadt" (null when unknown). */
    designation: string | null;
    population: number | null;
    /** Name of the Land, e.g. "Baden-Württemberg". */
    stateName: string;
  };
  strategy: {
    id: number;
    status: StrategyStatus;
    revision: number;
    /** "YYYY-MM-DD" */
    submittedOn: string | null;
    adoptedOn: string | null;
    decisionNumber: string | null;
    councilUrl: string | null;
    updatedAt: Date;
    isDemo: boolean;
  };
  /** The title to print (content.title or the generated one). */
  title: string;
  /** The vision to print (content.vision or the generated one). */
  vision: string;
  /** Who steers, to print (content.governance.steering or the generated text). */
  steering: string;
  content: StrategyContent;
  catalogue: MeasureCatalogue;
  model: MaturityModel;
  /** The Digitalcheck the strategy starts from. */
  check: {
    submittedAt: Date;
    overall: number | null;
    level: number | null;
    /** Dimension id → score 0–100 (null: not answered). */
    byDimension: Record<string, number | null>;
    /** Named peer groups with at least 5 others (overall scores). */
    peers: { name: string; n: number; q1: number; median: number; q3: number }[];
  };
  capacity: CapacityReport;
  generatedAt: Date;
}
