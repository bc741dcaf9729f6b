/** Texts of the practice validation (model.ts), German first; the parity test checks both languages. */
export const validationDe = {
  'atlas.err.required': 'Bitte ausfüllen.',
  'atlas.err.tooLong': 'Höchstens {max} Zeichen (jetzt {length}).',
  'atlas.err.tooMany': 'Höchstens {max} Einträge.',
  'atlas.err.unknownId': '„{value}“ ist kein bekannter Eintrag dieser Liste.',
  'atlas.err.duplicate': 'Ein Eintrag steht doppelt in der Liste.',
  'atlas.err.year': 'Ein Jahr zwischen {min} und {max}.',
  'atlas.err.endBeforeStart': 'Das Ende liegt vor dem Beginn.',
  'atlas.err.cost': 'Ein Betrag in ganzen Euro, nicht negativ.',
  'atlas.err.url': 'Eine vollständige Adresse mit https:// oder http://.',
  'atlas.err.regionKey': '„{value}“ ist kein amtlicher Schlüssel (Regionalschlüssel oder Gemeindeschlüssel).',
  'atlas.err.status': 'Einer von: {values}.',
  'atlas.err.tag': 'Ein Schlagwort mit 1 bis {max} Zeichen.',
  'atlas.err.email': 'Eine E-Mail-Adresse wie name@kommune.de.',
};

export const validationEn: Record<keyof typeof validationDe, string> = {
  'atlas.err.required': 'Please fill in.',
  'atlas.err.tooLong': 'At most {max} characters (now {length}).',
  'atlas.err.tooMany': 'At most {max} entries.',
  'atlas.err.unknownId': '“{value}” is not a known entry of this list.',
  'atlas.err.duplicate': 'An entry appears twice in the list.',
  'atlas.err.year': 'A year between {min} and {max}.',
  'atlas.err.endBeforeStart': 'The end is before the start.',
  'atlas.err.cost': 'An amount in whole euros, not negative.',
  'atlas.err.url': 'A complete address with https:// or http://.',
  'atlas.err.regionKey': '“{value}” is not an official key (regional key or municipality key).',
  'atlas.err.status': 'One of: {values}.',
  'atlas.err.tag': 'A keyword of 1 to {max} characters.',
  'atlas.err.email': 'An e-mail address such as name@municipality.de.',
};
