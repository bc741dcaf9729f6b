/** The assessment API's texts on /api/docs (messages `apidoc.<operationId>.…`), German and English. */
export const API_DE = {
  'apidoc.getMaturityModel.summary': 'Das aktuelle Reifegradmodell des Digitalchecks',
  'apidoc.getMaturityModel.description':
    'Dimensionen, Sektoren und Fragen mit ihren fünf Stufenbeschreibungen, wann eine Frage gilt, und den Quellen.',
  'apidoc.getLagebild.summary': 'Das bundesweite Lagebild als offene Daten',
  'apidoc.getLagebild.description':
    'Teilnahme nach Land und Größenklasse; Kennzahlen der Punktzahlen (n, Quartile, Median, Gini, Quintilsabstand) nur für Gruppen ab 5 Kommunen; Verteilungen der Stufen; Streuung je Land und Jahr; unter contributions die Zahlen anderer Module, mit dem Lagebild veröffentlicht und ebenso geschützt (strategy: Anteil der Gemeinden mit beschlossener Digitalstrategie nach Land und Größenklasse, umgesetzte Maßnahmen nach Sektor und Dimension). Standard ist JSON; CSV (die Zahlen des Digitalchecks) mit dem Header Accept: text/csv oder ?format=csv.',
  'apidoc.getLagebild.param.format': 'json (Standard) oder csv',
  'apidoc.getPublishedResult.summary': 'Das veröffentlichte Digitalcheck-Ergebnis einer Kommune',
  'apidoc.getPublishedResult.description':
    'Das neueste Ergebnis, das die Kommune veröffentlicht hat (eine zurückgezogene Veröffentlichung erscheint nicht): Gesamtstufe mit Namen, Punktzahl, Punktzahlen je Dimension, Datum der Einreichung und Modellversion. result ist null, wenn die Kommune kein veröffentlichtes Ergebnis hat. Demodaten werden nie veröffentlicht.',
  'apidoc.getPublishedResult.param.key': 'Amtlicher Gemeindeschlüssel (AGS) oder Schlüssel des Kreises',
};

export const API_EN: Record<keyof typeof API_DE, string> = {
  'apidoc.getMaturityModel.summary': 'The current maturity model of the Digitalcheck',
  'apidoc.getMaturityModel.description':
    'Dimensions, sectors and questions with their five level descriptors, applicability and sources.',
  'apidoc.getLagebild.summary': 'The national picture (Lagebild) as open data',
  'apidoc.getLagebild.description':
    'Participation by Land and size class; score aggregates (n, quartiles, median, Gini, quintile gap) for groups of at least 5 municipalities only; level distributions; divergence per Land and year; under contributions the figures of other modules, released with the Lagebild and protected alike (strategy: share of municipalities with an adopted digital strategy by Land and size class, measures done by sector and dimension). JSON by default; CSV (the Digitalcheck figures) with the header Accept: text/csv or ?format=csv.',
  'apidoc.getLagebild.param.format': 'json (default) or csv',
  'apidoc.getPublishedResult.summary': 'The published Digitalcheck result of a municipality',
  'apidoc.getPublishedResult.description':
    'The newest result the municipality has published (a withdrawn publication is not shown): overall level with its name, score, scores per dimension, submission date and model version. result is null when the municipality has no published result. Demo data is never published.',
  'apidoc.getPublishedResult.param.key': 'Official municipality key (AGS) or Kreis key',
};
