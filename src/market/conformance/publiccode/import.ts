/**
 * The publiccode.yml import mapping (issue 11, solution market): what a provider's solution form is prefilled with
 * when the provider names a publiccode.yml URL. It reads leniently — a file with findings still yields what it
 * has — and never throws for bad input; a text that is not a YAML mapping yields `undefined`.
 */
import { parse } from 'yaml';
import { parseSpdxExpression } from './spdx.js';

export interface PubliccodeContact {
  name: string;
  email?: string;
  phone?: string;
  affiliation?: string;
}
export interface PubliccodeContractor {
  name: string;
  until?: string;
  email?: string;
  website?: string;
}

export interface PubliccodeSolution {
  /** `description/[lang]/localisedName` of the chosen language, else `name`. */
  name: string;
  /** `longDescription` (else `shortDescription`) of the chosen language, trimmed; '' when none. */
  description: string;
  /** Short description of the chosen language, when present. */
  shortDescription?: string;
  /** The BCP 47 key the description was taken from: German first (`de`, `de-DE` …), then English, then the first. */
  descriptionLanguage?: string;
  /** `legal/license` as written (an SPDX expression); '' when missing. */
  licence: string;
  /**
   * true when `legal/license` is a valid SPDX expression (publiccode.yml requires an open-source licence there).
   * A missing or unparsable licence gives false: the platform flags open source only from a readable licence.
   */
  openSource: boolean;
  maintenance: {
    /** `internal`, `contract`, `community`, `none` (or whatever the file says; '' when missing). */
    type: string;
    contractors?: PubliccodeContractor[];
    contacts?: PubliccodeContact[];
  };
  /** Names of `dependsOn/open`, `dependsOn/proprietary`, `dependsOn/hardware`, with the version when given. */
  dependencies: string[];
  /** The same dependencies, structured. */
  dependencyDetails: { kind: 'open' | 'proprietary' | 'hardware'; name: string; version?: string; optional: boolean }[];
  url?: string;
  landingURL?: string;
  platforms?: string[];
  softwareType?: string;
  categories?: string[];
  /** `publiccodeYmlVersion` as written. */
  publiccodeYmlVersion?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v.trim() || undefined : typeof v === 'number' ? String(v) : undefined;
const texts = (v: unknown): string[] | undefined => {
  const list = (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(text).filter((s): s is string => !!s);
  return list.length > 0 ? list : undefined;
};

/** Picks the description language: German first, then English, then the first one given. */
function pickLanguage(description: Obj): string | undefined {
  const keys = Object.keys(description).filter((k) => isObj(description[k]));
  const by = (primary: string) =>
    keys.find((k) => k.toLowerCase() === primary || k.toLowerCase().startsWith(`${primary}-`));
  return by('de') ?? by('en') ?? keys[0];
}

export function publiccodeToSolution(source: string): PubliccodeSolution | undefined {
  let doc: unknown;
  try {
    doc = parse(source, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (!isObj(doc)) return undefined;

  const description = isObj(doc.description) ? doc.description : {};
  const lang = pickLanguage(description);
  const d = lang ? (description[lang] as Obj) : {};
  const legal = isObj(doc.legal) ? doc.legal : {};
  const licence = text(legal.license) ?? '';
  const maintenance = isObj(doc.maintenance) ? doc.maintenance : {};

  const contacts = Array.isArray(maintenance.contacts)
    ? maintenance.contacts.filter(isObj).flatMap((c): PubliccodeContact[] => {
        const name = text(c.name);
        if (!name) return [];
        const out: PubliccodeContact = { name };
        if (text(c.email)) out.email = text(c.email);
        if (text(c.phone)) out.phone = text(c.phone);
        if (text(c.affiliation)) out.affiliation = text(c.affiliation);
        return [out];
      })
    : [];
  const contractors = Array.isArray(maintenance.contractors)
    ? maintenance.contractors.filter(isObj).flatMap((c): PubliccodeContractor[] => {
        const name = text(c.name);
        if (!name) return [];
        const out: PubliccodeContractor = { name };
        if (text(c.until)) out.until = text(c.until);
        if (text(c.email)) out.email = text(c.email);
        if (text(c.website)) out.website = text(c.website);
        return [out];
      })
    : [];

  const dependencyDetails: PubliccodeSolution['dependencyDetails'] = [];
  const dependsOn = isObj(doc.dependsOn) ? doc.dependsOn : {};
  for (const kind of ['open', 'proprietary', 'hardware'] as const) {
    const list = dependsOn[kind];
    if (!Array.isArray(list)) continue;
    for (const dep of list.filter(isObj)) {
      const name = text(dep.name);
      if (!name) continue;
      const min = text(dep.versionMin);
      const max = text(dep.versionMax);
      const version =
        text(dep.version) ?? (min && max ? `${min}–${max}` : min ? `≥ ${min}` : max ? `≤ ${max}` : undefined);
      dependencyDetails.push({ kind, name, ...(version ? { version } : {}), optional: dep.optional === true });
    }
  }

  const out: PubliccodeSolution = {
    name: text(d.localisedName) ?? text(doc.name) ?? '',
    description: text(d.longDescription) ?? text(d.shortDescription) ?? '',
    licence,
    openSource: licence !== '' && parseSpdxExpression(licence).ok,
    maintenance: {
      type: text(maintenance.type) ?? '',
      ...(contractors.length > 0 ? { contractors } : {}),
      ...(contacts.length > 0 ? { contacts } : {}),
    },
    dependencies: dependencyDetails.map((x) => (x.version ? `${x.name} ${x.version}` : x.name)),
    dependencyDetails,
  };
  if (text(d.shortDescription)) out.shortDescription = text(d.shortDescription);
  if (lang) out.descriptionLanguage = lang;
  if (text(doc.url)) out.url = text(doc.url);
  if (text(doc.landingURL)) out.landingURL = text(doc.landingURL);
  const platforms = texts(doc.platforms);
  if (platforms) out.platforms = platforms;
  if (text(doc.softwareType)) out.softwareType = text(doc.softwareType);
  const categories = texts(doc.categories);
  if (categories) out.categories = categories;
  if (text(doc.publiccodeYmlVersion)) out.publiccodeYmlVersion = text(doc.publiccodeYmlVersion);
  return out;
}
