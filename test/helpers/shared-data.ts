import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/data beside the checkout: real open data for tests and benchmarks (never copied in). */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

export const GV100AD_2023 = `${SHARED_DATA}gemeindeverzeichnis/GV100AD_301123.txt`;
export const GV100AD_2025 = `${SHARED_DATA}gemeindeverzeichnis/GV100AD_30112025.txt`;
export const KREISE_GEOJSON = `${SHARED_DATA}geo/bkg_vg5000_2021/VG5000_2021_Kreise.geojson`;
export const LAENDER_GEOJSON = `${SHARED_DATA}geo/bkg_vg5000_2021/VG5000_2021_Laender.geojson`;
export const DESTATIS_CHANGES_2024 = `${SHARED_DATA}gebietsaenderungen/destatis/2024.xlsx`;
export const DESTATIS_CHANGES_2025 = `${SHARED_DATA}gebietsaenderungen/destatis/2025-02.xlsx`;

/**
 * Whether the real data is here. Absent: the real-data tests skip — except under CI=true,
 * where absence is a failure (nothing may skip in CI).
 */
export function realDataAvailable(): boolean {
  const ok = fs.existsSync(GV100AD_2023) && fs.existsSync(GV100AD_2025);
  if (!ok && process.env.CI === 'true') {
    throw new Error(`CI=true but the real data is missing under ${SHARED_DATA}`);
  }
  return ok;
}
