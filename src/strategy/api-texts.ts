/** The strategy API's texts on /api/docs (messages `apidoc.<operationId>.…`), German and English. */
export const API_DE = {
  'apidoc.getMeasures.summary': 'Der Maßnahmenkatalog',
  'apidoc.getMeasures.description':
    'Alle Maßnahmen, die eine Kommune umsetzen kann, mit Beschreibung, Dimensionen und Sektoren des Reifegradmodells, den Fragen, die sie voranbringen, Voraussetzungen, Aufwand, Kosten, Dauer, passenden Größen und Arten, Standards, Förderprogrammen, Erfolgsindikatoren und Quellen. Mit version eine ältere Fassung.',
  'apidoc.getMeasures.param.version': 'Fassung des Katalogs, z. B. 1 (ohne Angabe: die aktuelle)',
  'apidoc.getStrategies.summary': 'Die Strategien Ihrer Arbeitsbereiche',
  'apidoc.getStrategies.description':
    'Alle Strategien der Arbeitsbereiche, in denen das Konto des Tokens Mitglied ist, die neueste zuerst. Braucht ein Token mit dem Bereich strategy:read.',
  'apidoc.getStrategy.summary': 'Eine Strategie',
  'apidoc.getStrategy.description':
    'Eine veröffentlichte Strategie für alle; eine Strategie in Arbeit nur mit einem Token (strategy:read) eines Mitglieds ihres Arbeitsbereichs. Mit Zielen, Maßnahmen, Fahrplan, Kapazität und revision.',
  'apidoc.getStrategy.param.id': 'Nummer der Strategie',
  'apidoc.getPublishedStrategy.summary': 'Die veröffentlichte Digitalstrategie einer Kommune',
  'apidoc.getPublishedStrategy.description':
    'Die neueste beschlossene Strategie, die eine Kommune veröffentlicht hat (404, wenn sie keine veröffentlicht hat).',
  'apidoc.getPublishedStrategy.param.key': 'Amtlicher Gemeindeschlüssel (AGS) oder Schlüssel des Kreises',
  'apidoc.createStrategy.summary': 'Eine Strategie aus einem Digitalcheck entwerfen',
  'apidoc.createStrategy.description':
    'Erstellt aus einem eingereichten Digitalcheck Ihres Arbeitsbereichs den vollständigen Entwurf (strategy:write). Hat der Arbeitsbereich schon eine Strategie in Arbeit, kommt diese mit 200 zurück statt 201.',
  'apidoc.addStrategyItem.summary': 'Eine Maßnahme zum Entwurf hinzufügen',
  'apidoc.addStrategyItem.description':
    'Fügt eine Maßnahme des Katalogs zum frühesten passenden Zeitpunkt ein (strategy:write). 409, wenn jemand seit revision dasselbe geändert hat.',
  'apidoc.addStrategyItem.param.id': 'Nummer der Strategie',
  'apidoc.updateStrategyItem.summary': 'Den Plan einer Maßnahme ändern',
  'apidoc.updateStrategyItem.description':
    'owner, start ("JJJJ-MM"), durationMonths, effortDays, costOneOff, costPerYear – alle, mit der revision, auf der die Änderung beruht (strategy:write). 400 nennt jedes falsche Feld; 409, wenn jemand diese Maßnahme seitdem geändert hat.',
  'apidoc.updateStrategyItem.param.id': 'Nummer der Strategie',
  'apidoc.updateStrategyItem.param.measureId': 'Kennung der Maßnahme im Katalog',
  'apidoc.updateStrategyProgress.summary': 'Die Umsetzung einer Maßnahme festhalten',
  'apidoc.updateStrategyProgress.description':
    'status (planned, in_progress, done, dropped), note, actualStart und actualEnd ("JJJJ-MM" oder leer), mit der revision (strategy:write). Geht auch bei beschlossenen Strategien: ihr Plan ist festgeschrieben, ihre Umsetzung nicht.',
  'apidoc.updateStrategyProgress.param.id': 'Nummer der Strategie',
  'apidoc.updateStrategyProgress.param.measureId': 'Kennung der Maßnahme im Katalog',
};

export const API_EN: Record<keyof typeof API_DE, string> = {
  'apidoc.getMeasures.summary': 'The measures catalogue',
  'apidoc.getMeasures.description':
    'Every measure a municipality can carry out, with its description, the dimensions and sectors of the maturity model, the questions it raises, prerequisites, effort, cost, duration, the sizes and types it suits, standards, funding programmes, success indicators and sources. With version an older edition.',
  'apidoc.getMeasures.param.version': 'Edition of the catalogue, e.g. 1 (default: the current one)',
  'apidoc.getStrategies.summary': 'The strategies of your workspaces',
  'apidoc.getStrategies.description':
    'Every strategy of the workspaces the token’s account is a member of, newest first. Needs a token with the scope strategy:read.',
  'apidoc.getStrategy.summary': 'One strategy',
  'apidoc.getStrategy.description':
    'A published strategy for everyone; a strategy in work only with a token (strategy:read) of a member of its workspace. With goals, measures, roadmap, capacity and revision.',
  'apidoc.getStrategy.param.id': 'Number of the strategy',
  'apidoc.getPublishedStrategy.summary': 'The published digital strategy of a municipality',
  'apidoc.getPublishedStrategy.description':
    'The newest adopted strategy a municipality published (404 when it published none).',
  'apidoc.getPublishedStrategy.param.key': 'Official municipality key (AGS) or key of the Kreis',
  'apidoc.createStrategy.summary': 'Draft a strategy from a Digitalcheck',
  'apidoc.createStrategy.description':
    'Makes the complete draft from a submitted Digitalcheck of your workspace (strategy:write). When the workspace already has a strategy in work, that one is returned with 200 instead of 201.',
  'apidoc.addStrategyItem.summary': 'Add a measure to a draft',
  'apidoc.addStrategyItem.description':
    'Adds a catalogue measure at its earliest fit (strategy:write). 409 when someone changed the same since revision.',
  'apidoc.addStrategyItem.param.id': 'Number of the strategy',
  'apidoc.updateStrategyItem.summary': 'Change the plan of a measure',
  'apidoc.updateStrategyItem.description':
    'owner, start ("YYYY-MM"), durationMonths, effortDays, costOneOff, costPerYear – all of them, with the revision the change is based on (strategy:write). 400 names each wrong field; 409 when someone changed this measure since.',
  'apidoc.updateStrategyItem.param.id': 'Number of the strategy',
  'apidoc.updateStrategyItem.param.measureId': 'Id of the measure in the catalogue',
  'apidoc.updateStrategyProgress.summary': 'Record the implementation of a measure',
  'apidoc.updateStrategyProgress.description':
    'status (planned, in_progress, done, dropped), note, actualStart and actualEnd ("YYYY-MM" or empty), with the revision (strategy:write). Works on adopted strategies too: their plan is frozen, their implementation is not.',
  'apidoc.updateStrategyProgress.param.id': 'Number of the strategy',
  'apidoc.updateStrategyProgress.param.measureId': 'Id of the measure in the catalogue',
};
