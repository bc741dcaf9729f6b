/**
 * The published publiccode.yml versions and what differs between them, as far as this validator judges it.
 *
 * Read from the standard's texts (publiccodeyml/publiccode.yml, CC0-1.0): `schema.core.rst` and `schema.it.rst`
 * of v0.7.0, the category and scope lists of every release, the release notes of core-0.2, the change that made
 * `categories` optional and added `other` (v0.5.0, proposal #241) and the one adding `organisation` (v0.5.0).
 * Where the text of an older release was not at hand the rule follows the reading written next to it; the
 * documentation (docs/conformance/publiccode.md) lists these choices.
 */
import type { CategoryList } from './vocab.js';

export interface VersionRules {
  /** Canonical release, e.g. "0.4.0". */
  version: string;
  /** Category list of this release. */
  categories: CategoryList;
  /** `releaseDate` mandatory (core-0.2.x; optional from v0.3.0). */
  releaseDateRequired: boolean;
  /** `categories` mandatory (up to v0.4.0; optional from v0.5.0). */
  categoriesRequired: boolean;
  /** `fundedBy` defined. */
  fundedBy: boolean;
  /** `organisation` section: none, `name` mandatory (v0.5.0, v0.6.0), `uri` mandatory (v0.7.0). */
  organisation: 'none' | 'name' | 'uri';
  /** `supports` key with the list of aliases (v0.7.0). */
  supports: boolean;
  /** Upper-case country codes (`IT:` section, `intendedAudience/countries`) allowed; lower case deprecated. */
  upperCaseCountries: boolean;
  /** The country sections as a whole are deprecated (v0.7.0). */
  countrySectionsDeprecated: boolean;
  /** Allowed values of `IT/countryExtensionVersion`. */
  itExtensionVersions: readonly string[];
  /** Deprecated keys (JSON path without `$.`, `[lang]` for any language) in this release. */
  deprecatedKeys: readonly string[];
}

const base: Omit<VersionRules, 'version'> = {
  categories: '0.2',
  releaseDateRequired: true,
  categoriesRequired: true,
  fundedBy: false,
  organisation: 'none',
  supports: false,
  upperCaseCountries: false,
  countrySectionsDeprecated: false,
  itExtensionVersions: ['0.2', '1.0'],
  deprecatedKeys: [],
};

const v0_3: Omit<VersionRules, 'version'> = {
  ...base,
  categories: '0.3',
  releaseDateRequired: false,
};
const v0_4: Omit<VersionRules, 'version'> = {
  ...v0_3,
  categories: '0.4',
  fundedBy: true,
  upperCaseCountries: true,
  deprecatedKeys: ['description.[lang].genericName'],
};
const v0_5: Omit<VersionRules, 'version'> = {
  ...v0_4,
  categories: '0.5',
  categoriesRequired: false,
  organisation: 'name',
  deprecatedKeys: [...v0_4.deprecatedKeys, 'legal.repoOwner'],
};
const v0_7: Omit<VersionRules, 'version'> = {
  ...v0_5,
  organisation: 'uri',
  supports: true,
  countrySectionsDeprecated: true,
  itExtensionVersions: ['1.0'],
  deprecatedKeys: [
    ...v0_5.deprecatedKeys,
    'monochromeLogo',
    'inputTypes',
    'outputTypes',
    'legal.authorsFile',
    'IT.countryExtensionVersion',
    'IT.conforme.lineeGuidaDesign',
    'IT.conforme.modelloInteroperabilita',
    'IT.conforme.misureMinimeSicurezza',
    'IT.conforme.gdpr',
    'IT.piattaforme.spid',
    'IT.piattaforme.cie',
    'IT.piattaforme.anpr',
    'IT.piattaforme.pagopa',
    'IT.piattaforme.io',
    'IT.riuso.codiceIPA',
  ],
};

/** Every published release, newest last. */
export const RELEASES: readonly VersionRules[] = [
  { version: '0.2.0', ...base },
  { version: '0.2.1', ...base },
  { version: '0.2.2', ...base },
  { version: '0.3.0', ...v0_3 },
  { version: '0.4.0', ...v0_4 },
  { version: '0.5.0', ...v0_5 },
  { version: '0.6.0', ...v0_5 },
  { version: '0.7.0', ...v0_7 },
];

export const LATEST = RELEASES[RELEASES.length - 1]!;

/**
 * The value of `publiccodeYmlVersion` → the release it is judged against. Short forms name the latest patch
 * release of a minor ("0.2" → 0.2.2, "0.4" → 0.4.0); "0" means the latest 0.x (schema.core: the key "specifies
 * the version to which the file adheres"; the v0.7.0 examples use "0").
 */
export function resolveVersion(declared: string): VersionRules | undefined {
  if (declared === '0') return LATEST;
  const exact = RELEASES.find((r) => r.version === declared);
  if (exact) return exact;
  if (/^0\.\d+$/.test(declared)) {
    const family = RELEASES.filter((r) => r.version.startsWith(`${declared}.`));
    return family[family.length - 1];
  }
  return undefined;
}

export const KNOWN_VERSION_VALUES: readonly string[] = [
  '0',
  ...new Set(RELEASES.flatMap((r) => [r.version.replace(/\.\d+$/, ''), r.version])),
];
