import { createRequire } from 'node:module';
import type { RegionRecord } from './region.js';

/**
 * The register a fresh installation starts with, without any download: the 16 Länder and the
 * Kreise with area and population from the npm package `landkreise-deutschland` (CC-BY-4.0,
 * Alexander Wunschik, data: Destatis GV-ISys, Gebietsstand 31.12.2018). The first import of an
 * official GV100AD release supersedes it as a normal release update.
 */
export const EMBEDDED_SOURCE = 'landkreise-deutschland';
export const EMBEDDED_RELEASE = '2018-12-31';

/** Official names of the Länder and their seats of government. */
export const STATES: Record<string, { name: string; seat: string }> = {
  '01': { name: 'Schleswig-Holstein', seat: 'Kiel' },
  '02': { name: 'Hamburg', seat: 'Hamburg' },
  '03': { name: 'Niedersachsen', seat: 'Hannover' },
  '04': { name: 'Bremen', seat: 'Bremen' },
  '05': { name: 'Nordrhein-Westfalen', seat: 'Düsseldorf' },
  '06': { name: 'Hessen', seat: 'Wiesbaden' },
  '07': { name: 'Rheinland-Pfalz', seat: 'Mainz' },
  '08': { name: 'Baden-Württemberg', seat: 'Stuttgart' },
  '09': { name: 'Bayern', seat: 'München' },
  '10': { name: 'Saarland', seat: 'Saarbrücken' },
  '11': { name: 'Berlin', seat: 'Berlin' },
  '12': { name: 'Brandenburg', seat: 'Potsdam' },
  '13': { name: 'Mecklenburg-Vorpommern', seat: 'Schwerin' },
  '14': { name: 'Sachsen', seat: 'Dresden' },
  '15': { name: 'Sachsen-Anhalt', seat: 'Magdeburg' },
  '16': { name: 'Thüringen', seat: 'Erfurt' },
};

interface District {
  AGS: string | number;
  type: string;
  name: string;
  area_km2: number;
  population: number;
  population_male: number;
  population_female: number;
}

/** GV100AD Textkennzeichen for the package's Kreis types. */
const KREIS_TYPE_CODES: Record<string, string> = {
  'Kreisfreie Stadt': '41',
  Stadtkreis: '42',
  Kreis: '43',
  Landkreis: '44',
  Regionalverband: '45',
};

export function embeddedRegions(): RegionRecord[] {
  const require = createRequire(import.meta.url);
  const districts = require('landkreise-deutschland/data/districts.json') as District[];
  const kreise: RegionRecord[] = districts.map((d) => {
    const key = String(d.AGS).padStart(5, '0');
    return {
      key,
      level: 'kreis',
      ars: key,
      parentKey: key.slice(0, 2),
      name: d.name,
      designationCode: KREIS_TYPE_CODES[d.type] ?? null,
      seat: null,
      areaKm2: d.area_km2,
      population: d.population,
      populationMale: d.population_male,
      populationFemale: d.population_female,
      postcode: null,
      multiplePostcodes: false,
      release: EMBEDDED_RELEASE,
    };
  });
  const states: RegionRecord[] = Object.entries(STATES).map(([key, s]) => {
    const own = kreise.filter((k) => k.key.startsWith(key));
    const sum = (f: (k: RegionRecord) => number | null) => own.reduce((acc, k) => acc + (f(k) ?? 0), 0);
    return {
      key,
      level: 'land',
      ars: key,
      parentKey: null,
      name: s.name,
      designationCode: null,
      seat: s.seat,
      areaKm2: Math.round(sum((k) => k.areaKm2) * 100) / 100,
      population: sum((k) => k.population),
      populationMale: sum((k) => k.populationMale),
      populationFemale: sum((k) => k.populationFemale),
      postcode: null,
      multiplePostcodes: false,
      release: EMBEDDED_RELEASE,
    };
  });
  return [...states, ...kreise];
}
