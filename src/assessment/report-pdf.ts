import { formatDate, formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';
import type { CheckResult } from './assessment.service.js';
import { K_MIN } from './stats.js';

/** The document language (BCP 47). */
const LANGUAGE_TAG: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

/**
 * The result of a Digitalcheck as a PDF for the council and the files: overall level, scores per dimension
 * and sector (a table each, with bars beside the numbers), strengths and gaps, peer comparison.
 *
 * Tagged PDF 1.7 with a structure tree in reading order:
 *
 *   Document
 *     H1 title · P key, model version, date · P overall level and score
 *     H2 per dimension · Table (TR: TH column headers; TR: TH row header, TD score) – same for sectors
 *     H2 strengths and gaps · P · P
 *     H2 peer comparison · L (LI › LBody per peer group)
 *     P sources
 *
 * The bars only repeat the score in the cell beside them and are marked as artifacts (screen readers skip
 * them). Every other mark on the page belongs to a structure element. Document language (`/Lang`), the title
 * in the document information and shown by viewers instead of the file name (`DisplayDocTitle`).
 * Standard Helvetica (covers German umlauts; not embedded, so the file is not PDF/UA-conformant).
 *
 * Texts are `pdf.*` messages translated by the `t` passed in; `lang` chooses number and date formats and the
 * document language.
 */
export async function renderResultPdf(r: CheckResult, t: Translate, lang: Lang): Promise<Buffer> {
  // Loaded on first use: pdfkit and its fonts cost ~0.4 s at every start otherwise.
  const { default: PDFDocument } = await import('pdfkit');
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

  // The root is attached first: children added to an attached element draw their content at once, so the
  // content stream follows the order of the structure tree.
  const root = doc.struct('Document');
  doc.addStructure(root);
  /** A structure element of `type` whose content is what `draw` puts on the page. */
  const block = (parent: PDFKit.PDFStructureElement, type: string, draw: () => void) => {
    parent.add(doc.struct(type, {}, [draw]));
  };
  /** Drawing that carries no information of its own (e.g. a bar beside its number). */
  const artifact = (draw: () => void) => {
    doc.markContent('Artifact', { type: 'Layout' });
    draw();
    doc.endMarkedContent();
  };
  const heading = (type: 'H1' | 'H2', s: string) =>
    block(root, type, () => {
      doc
        .font('Helvetica-Bold')
        .fontSize(type === 'H1' ? 18 : 12)
        .fillColor('#000000')
        .text(s);
    });
  const paragraph = (s: string, size = 10, bold = false) =>
    block(root, 'P', () => {
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(size)
        .text(s);
    });

  heading('H1', title);
  doc.moveDown(0.5);
  paragraph(
    t('pdf.meta', {
      key: c.region.key,
      version: c.check.modelVersion,
      date: formatDate(lang, new Date(c.check.submittedAt ?? c.check.createdAt).toISOString()),
    }),
  );
  doc.moveDown();
  paragraph(t('pdf.overall', { level: r.score.level ?? '–', score: fmt(r.score.overall) }), 13, true);
  doc.moveDown();

  /** A table of scores: a header row, then per row the label (row header), a bar (artifact) and the score. */
  const scoreTable = (heading2: string, labelHeader: string, rows: { label: string; value: number | null }[]) => {
    heading('H2', heading2);
    doc.moveDown(0.3);
    const x0 = doc.page.margins.left;
    const labelW = 200;
    const barW = 220;
    const valueX = x0 + labelW + barW + 8;
    const valueW = 60;
    const table = doc.struct('Table');
    root.add(table);
    const cell = (
      tr: PDFKit.PDFStructureElement,
      type: 'TH' | 'TD',
      scope: 'Column' | 'Row' | null,
      draw: () => void,
    ) => {
      const el = doc.struct(type, {}, [draw]);
      if (scope) setAttributes(doc, el, { O: 'Table', Scope: scope });
      tr.add(el);
    };
    const header = doc.struct('TR');
    table.add(header);
    const hy = doc.y;
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#000000');
    cell(header, 'TH', 'Column', () => doc.text(labelHeader, x0, hy, { width: labelW }));
    cell(header, 'TH', 'Column', () => doc.text(t('pdf.col.score'), valueX, hy, { width: valueW }));
    header.end();
    doc.x = x0;
    doc.y = Math.max(doc.y, hy + 14);
    for (const row of rows) {
      if (doc.y > doc.page.height - 90) doc.addPage();
      const y = doc.y;
      const value = row.value;
      const tr = doc.struct('TR');
      table.add(tr);
      doc.font('Helvetica').fontSize(10).fillColor('#000000');
      cell(tr, 'TH', 'Row', () => doc.text(row.label, x0, y, { width: labelW }));
      const below = doc.y;
      artifact(() => {
        doc
          .rect(x0 + labelW, y + 1, barW, 9)
          .strokeColor('#767676')
          .lineWidth(0.5)
          .stroke();
        if (value !== null)
          doc.rect(x0 + labelW, y + 1, (barW * Math.max(0, Math.min(100, value))) / 100, 9).fill('#08519c');
        doc.fillColor('#000000');
      });
      cell(tr, 'TD', null, () => doc.text(value === null ? t('pdf.na') : fmt(value), valueX, y, { width: valueW }));
      tr.end();
      doc.x = x0;
      doc.y = Math.max(doc.y, below, y + 14);
    }
    table.end();
    doc.moveDown();
  };
  scoreTable(
    t('pdf.byDimension'),
    t('pdf.col.dimension'),
    c.model.dimensions.map((d) => ({ label: d.name[lang], value: r.score.byDimension[d.id]?.score ?? null })),
  );
  scoreTable(
    t('pdf.bySector'),
    t('pdf.col.sector'),
    c.model.sectors
      .map((s) => ({ label: s.name[lang], value: r.score.bySector[s.id]?.score ?? null }))
      .filter((s) => s.value !== null),
  );

  const list = (items: readonly { name: string; score: number }[]) =>
    items.map((s) => `${s.name} (${fmt(s.score)})`).join(', ') || '–';
  heading('H2', t('pdf.highlights'));
  paragraph(t('pdf.strengths', { list: list(r.highlights.strengths) }));
  paragraph(t('pdf.gaps', { list: list(r.highlights.gaps) }));
  doc.moveDown();

  heading('H2', t('pdf.peers'));
  const peers = doc.struct('L');
  root.add(peers);
  for (const p of r.peers) {
    const group = t(`check.peer.${p.kind}`);
    const line = p.comparison
      ? t('pdf.peerLine', {
          group,
          median: fmt(p.comparison.peers.median),
          q1: fmt(p.comparison.peers.q1),
          q3: fmt(p.comparison.peers.q3),
          n: p.comparison.peers.n,
          percentile: fmt(p.comparison.percentile ?? 0),
        })
      : t('pdf.peerTooFew', { group, min: K_MIN });
    const li = doc.struct('LI');
    peers.add(li);
    block(li, 'LBody', () => doc.font('Helvetica').fontSize(10).text(line));
    li.end();
  }
  peers.end();
  doc.moveDown();
  block(root, 'P', () => doc.fontSize(8).fillColor('#444444').text(t('pdf.footer')));
  root.end();
  doc.end();
  return done;
}

/** Attributes of a structure element, e.g. the scope of a table header cell (PDF 1.7, 14.8.5.7). */
function setAttributes(doc: PDFKit.PDFDocument, el: PDFKit.PDFStructureElement, attributes: Record<string, string>) {
  const ref = doc.ref(attributes);
  (el as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = ref;
  ref.end(undefined); // nothing to append to the dictionary (the type insists on an argument)
}
