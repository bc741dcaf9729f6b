import { formatDate, formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';
import type { CheckResult, PeerGroup } from './assessment.service.js';
import { levelLabel, peerGroupName, STRENGTH_MIN_SCORE } from './result.js';
import { levelForScore } from './scoring.js';
import { K_MIN } from './stats.js';

/** The document language (BCP 47). */
const LANGUAGE_TAG: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

/**
 * The result of a Digitalcheck as a PDF for the council and the files: overall level, scores per dimension
 * and sector (a table each, with bars beside the numbers), strengths, next steps, peer comparison with named
 * groups (demo data labelled), and every answer with its level name.
 *
 * Tagged PDF 1.7 with a structure tree in reading order:
 *
 *   Document
 *     H1 title · P key, model version, date · P overall level (with its name) and score
 *     H2 per dimension · Table (TR: TH column headers; TR: TH row header, TD level name, TD score) – same for sectors
 *     H2 strengths · L (LI › LBody per dimension ≥ 75) or P "none yet"
 *     H2 next steps · L (LI › LBody per weakest question: today, the next level's descriptor, why it matters)
 *     H2 peer comparison · [P demo note] · L (LI › LBody per named peer group)
 *     H2 answers · Table (TH question, TD answer with its level name)
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
  paragraph(
    t('pdf.overall', { level: levelLabel(t, c.model, r.score.level, lang), score: fmt(r.score.overall) }),
    13,
    true,
  );
  doc.moveDown();

  /**
   * A table: a header row, then per row the label (row header) and the other cells; with `bar`, a bar of the
   * score (artifact) beside it. Columns are `[header, width]`; the first is the row header.
   */
  const table = (
    columns: readonly [string, number][],
    rows: { cells: string[]; bar?: number | null }[],
    bar: { width: number } | null,
  ) => {
    const x0 = doc.page.margins.left;
    const lefts: number[] = [];
    let x = x0;
    columns.forEach(([, w], i) => {
      lefts.push(x);
      x += w + 8 + (i === 0 && bar ? bar.width + 8 : 0);
    });
    const tableEl = doc.struct('Table');
    root.add(tableEl);
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
    tableEl.add(header);
    const hy = doc.y;
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#000000');
    let headerBottom = hy + 14;
    columns.forEach(([label, w], i) => {
      cell(header, 'TH', 'Column', () => {
        doc.text(label, lefts[i], hy, { width: w });
        headerBottom = Math.max(headerBottom, doc.y);
      });
    });
    header.end();
    doc.x = x0;
    doc.y = headerBottom + 2;
    for (const row of rows) {
      if (doc.y > doc.page.height - 90) doc.addPage();
      const y = doc.y;
      const tr = doc.struct('TR');
      tableEl.add(tr);
      doc.font('Helvetica').fontSize(9.5).fillColor('#000000');
      let bottom = y + 14;
      row.cells.forEach((text, i) => {
        cell(tr, i === 0 ? 'TH' : 'TD', i === 0 ? 'Row' : null, () => {
          doc.text(text, lefts[i], y, { width: columns[i]![1] });
          bottom = Math.max(bottom, doc.y);
        });
        if (i === 0 && bar) {
          const value = row.bar ?? null;
          const bx = x0 + columns[0]![1] + 8;
          artifact(() => {
            doc
              .rect(bx, y + 1, bar.width, 9)
              .strokeColor('#767676')
              .lineWidth(0.5)
              .stroke();
            if (value !== null)
              doc.rect(bx, y + 1, (bar.width * Math.max(0, Math.min(100, value))) / 100, 9).fill('#08519c');
            doc.fillColor('#000000');
          });
        }
      });
      tr.end();
      doc.x = x0;
      doc.y = bottom + 3;
    }
    tableEl.end();
    doc.moveDown();
  };
  const levelText = (level: number | null) => (level === null ? t('pdf.na') : levelLabel(t, c.model, level, lang));
  const scoreTable = (heading2: string, labelHeader: string, rows: { label: string; value: number | null }[]) => {
    heading('H2', heading2);
    doc.moveDown(0.3);
    table(
      [
        [labelHeader, 160],
        [t('pdf.col.level'), 120],
        [t('pdf.col.score'), 50],
      ],
      rows.map((row) => ({
        cells: [
          row.label,
          row.value === null ? t('pdf.na') : levelText(levelForScore(row.value)),
          row.value === null ? t('pdf.na') : fmt(row.value),
        ],
        bar: row.value,
      })),
      { width: 110 },
    );
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

  /** A list: one LI › LBody per item. */
  const list = (items: readonly string[]) => {
    const l = doc.struct('L');
    root.add(l);
    for (const item of items) {
      const li = doc.struct('LI');
      l.add(li);
      block(li, 'LBody', () => {
        doc.font('Helvetica').fontSize(10).text(item);
        doc.moveDown(0.3);
      });
      li.end();
    }
    l.end();
    doc.moveDown();
  };

  const g = r.guidance;
  heading('H2', t('pdf.strengths'));
  if (g.strengths.length)
    list(
      g.strengths.map((s) =>
        t('check.result.strengthLine', { name: s.name, score: fmt(s.score), level: levelText(s.level) }),
      ),
    );
  else {
    paragraph(t('check.result.noStrengths', { min: STRENGTH_MIN_SCORE }));
    doc.moveDown();
  }

  heading('H2', t('pdf.nextSteps'));
  if (g.weakest.length)
    list(
      g.weakest.map(
        (s) =>
          `${s.text}\n${t('check.result.stepNow', { level: s.level, name: s.levelName })} ${t('check.result.stepNext', { level: s.nextLevel, name: s.nextLevelName })} ${s.next}\n${t('check.result.why')} ${s.why}`,
      ),
    );
  else {
    paragraph(t('check.result.allLeading'));
    doc.moveDown();
  }

  heading('H2', t('pdf.peers'));
  if (r.peers.some((p) => (p.comparison?.demo ?? 0) > 0)) {
    paragraph(`${t('lagebild.demoLabel')} ${t('check.result.demoNote')}`, 10, true);
    doc.moveDown(0.3);
  }
  list(r.peers.map((p) => peerText(t, lang, p, r.score.overall)));

  heading('H2', t('pdf.answers'));
  doc.moveDown(0.3);
  table(
    [
      [t('pdf.col.question'), 330],
      [t('pdf.col.answer'), 140],
    ],
    c.questions.map((q) => {
      const a = c.answers.get(q.id);
      const answer = !a ? t('pdf.unanswered') : a.notApplicable ? t('pdf.notApplicable') : levelText(a.level);
      return { cells: [q.text[lang], answer] };
    }),
    null,
  );

  block(root, 'P', () => doc.fontSize(8).fillColor('#444444').text(t('pdf.footer')));
  root.end();
  doc.end();
  return done;
}

/** One peer group in words, as on the result page (named group, n, median, middle half, percentile, demo). */
function peerText(t: Translate, lang: Lang, p: PeerGroup, own: number | null): string {
  const group = peerGroupName(t, lang, p);
  if (!p.comparison) return t('check.result.peerTooFew', { group, min: K_MIN });
  const f = (v: number) => formatNumber(lang, v);
  const { peers, percentile, demo } = p.comparison;
  const line = t('check.result.peerLine', {
    group,
    n: peers.n,
    median: f(peers.median),
    q1: f(peers.q1),
    q3: f(peers.q3),
    own: own === null ? '–' : f(own),
    percentile: f(percentile),
  });
  return demo > 0 ? `${line} ${t('check.result.peerDemo', { demo })}` : line;
}

/** Attributes of a structure element, e.g. the scope of a table header cell (PDF 1.7, 14.8.5.7). */
function setAttributes(doc: PDFKit.PDFDocument, el: PDFKit.PDFStructureElement, attributes: Record<string, string>) {
  const ref = doc.ref(attributes);
  (el as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = ref;
  ref.end(undefined); // nothing to append to the dictionary (the type insists on an argument)
}
