import PDFDocument from 'pdfkit';
import { formatDate, formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';
import type { CheckResult } from './assessment.service.js';
import { K_MIN } from './stats.js';

/** The document language (BCP 47). */
const LANGUAGE_TAG: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

/**
 * The result of a Digitalcheck as a PDF for the council and the files: overall level, scores per dimension
 * and sector (bars with the numbers written beside them), strengths and gaps, peer comparison.
 * Tagged, with document language and title, in the standard Helvetica (covers German umlauts).
 *
 * Texts are `pdf.*` messages translated by the `t` passed in; `lang` chooses number and date formats and the
 * document language.
 */
export function renderResultPdf(r: CheckResult, t: Translate, lang: Lang): Promise<Buffer> {
  const c = r.ctx;
  const title = t('pdf.title', { name: c.region.name });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    lang: LANGUAGE_TAG[lang],
    info: { Title: title, Author: 'Kommunallotse', Subject: t('pdf.subject') },
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
      t('pdf.meta', {
        key: c.region.key,
        version: c.check.modelVersion,
        date: formatDate(lang, new Date(c.check.submittedAt ?? c.check.createdAt).toISOString()),
      }),
    );
  doc.moveDown();
  doc
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(t('pdf.overall', { level: r.score.level ?? '–', score: fmt(r.score.overall) }));
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
        .text(value === null ? t('pdf.na') : fmt(value), x0 + labelW + barW + 8, y, { width: 60 });
      doc.x = x0;
      doc.y = Math.max(doc.y, y + 14);
    }
    doc.moveDown();
  };
  bars(
    t('pdf.byDimension'),
    c.model.dimensions.map((d) => ({ label: d.name[lang], value: r.score.byDimension[d.id]?.score ?? null })),
  );
  bars(
    t('pdf.bySector'),
    c.model.sectors
      .map((s) => ({ label: s.name[lang], value: r.score.bySector[s.id]?.score ?? null }))
      .filter((s) => s.value !== null),
  );

  const list = (items: readonly { name: string; score: number }[]) =>
    items.map((s) => `${s.name} (${fmt(s.score)})`).join(', ') || '–';
  doc.font('Helvetica-Bold').fontSize(12).text(t('pdf.highlights'));
  doc.font('Helvetica').fontSize(10);
  doc.text(t('pdf.strengths', { list: list(r.highlights.strengths) }));
  doc.text(t('pdf.gaps', { list: list(r.highlights.gaps) }));
  doc.moveDown();

  doc.font('Helvetica-Bold').fontSize(12).text(t('pdf.peers'));
  doc.font('Helvetica').fontSize(10);
  for (const p of r.peers) {
    const group = t(`check.peer.${p.kind}`);
    doc.text(
      p.comparison
        ? t('pdf.peerLine', {
            group,
            median: fmt(p.comparison.peers.median),
            q1: fmt(p.comparison.peers.q1),
            q3: fmt(p.comparison.peers.q3),
            n: p.comparison.peers.n,
            percentile: fmt(p.comparison.percentile ?? 0),
          })
        : t('pdf.peerTooFew', { group, min: K_MIN }),
    );
  }
  doc.moveDown();
  doc.fontSize(8).fillColor('#444444').text(t('pdf.footer'));
  doc.end();
  return done;
}
