/** Texts of the conformance checks (verdicts, severities): `lotse check` prints the German ones, pages use both. */
export const checkDe = {
  'market.check.verdict.conformant': 'konform',
  'market.check.verdict.notConformant': 'nicht konform',
  'market.check.verdict.couldNotBeChecked': 'konnte nicht geprüft werden',
  'market.check.severity.error': 'Fehler',
  'market.check.severity.warning': 'Warnung',
  'market.check.severity.info': 'Hinweis',
};

export const checkEn: Record<keyof typeof checkDe, string> = {
  'market.check.verdict.conformant': 'conformant',
  'market.check.verdict.notConformant': 'not conformant',
  'market.check.verdict.couldNotBeChecked': 'could not be checked',
  'market.check.severity.error': 'Error',
  'market.check.severity.warning': 'Warning',
  'market.check.severity.info': 'Note',
};
