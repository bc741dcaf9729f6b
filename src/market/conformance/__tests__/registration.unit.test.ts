import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigFromEnv, loadConfig } from '../../../platform/config.js';
import { conformanceLagebild } from '../lagebild.js';
import {
  badgesBy,
  cleanFileName,
  demandAllowedAt,
  inputOf,
  isRunning,
  MAX_STORED_FINDINGS,
  nextCheckAt,
  normaliseUrl,
  pickBadge,
  storedCheckOf,
} from '../registry.model.js';
import { conformanceSettings, DEFAULT_SETTINGS } from '../settings.js';
import type { Finding, Report } from '../types.js';

const finding = (severity: Finding['severity'], i = 0): Finding => ({
  rule: `gtfs.rule-${i}`,
  severity,
  location: `stops.txt:${i}`,
  message: 'Etwas fehlt.',
});
const report = (over: Partial<Report> = {}): Report => ({
  input: 'x',
  standard: 'gtfs',
  verdict: 'conformant',
  findings: [],
  validatorVersion: 'kommunallotse-gtfs/1.0.0',
  ...over,
});

test('URLs: http(s) only, no credentials, fragment dropped, length bounded', () => {
  assert.deepEqual(normaliseUrl(' https://rat.example/oparl/v1#x '), { url: 'https://rat.example/oparl/v1' });
  assert.deepEqual(normaliseUrl('ftp://rat.example/'), { problem: 'scheme' });
  assert.deepEqual(normaliseUrl('file:///etc/passwd'), { problem: 'scheme' });
  assert.deepEqual(normaliseUrl('https://user:pw@rat.example/'), { problem: 'credentials' });
  assert.deepEqual(normaliseUrl('nicht eine adresse'), { problem: 'invalid' });
  assert.deepEqual(normaliseUrl('   '), { problem: 'empty' });
  assert.deepEqual(normaliseUrl(`https://rat.example/${'a'.repeat(2000)}`), { problem: 'tooLong' });
});

test('file names: last segment, no control characters or quotes, bounded', () => {
  assert.equal(cleanFileName('C:\\Users\\x\\feed.zip'), 'feed.zip');
  assert.equal(cleanFileName('../../etc/"pass\u0000wd"'), 'passwd');
  assert.equal(cleanFileName(''), 'datei');
  assert.equal(cleanFileName('a'.repeat(300)).length, 200);
  assert.equal(inputOf({ url: null, fileSha256: 'ab' }), 'sha256:ab');
  assert.equal(inputOf({ url: 'https://x.example/', fileSha256: null }), 'https://x.example/');
});

test('a report as stored: counts, truncation, and a conformant claim with errors is not conformant', () => {
  const s = storedCheckOf(report({ findings: [finding('error'), finding('warning'), finding('info')] }), 'gtfs');
  assert.equal(s.verdict, 'not conformant', 'badges only from what the findings show');
  assert.deepEqual([s.errors, s.warnings, s.findingsTotal], [1, 1, 3]);
  const many = Array.from({ length: MAX_STORED_FINDINGS + 5 }, (_, i) => finding('warning', i));
  const cut = storedCheckOf(report({ findings: many }), 'gtfs');
  assert.equal(cut.findings.length, MAX_STORED_FINDINGS);
  assert.equal(cut.findingsTotal, MAX_STORED_FINDINGS + 5);
  assert.equal(cut.verdict, 'conformant');
});

test('"could not be checked" is kept as such, always with a reason', () => {
  const s = storedCheckOf(report({ verdict: 'could not be checked', reason: 'Zeitüberschreitung' }), 'oparl');
  assert.equal(s.verdict, 'could not be checked');
  assert.equal(s.reason, 'Zeitüberschreitung');
  const noReason = storedCheckOf(report({ verdict: 'could not be checked' }), 'oparl');
  assert.ok(noReason.reason && noReason.reason.length > 0);
  const bogus = storedCheckOf(report({ verdict: 'yes' as never }), 'oparl');
  assert.equal(bogus.verdict, 'could not be checked');
});

