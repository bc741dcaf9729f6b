/**
 * Our own JSON Schema (draft-07, run with ajv) for each publiccode.yml release, built from the release's rules
 * (versions.ts). Each property carries in `description` the section of the standard it comes from; the
 * validator reports it as the finding's `source`. Rules a schema cannot say well (controlled lists per release,
 * SPDX expressions, "at least one language", conditional maintenance keys, country sections, deprecations) are
 * checked in code (rules.ts).
 */
import type { VersionRules } from './versions.js';

export type JsonSchema = Record<string, unknown>;

const CORE = 'schema.core';
const key = (k: string): string => `${CORE} § Key \`${k}\``;

const str = (section: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  description: section,
  ...extra,
});
const bool = (section: string): JsonSchema => ({ type: 'boolean', description: section });
const strings = (section: string, item: JsonSchema = {}, extra: JsonSchema = {}): JsonSchema => ({
  type: 'array',
  description: section,
  items: { type: 'string', description: section, ...item },
  ...extra,
});
const obj = (section: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  description: section,
  properties,
  ...(required.length > 0 ? { required } : {}),
});

const organisation = (section: string): JsonSchema =>
  obj(section, { name: str(section), uri: str(section, { format: 'uri' }) }, ['name']);

const dependency = (section: string): JsonSchema => ({
  type: 'array',
  description: section,
  items: obj(
    `${CORE} § Dependency`,
    {
      name: str(`${CORE} § Dependency`),
      versionMin: str(`${CORE} § Dependency`),
      versionMax: str(`${CORE} § Dependency`),
      version: str(`${CORE} § Dependency`),
      optional: bool(`${CORE} § Dependency`),
    },
    ['name'],
  ),
});

function italianSection(): JsonSchema {
  const it = 'schema.it';
  return obj(
    `${it} § Italy`,
    {
      countryExtensionVersion: str(`${it} § Key \`countryExtensionVersion\``),
      conforme: obj(`${it} § Key \`conforme\``, {
        lineeGuidaDesign: bool(`${it} § Key \`conforme/lineeGuidaDesign\``),
        modelloInteroperabilita: bool(`${it} § Key \`conforme/modelloInteroperabilita\``),
        misureMinimeSicurezza: bool(`${it} § Key \`conforme/misureMinimeSicurezza\``),
        gdpr: bool(`${it} § Key \`conforme/gdpr\``),
      }),
      piattaforme: obj(`${it} § Section \`piattaforme\``, {
        spid: bool(`${it} § Key \`piattaforme/spid\``),
        cie: bool(`${it} § Key \`piattaforme/cie\``),
        anpr: bool(`${it} § Key \`piattaforme/anpr\``),
        pagopa: bool(`${it} § Key \`piattaforme/pagopa\``),
        io: bool(`${it} § Key \`piattaforme/io\``),
      }),
      riuso: obj(`${it} § Section \`riuso\``, {
        codiceIPA: str(`${it} § Key \`riuso/codiceIPA\``, { pattern: '^[A-Za-z0-9_]{1,20}$' }),
      }),
    },
    ['countryExtensionVersion'],
  );
}

