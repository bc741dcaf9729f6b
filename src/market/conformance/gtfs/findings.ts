import type { Finding, Severity } from '../types.js';

/**
 * Collects findings and caps them per rule: a bad feed with a million broken stop times lists the first
 * `maxPerRule` findings of each rule and one summary finding with the count of the rest.
 */
export class FindingCollector {
  readonly findings: Finding[] = [];
  private readonly counts = new Map<string, { count: number; severity: Severity; location: string }>();

  constructor(private readonly maxPerRule: number) {}

  add(rule: string, severity: Severity, location: string, message: string, source: string): void {
    const c = this.counts.get(rule);
    if (!c) {
      this.counts.set(rule, { count: 1, severity, location: location.split(':')[0] ?? location });
    } else {
      c.count++;
      if (severity === 'error') c.severity = 'error';
      if (c.count > this.maxPerRule) return;
    }
    this.findings.push({ rule, severity, location, message, source });
  }

  /** How many findings of a rule were reported (listed or not). */
  count(rule: string): number {
    return this.counts.get(rule)?.count ?? 0;
  }

  /** The findings, with one summary per rule that went over the cap. */
  finish(): Finding[] {
    const out = [...this.findings];
    for (const [rule, c] of this.counts) {
      if (c.count <= this.maxPerRule) continue;
      out.push({
        rule,
        severity: c.severity,
        location: c.location,
        message: `Die Regel ${rule} traf insgesamt ${c.count}-mal zu; nur die ersten ${this.maxPerRule} Befunde sind einzeln aufgeführt.`,
      });
    }
    return out;
  }
}
