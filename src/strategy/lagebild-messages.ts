/** Texts of the strategy figures on the Lagebild (lagebild-view.tsx), German first. */
export const lagebildStrategyDe = {
  'lagebild.strategy.title': 'Digitalstrategien',
  'lagebild.strategy.demoLabel': 'Demodaten:',
  'lagebild.strategy.demoText':
    'Diese Zahlen enthalten erfundene Beispiel-Strategien (mit „lotse seed demo“ erzeugt). Sie sind keine echten Beschlüsse.',
  'lagebild.strategy.total':
    '{adopted} von {municipalities} Gemeinden ({share} %) haben eine Digitalstrategie, die ihr Rat beschlossen hat.',
  'lagebild.strategy.totalNone': 'Bisher hat keine Gemeinde eine beschlossene Digitalstrategie eingetragen.',
  'lagebild.strategy.totalTooFew':
    'Bisher haben weniger als {k} Gemeinden eine beschlossene Digitalstrategie eingetragen; die Zahl erscheint ab {k}.',
  'lagebild.strategy.explained':
    'Gezählt wird jede Gemeinde, deren Rat eine Digitalstrategie beschlossen hat, auch wenn eine neuere Fassung in Arbeit ist. Anzahlen unter {k} erscheinen nicht; „zurückgehalten“ heißt: groß genug, aber verborgen, damit kleinere Gruppen nicht herausgerechnet werden können.',
  'lagebild.strategy.byState': 'Beschlossene Digitalstrategien nach Land',
  'lagebild.strategy.bySize': 'Beschlossene Digitalstrategien nach Größenklasse (Einwohner)',
  'lagebild.strategy.col.land': 'Land',
  'lagebild.strategy.col.size': 'Größenklasse',
  'lagebild.strategy.col.municipalities': 'Gemeinden',
  'lagebild.strategy.col.adopted': 'mit beschlossener Strategie',
  'lagebild.strategy.col.share': 'Anteil %',
  'lagebild.strategy.tooFew': 'weniger als {k}',
  'lagebild.strategy.withheld': 'zurückgehalten',
  'lagebild.strategy.done.title': 'Umgesetzte Maßnahmen',
  'lagebild.strategy.done.text':
    'Maßnahmen der beschlossenen Strategien, die als umgesetzt eingetragen sind, nach Sektor und nach Dimension des Reifegradmodells. Eine Maßnahme zählt in jedem ihrer Sektoren und in jeder ihrer Dimensionen. Ein Wert erscheint erst, wenn mindestens {k} Gemeinden dazu beitragen.',
  'lagebild.strategy.done.bySector': 'Umgesetzte Maßnahmen nach Sektor',
  'lagebild.strategy.done.byDimension': 'Umgesetzte Maßnahmen nach Dimension',
  'lagebild.strategy.col.sector': 'Sektor',
  'lagebild.strategy.col.dimension': 'Dimension',
  'lagebild.strategy.col.measures': 'umgesetzte Maßnahmen',
  'lagebild.strategy.col.from': 'aus Gemeinden',
  'lagebild.strategy.done.tooFew': 'weniger als {k} Gemeinden',
};

export const lagebildStrategyEn: Record<keyof typeof lagebildStrategyDe, string> = {
  'lagebild.strategy.title': 'Digital strategies',
  'lagebild.strategy.demoLabel': 'Demo data:',
  'lagebild.strategy.demoText':
    'These figures include invented example strategies (created with “lotse seed demo”). They are not real council decisions.',
  'lagebild.strategy.total':
    '{adopted} of {municipalities} municipalities ({share} %) have a digital strategy adopted by their council.',
  'lagebild.strategy.totalNone': 'No municipality has entered an adopted digital strategy yet.',
  'lagebild.strategy.totalTooFew':
    'Fewer than {k} municipalities have entered an adopted digital strategy so far; the figure appears from {k}.',
  'lagebild.strategy.explained':
    'Every municipality whose council adopted a digital strategy counts, also while a newer version is in progress. Counts below {k} are not shown; “withheld” means large enough but hidden so that smaller groups cannot be derived.',
  'lagebild.strategy.byState': 'Adopted digital strategies by Land',
  'lagebild.strategy.bySize': 'Adopted digital strategies by size class (inhabitants)',
  'lagebild.strategy.col.land': 'Land',
  'lagebild.strategy.col.size': 'Size class',
  'lagebild.strategy.col.municipalities': 'Municipalities',
  'lagebild.strategy.col.adopted': 'with an adopted strategy',
  'lagebild.strategy.col.share': 'Share %',
  'lagebild.strategy.tooFew': 'fewer than {k}',
  'lagebild.strategy.withheld': 'withheld',
  'lagebild.strategy.done.title': 'Measures done',
  'lagebild.strategy.done.text':
    'Measures of the adopted strategies that are marked as done, by sector and by dimension of the maturity model. A measure counts in each of its sectors and each of its dimensions. A figure appears only when at least {k} municipalities contribute to it.',
  'lagebild.strategy.done.bySector': 'Measures done by sector',
  'lagebild.strategy.done.byDimension': 'Measures done by dimension',
  'lagebild.strategy.col.sector': 'Sector',
  'lagebild.strategy.col.dimension': 'Dimension',
  'lagebild.strategy.col.measures': 'measures done',
  'lagebild.strategy.col.from': 'from municipalities',
  'lagebild.strategy.done.tooFew': 'fewer than {k} municipalities',
};

declare module '../platform/i18n/i18n.js' {
  interface MessageRegistry extends Record<keyof typeof lagebildStrategyDe, true> {}
}