test('schedule: due again after the interval, sooner after "could not be checked"; demand and lease', () => {
  const at = new Date('2026-03-01T10:00:00Z');
  const s = { recheckAfterMs: 7 * 86_400_000, retryAfterMs: 86_400_000 };
  assert.equal(nextCheckAt(at, 'conformant', s).toISOString(), '2026-03-08T10:00:00.000Z');
  assert.equal(nextCheckAt(at, 'not conformant', s).toISOString(), '2026-03-08T10:00:00.000Z');
  assert.equal(nextCheckAt(at, 'could not be checked', s).toISOString(), '2026-03-02T10:00:00.000Z');
  const later = (ms: number) => new Date(at.getTime() + ms);
  assert.equal(demandAllowedAt(null, at, 600_000), null);
  assert.equal(demandAllowedAt(at, later(599_000), 600_000)?.toISOString(), '2026-03-01T10:10:00.000Z');
  assert.equal(demandAllowedAt(at, later(600_000), 600_000), null);
  assert.equal(isRunning(at, later(1000), 60_000), true);
  assert.equal(isRunning(at, later(60_000), 60_000), false, 'a run past its lease is taken over');
  assert.equal(isRunning(null, at, 60_000), false);
});

test('badges: a conformant artefact wins, else the newest verdict; grouped per subject and standard', () => {
  const d = (s: string) => new Date(s);
  assert.equal(pickBadge([]), null);
  const b = pickBadge([
    { verdict: 'not conformant', checkedAt: d('2026-03-02'), artefactId: 1 },
    { verdict: 'conformant', checkedAt: d('2026-02-01'), artefactId: 2 },
    { verdict: 'could not be checked', checkedAt: d('2026-03-03'), artefactId: 3 },
  ]);
  assert.equal(b?.artefactId, 2);
  const newest = pickBadge([
    { verdict: 'not conformant', checkedAt: d('2026-03-01'), artefactId: 1 },
    { verdict: 'not conformant', checkedAt: d('2026-03-05'), artefactId: 4 },
  ]);
  assert.equal(newest?.artefactId, 4);
  const grouped = badgesBy(
    [
      { solutionId: 7, standard: 'gtfs', verdict: 'conformant', checkedAt: d('2026-03-01'), artefactId: 1 },
      { solutionId: 7, standard: 'publiccode', verdict: 'not conformant', checkedAt: d('2026-03-01'), artefactId: 2 },
      { solutionId: 8, standard: 'gtfs', verdict: 'could not be checked', checkedAt: d('2026-03-01'), artefactId: 3 },
    ] as const,
    (r) => r.solutionId,
  );
  assert.equal(grouped.get(7)?.get('gtfs')?.verdict, 'conformant');
  assert.equal(grouped.get(7)?.get('publiccode')?.verdict, 'not conformant');
  assert.equal(grouped.get(8)?.get('gtfs')?.verdict, 'could not be checked');
  assert.equal(grouped.get(8)?.has('publiccode'), false);
});

test('Lagebild: every Land listed, counts per standard, publiccode ignored, total is the sum', () => {
  const lb = conformanceLagebild(
    [
      { stateKey: '16', standard: 'oparl', regions: 2 },
      { stateKey: '16', standard: 'gtfs', regions: 1 },
      { stateKey: '09', standard: 'oparl', regions: 1 },
      { stateKey: '09', standard: 'publiccode', regions: 5 },
    ],
    ['01', '09', '16'],
  );
  assert.deepEqual(Object.keys(lb.byState).sort(), ['01', '09', '16']);
  assert.deepEqual(lb.byState['01'], { oparl: 0, 'dcat-ap-de': 0, gtfs: 0 });
  assert.deepEqual(lb.byState['16'], { oparl: 2, 'dcat-ap-de': 0, gtfs: 1 });
  assert.deepEqual(lb.total, { oparl: 3, 'dcat-ap-de': 0, gtfs: 1 });
  assert.equal(lb.includesDemo, false);
});

test('settings: from the platform configuration, defaults, and a clear error naming the variable', () => {
  assert.deepEqual(conformanceSettings(checkConfigFromEnv({})), DEFAULT_SETTINGS);
  const s = conformanceSettings(
    checkConfigFromEnv({ CONFORMANCE_RECHECK_DAYS: '3', CONFORMANCE_SCHEDULE_MINUTES: '0', CONFORMANCE_BATCH: '5' }),
  );
  assert.equal(s.recheckAfterMs, 3 * 86_400_000);
  assert.equal(s.scheduleEveryMs, 0);
  assert.equal(s.batchSize, 5);
  assert.throws(() => checkConfigFromEnv({ CONFORMANCE_BATCH: '0' }), /CONFORMANCE_BATCH/);
  assert.throws(() => checkConfigFromEnv({ CONFORMANCE_MAX_UPLOAD_MB: '500' }), /CONFORMANCE_MAX_UPLOAD_MB/);
  assert.throws(() => loadConfig({ CONFORMANCE_RETRY_HOURS: 'bald' }), /CONFORMANCE_RETRY_HOURS/);
  assert.equal(loadConfig({ CONFORMANCE_DEMAND_MINUTES: '0' }).check.demandMinutes, 0);
});
