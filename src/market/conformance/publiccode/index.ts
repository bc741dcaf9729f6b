/** The publiccode.yml part of the market's conformance checks (issue 11). */
export { type PubliccodeSolution, publiccodeToSolution } from './import.js';
export { schemaFor } from './schema.js';
export { parseSpdxExpression, type SpdxResult } from './spdx.js';
export {
  checkPubliccodeText,
  PUBLICCODE_VALIDATOR_VERSION,
  publiccodeValidator,
  rawUrlFor,
} from './validator.js';
export { RELEASES, resolveVersion, type VersionRules } from './versions.js';
