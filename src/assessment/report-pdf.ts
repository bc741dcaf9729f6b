import PDFDocument from 'pdfkit';
import { formatDate, formatNumber } from '../platform/i18n/i18n.js';
import type { CheckResult } from './assessment.service.js';

/**
 * The result of a Digitalcheck as a PDF for the council and the files: overall level, scores per dimension
 * and sector (bars with the numbers written beside them), strengths and gaps, peer comparison.
 * Tagged, with document language and title, in the standard Helvetica (covers German umlauts).
 */
export function renderResultPdf(r: CheckResult, lang: 'de' | 'en'): Promise<Buffer> {
  const L = (de: string, en: string) => (lang === 'en' ? en : de);
  const c = r.ctx;
  const title = `${L('Digitalcheck – Ergebnis', 'Digitalcheck – result')}: ${c.region.name}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    lang: lang === 'en' ? 'en-GB' : 'de-DE',
    info: { Title: title, Author: 'Kommunallotse', Subject: L('Ergebnis des Digitalchecks', 'Digitalcheck result') },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatNumber(lang, v));
  doc.font('Helvetica-Bold').fontSize(18).text(title);
  doc.moveDown(0.5);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      `${L('Schlüssel', 'Key')} ${c.region.key} · ${L('Modellversion', 'model version')} ${c.check.modelVersion} · ${L('abgeschickt am', 'submitted on')} ${formatDate(lang, new Date(c.check.submittedAt ?? c.check.createdAt).toISOString())}`,
    );
  doc.moveDown();
  doc
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(
      `${L('Gesamtstufe', 'Overall level')} ${r.score.level ?? '–'} ${L('von 4', 'of 4')} · ${L('Punktzahl', 'score')} ${fmt(r.score.overall)} / 100`,
    );
  doc.moveDown();

  const bars = (heading: string, rows: { label: string; value: number | null }[]) => {
    doc.font('Helvetica-Bold').fontSize(12).text(heading);
    doc.moveDown(0.3);
    const x0 = doc.page.margins.left;
    const labelW = 200;
    const barW = 220;
    for (const row of rows) {
      if (doc.y > doc.page.height - 90) doc.addPage();
      const y = doc.y;
      doc.font('Helvetica').fontSize(10).fillColor('#000000').text(row.label, x0, y, { width: labelW });
      const value = row.value;
      doc
        .rect(x0 + labelW, y + 1, barW, 9)
        .strokeColor('#767676')
        .lineWidth(0.5)
        .stroke();
      if (value !== null)
        doc.rect(x0 + labelW, y + 1, (barW * Math.max(0, Math.min(100, value))) / 100, 9).fill('#08519c');
      doc
        .fillColor('#000000')
        .text(value === null ? L('keine Angabe', 'n/a') : fmt(value), x0 + labelW + barW + 8, y, { width: 60 });
      doc.x = x0;
      doc.y = Math.max(doc.y, y + 14);
    }
    doc.moveDown();
  };
  bars(
    L('Punktzahl je Dimension', 'Score per dimension'),
    c.model.dimensions.map((d) => ({ label: d.name[lang], value: r.score.byDimension[d.id]?.score ?? null })),
  );
  bars(
    L('Punktzahl je Sektor', 'Score per sector'),
    c.model.sectors
      .map((s) => ({ label: s.name[lang], value: r.score.bySector[s.id]?.score ?? null }))
      .filter((s) => s.value !== null),
  );

  doc.font('Helvetica-Bold').fontSize(12).text(L('Stärken und Lücken', 'Strengths and gaps'));
  doc.font('Helvetica').fontSize(10);
  doc.text(
    `${L('Stärken', 'Strengths')}: ${r.highlights.strengths.map((s) => `${s.name} (${fmt(s.score)})`).join(', ') || '–'}`,
  );
  doc.text(
    `${L('Größte Lücken', 'Largest gaps')}: ${r.highlights.gaps.map((s) => `${s.name} (${fmt(s.score)})`).join(', ') || '–'}`,
  );
  doc.moveDown();

  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(L('Vergleich mit ähnlichen Kommunen', 'Comparison with similar municipalities'));
  doc.font('Helvetica').fontSize(10);
  for (const p of r.peers) {
    const name =
      p.kind === 'size'
        ? L('gleiche Größenklasse', 'same size class')
        : p.kind === 'state'
          ? L('gleiches Land', 'same Land')
          : L('gleicher Typ', 'same type');
    doc.text(
      p.comparison
        ? `${name}: ${L('Median', 'median')} ${fmt(p.comparison.peers.median)}, ${L('Quartile', 'quartiles')} ${fmt(p.comparison.peers.q1)}–${fmt(p.comparison.peers.q3)} (n = ${p.comparison.peers.n}); ${L('Perzentil', 'percentile')} ${fmt(p.comparison.percentile ?? 0)}`
        : `${name}: ${L('noch nicht genug Vergleichskommunen (mindestens 5)', 'not enough comparable municipalities yet (at least 5)')}`,
    );
  }
  doc.moveDown();
  doc
    .fontSize(8)
    .fillColor('#444444')
    .text(
      L(
        'Kommunallotse – Digitalcheck. Das Reifegradmodell stützt sich auf öffentliche Rahmenwerke (u. a. Living-in.EU LORDI, Bitkom Smart City Index, ISO 37122, OZG-Leistungskatalog); Quellen je Frage unter /api/v1/maturity-model.',
        'Kommunallotse – Digitalcheck. The maturity model rests on public frameworks (incl. Living-in.EU LORDI, Bitkom Smart City Index, ISO 37122, the OZG service catalogue); sources per question at /api/v1/maturity-model.',
      ),
    );
  doc.end();
  return done;
}