export function schemaFor(r: VersionRules): JsonSchema {
  const lang = (k: string): string => key(`description/[lang]/${k}`);
  const description: JsonSchema = {
    type: 'object',
    description: `${CORE} § Section \`description\``,
    minProperties: 1,
    propertyNames: { format: 'bcp47' },
    additionalProperties: obj(
      `${CORE} § Section \`description\``,
      {
        localisedName: str(lang('localisedName')),
        genericName: str(lang('genericName'), { maxLength: 35 }),
        shortDescription: str(lang('shortDescription'), { maxLength: 150 }),
        longDescription: str(lang('longDescription'), { minLength: 150, maxLength: 10000 }),
        documentation: str(lang('documentation'), { format: 'http-url' }),
        apiDocumentation: str(lang('apiDocumentation'), { format: 'http-url' }),
        features: strings(lang('features'), {}, { minItems: 1 }),
        screenshots: strings(lang('screenshots')),
        videos: strings(lang('videos'), { format: 'http-url' }),
        awards: strings(lang('awards')),
      },
      ['shortDescription'],
    ),
  };

  const contractor = obj(
    `${CORE} § Contractor`,
    {
      name: str(`${CORE} § Contractor`),
      until: str(`${CORE} § Contractor`, { format: 'date' }),
      email: str(`${CORE} § Contractor`, { format: 'email' }),
      website: str(`${CORE} § Contractor`, { format: 'http-url' }),
    },
    ['name', 'until'],
  );
  const contact = obj(
    `${CORE} § Contact`,
    {
      name: str(`${CORE} § Contact`),
      email: str(`${CORE} § Contact`, { format: 'email' }),
      phone: str(`${CORE} § Contact`),
      affiliation: str(`${CORE} § Contact`),
    },
    ['name'],
  );

  const properties: Record<string, JsonSchema> = {
    publiccodeYmlVersion: str(key('publiccodeYmlVersion')),
    name: str(key('name'), { minLength: 1 }),
    applicationSuite: str(key('applicationSuite')),
    url: str(key('url'), { format: 'uri' }),
    landingURL: str(key('landingURL'), { format: 'http-url' }),
    // "string or array of strings": `format` applies to the string form only, `items` to the array form only.
    isBasedOn: {
      type: ['string', 'array'],
      description: key('isBasedOn'),
      format: 'uri',
      items: str(key('isBasedOn'), { format: 'uri' }),
    },
    softwareVersion: str(key('softwareVersion')),
    releaseDate: str(key('releaseDate'), { format: 'date' }),
    logo: str(key('logo')),
    monochromeLogo: str(key('monochromeLogo')),
    inputTypes: strings(key('inputTypes'), { pattern: '^[A-Za-z0-9][\\w.+-]*/[A-Za-z0-9][\\w.+-]*$' }),
    outputTypes: strings(key('outputTypes'), { pattern: '^[A-Za-z0-9][\\w.+-]*/[A-Za-z0-9][\\w.+-]*$' }),
    platforms: {
      type: ['string', 'array'],
      description: key('platforms'),
      minLength: 1,
      minItems: 1,
      items: str(key('platforms'), { minLength: 1 }),
    },
    categories: strings(key('categories'), {}, r.categoriesRequired ? { minItems: 1 } : {}),
    usedBy: strings(key('usedBy')),
    roadmap: str(key('roadmap'), { format: 'http-url' }),
    developmentStatus: str(key('developmentStatus'), {
      enum: ['concept', 'development', 'beta', 'stable', 'obsolete'],
    }),
    softwareType: str(key('softwareType'), {
      enum: [
        'standalone/mobile',
        'standalone/iot',
        'standalone/desktop',
        'standalone/web',
        'standalone/backend',
        'standalone/other',
        'addon',
        'library',
        'configurationFiles',
      ],
    }),
    intendedAudience: obj(`${CORE} § Section \`intendedAudience\``, {
      countries: strings(key('intendedAudience/countries')),
      unsupportedCountries: strings(key('intendedAudience/unsupportedCountries')),
      scope: strings(key('intendedAudience/scope')),
    }),
    description,
    legal: obj(
      `${CORE} § Section \`legal\``,
      {
        license: str(key('legal/license')),
        mainCopyrightOwner: str(key('legal/mainCopyrightOwner')),
        repoOwner: str(key('legal/repoOwner')),
        authorsFile: str(key('legal/authorsFile')),
      },
      ['license'],
    ),
    maintenance: obj(
      `${CORE} § Section \`maintenance\``,
      {
        type: str(key('maintenance/type'), { enum: ['internal', 'contract', 'community', 'none'] }),
        contractors: { type: 'array', description: key('maintenance/contractors'), items: contractor },
        contacts: { type: 'array', description: key('maintenance/contacts'), items: contact },
      },
      ['type'],
    ),
    localisation: obj(
      `${CORE} § Section \`localisation\``,
      {
        localisationReady: bool(key('localisation/localisationReady')),
        availableLanguages: strings(key('localisation/availableLanguages'), { format: 'bcp47' }, { minItems: 1 }),
      },
      ['localisationReady', 'availableLanguages'],
    ),
    dependsOn: obj(`${CORE} § Section \`dependsOn\``, {
      open: dependency(key('dependsOn/open')),
      proprietary: dependency(key('dependsOn/proprietary')),
      hardware: dependency(key('dependsOn/hardware')),
    }),
    it: italianSection(),
  };
  if (r.upperCaseCountries) properties.IT = italianSection();
  if (r.fundedBy)
    properties.fundedBy = {
      type: 'array',
      description: key('fundedBy'),
      items: organisation(`${CORE} § Organisation`),
    };
  if (r.organisation === 'name') properties.organisation = organisation(`${CORE} § Section \`organisation\``);
  if (r.organisation === 'uri')
    properties.organisation = obj(
      `${CORE} § Section \`organisation\``,
      { uri: str(key('organisation/uri'), { format: 'uri' }), name: str(key('organisation/name')) },
      ['uri'],
    );
  if (r.supports)
    properties.supports = {
      type: 'array',
      description: key('supports'),
      items: obj(key('supports'), { id: str(key('supports'), { format: 'uri' }) }, ['id']),
    };

  const required = ['publiccodeYmlVersion', 'name', 'url', 'platforms', 'developmentStatus', 'softwareType'];
  if (r.releaseDateRequired) required.push('releaseDate');
  if (r.categoriesRequired) required.push('categories');
  required.push('description', 'legal', 'maintenance', 'localisation');

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://kommunallotse.de/schemas/publiccode/${r.version}.json`,
    title: `publiccode.yml ${r.version}`,
    type: 'object',
    description: `${CORE} § Top-Level Keys and Sections`,
    properties,
    required,
  };
}
