/** What other parts of the desk may use of the inquiries (knowledge/: FAQ from answers, figures). */
export type { InquiryRow, MessageRow } from './inquiries.repository.js';
export { advisesInquiry, INQUIRY_ACTIONS, inquiryForFaq, inquiryPath, isOverdue } from './inquiries.service.js';
export {
  ATTACHMENT_LIMITS,
  CONTEXT_KINDS,
  type ContextKind,
  contextHref,
  MEDIA_TYPES,
  type MediaType,
  STATUSES,
  type Status,
  safeFilename,
  sectorName,
  sniffMediaType,
} from './model.js';
