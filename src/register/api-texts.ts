/** The register API's texts on /api/docs (messages `apidoc.<operationId>.…`), German and English. */
export const API_DE = {
  'apidoc.searchRegions.summary': 'Regionen finden',
  'apidoc.searchRegions.description':
    'Suche nach Name, Schlüsselanfang oder Postleitzahl, mit Filtern. Genaue Treffer von Schlüssel oder Name zuerst, dann größere Orte. Stabile Seiten über einen Cursor; total zählt alle Treffer.',
  'apidoc.searchRegions.param.q':
    'Name (unabhängig von Groß- und Kleinschreibung, Akzenten und kleinen Tippfehlern; Anfang beim Tippen), Anfang eines AGS oder ARS, oder Postleitzahl',
  'apidoc.searchRegions.param.level': 'Eine Ebene oder mehrere, durch Komma getrennt (land, kreis, gemeinde …)',
  'apidoc.searchRegions.param.parent': 'Schlüssel der direkt übergeordneten Region',
  'apidoc.searchRegions.param.state': 'Schlüssel des Landes, z. B. 09',
  'apidoc.searchRegions.param.minPopulation': 'Mindestens so viele Einwohnerinnen und Einwohner',
  'apidoc.searchRegions.param.maxPopulation': 'Höchstens so viele Einwohnerinnen und Einwohner',
  'apidoc.searchRegions.param.sort': 'Ohne Angabe: Relevanz bei q, sonst Schlüssel',
  'apidoc.searchRegions.param.limit': 'Treffer je Seite (1–100, Standard 20)',
  'apidoc.searchRegions.param.cursor': 'nextCursor der vorigen Seite',
  'apidoc.searchRegions.param.includeEnded': 'Auch Regionen, die es nicht mehr gibt',
  'apidoc.getRegion.summary': 'Eine Region',
  'apidoc.getRegion.description':
    'Eine Region mit ihren übergeordneten Regionen, der Zahl der Regionen darunter, Kennzahlen, Gültigkeit und Nachfolger. Schlüssel aufgelöster Regionen bleiben gültig und verweisen auf den Nachfolger.',
  'apidoc.getRegion.param.key':
    'AGS (8 Stellen), ARS (12 Stellen) oder Schlüssel einer Ebene (2, 3, 4, 5 oder 9 Stellen)',
  'apidoc.getRegionChildren.summary': 'Die direkt untergeordneten Regionen',
  'apidoc.getRegionChildren.description': 'Die Regionen eine Ebene unter der angegebenen, nach Schlüssel.',
  'apidoc.getRegionChildren.param.key': 'Schlüssel der Region',
};

export const API_EN: Record<keyof typeof API_DE, string> = {
  'apidoc.searchRegions.summary': 'Find regions',
  'apidoc.searchRegions.description':
    'Search by name, key prefix or postcode, with filters. Exact key or name first, then larger places. Stable cursor pagination; total counts all matches.',
  'apidoc.searchRegions.param.q':
    'Name (case-, accent- and typo-tolerant, prefix while typing), AGS/ARS prefix or postcode',
  'apidoc.searchRegions.param.level': 'One level or a comma-separated list (land, kreis, gemeinde …)',
  'apidoc.searchRegions.param.parent': 'Key of the direct parent',
  'apidoc.searchRegions.param.state': 'Land key, e.g. 09',
  'apidoc.searchRegions.param.minPopulation': 'At least this many inhabitants',
  'apidoc.searchRegions.param.maxPopulation': 'At most this many inhabitants',
  'apidoc.searchRegions.param.sort': 'Default: relevance with q, key without',
  'apidoc.searchRegions.param.limit': 'Hits per page (1–100, default 20)',
  'apidoc.searchRegions.param.cursor': 'nextCursor of the previous page',
  'apidoc.searchRegions.param.includeEnded': 'Also list regions that no longer exist',
  'apidoc.getRegion.summary': 'One region',
  'apidoc.getRegion.description':
    'A region with its parents, counts of regions below it, key figures, validity and successor. Keys of dissolved regions keep working and point to the successor.',
  'apidoc.getRegion.param.key': 'AGS (8 digits), ARS (12) or a level key (2, 3, 4, 5 or 9 digits)',
  'apidoc.getRegionChildren.summary': 'Direct children of a region',
  'apidoc.getRegionChildren.description': 'The regions one level below the given one, by key.',
  'apidoc.getRegionChildren.param.key': 'Key of the region',
};
