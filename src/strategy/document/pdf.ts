/**
 * The council document as a PDF: tagged PDF 1.7 with pdfkit, laid out from the outline (outline.ts).
 *
 * Structure tree in reading order, all under one Document element:
 *
 *   title page   P header line · P kicker · H1 title · P municipality · L facts (LI › Lbl + LBody) · P status
 *                [P demo notice] · P generated
 *   per section  H2 · then its blocks: P · L (LI › Lbl "•" + LBody) · L facts (LI › Lbl + LBody)
 *                · Table (Caption, TR › TH scope Column …, TR › TH scope Row + TD …, totals TR)
 *                · bar chart: P title + Figure (Alt: every value in words; BBox) · Gantt chart: P title +
 *                Figure per page it needs (Alt: measures per phase, the table holding the same data; BBox)
 *                · per measure H3 and its blocks
 *
 * Marked as artifacts (skipped by screen readers): the running header (“Kommunallotse · Land”, title) and the
 * page numbers (Pagination), table header rows repeated after a page break (Pagination), table rules and header
 * shading (Layout). Every other mark belongs to a structure element. The charts are vector drawings (rectangles
 * and text) inside their Figure; their numbers are also in a table.
 *
 * Document language (`/Lang`), title in the document information shown instead of the file name
 * (`DisplayDocTitle`), fonts embedded as subsets with a ToUnicode map (Noto Sans, fonts.ts) so the text
 * extracts. Not claimed as PDF/UA: see docs/adr/0014-council-document.md for what is and is not checked.
 */
import type { StrategyDocumentInput } from '../document-input.js';
import { documentFonts, printable } from './fonts.js';
import {
  type BarsBlock,
  type Block,
  buildOutline,
  type DocumentOutline,
  type Fact,
  type GanttBlock,
  type ListItem,
  type TableBlock,
} from './outline.js';

const PAGE = { width: 595.28, height: 841.89, top: 70, bottom: 62, side: 56 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.side;
const COLOR = {
  text: '#1a1a1a',
  muted: '#595959',
  /** Bars: 7.9:1 against white. */
  mark: '#08519c',
  grid: '#d9d9d9',
  rule: '#767676',
  headerFill: '#e8e8e8',
  bands: ['#e7eef7', '#f4f4f4', '#e7eef7'],
} as const;
const FONT = { regular: 'NotoSans', bold: 'NotoSans-Bold' } as const;
const SIZE = { body: 10, small: 8.5, table: 8.5, h1: 24, h2: 15, h3: 11.5 } as const;
const LINE_GAP = 1.5;

type Doc = PDFKit.PDFDocument;
type El = PDFKit.PDFStructureElement;

/** The council document of `input` as a tagged PDF. */
export async function renderStrategyPdf(input: StrategyDocumentInput): Promise<Buffer> {
  return renderOutlinePdf(buildOutline(input));
}

/** Lays out an outline as a tagged PDF. */
export async function renderOutlinePdf(o: DocumentOutline): Promise<Buffer> {
  // Loaded on first use, as for the result PDF: pdfkit costs start-up time otherwise.
  const { default: PDFDocument } = await import('pdfkit');
  const fonts = documentFonts();
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.side, right: PAGE.side },
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    bufferPages: true,
    lang: o.languageTag,
    info: { Title: o.title, Author: o.author, Subject: o.subject, Creator: o.author },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT.regular, fonts.regular);
  doc.registerFont(FONT.bold, fonts.bold);
  doc.font(FONT.regular);
  const font = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?(cp: number): boolean } } })._font?.font;
  const hasGlyph = (cp: number) => font?.hasGlyphForCodePoint?.(cp) ?? true;
  const pr = (s: string) => printable(s, hasGlyph);

  const L = PAGE.side;
  const W = CONTENT_WIDTH;
  const maxY = () => doc.page.height - doc.page.margins.bottom;
  const style = (bold: boolean, size: number, color: string = COLOR.text) =>
    doc
      .font(bold ? FONT.bold : FONT.regular)
      .fontSize(size)
      .fillColor(color);
  const heightOf = (s: string, width: number, bold: boolean, size: number) => {
    style(bold, size);
    return doc.heightOfString(pr(s), { width, lineGap: LINE_GAP });
  };
  /** A new page when less than `h` is left (only between structure elements, never inside one). */
  const ensure = (h: number) => {
    if (doc.y + h > maxY()) doc.addPage();
    doc.x = L;
  };

  // The root is attached first: elements added to an attached parent draw at once, so the content streams
  // follow the order of the structure tree.
  const root = doc.struct('Document');
  doc.addStructure(root);
  const mark = (parent: El, type: string, draw: () => void, options: { alt?: string } = {}) => {
    const el = doc.struct(type, options, [draw]);
    parent.add(el);
    return el;
  };
  const artifact = (type: 'Layout' | 'Pagination', draw: () => void) => {
    doc.markContent('Artifact', { type });
    draw();
    doc.endMarkedContent();
    doc.fillColor(COLOR.text).strokeColor(COLOR.text);
  };
  const text = (s: string, bold: boolean, size: number, options: PDFKit.Mixins.TextOptions = {}, color?: string) => {
    style(bold, size, color);
    doc.text(pr(s), { width: W, lineGap: LINE_GAP, ...options });
  };

  const heading = (type: 'H1' | 'H2' | 'H3', s: string) => {
    const size = type === 'H1' ? SIZE.h1 : type === 'H2' ? SIZE.h2 : SIZE.h3;
    // Keep the heading with the first lines of what follows.
    ensure(heightOf(s, W, true, size) + (type === 'H3' ? 70 : 90));
    if (type !== 'H1' && doc.y > doc.page.margins.top + 1) doc.moveDown(type === 'H2' ? 0.9 : 0.6);
    mark(root, type, () => text(s, true, size));
    doc.moveDown(type === 'H3' ? 0.25 : 0.4);
  };
  const paragraph = (s: string, strong = false, size: number = SIZE.body, color?: string) => {
    ensure(Math.min(heightOf(s, W, strong, size), 3 * size * 1.4));
    mark(root, 'P', () => text(s, strong, size, {}, color));
    doc.moveDown(0.45);
  };

  /** A list item: label (bullet or fact label) and body side by side. */
  const listItem = (l: El, label: string, body: string, labelWidth: number, boldLabel: boolean) => {
    const bodyWidth = W - labelWidth;
    ensure(
      Math.max(heightOf(label, labelWidth - 6, boldLabel, SIZE.body), heightOf(body, bodyWidth, false, SIZE.body)),
    );
    const li = doc.struct('LI');
    l.add(li);
    const y = doc.y;
    let bottom = y;
    mark(li, 'Lbl', () => {
      style(boldLabel, SIZE.body);
      doc.text(pr(label), L, y, { width: labelWidth - 6, lineGap: LINE_GAP });
      bottom = Math.max(bottom, doc.y);
    });
    mark(li, 'LBody', () => {
      style(false, SIZE.body);
      doc.text(pr(body), L + labelWidth, y, { width: bodyWidth, lineGap: LINE_GAP });
      bottom = Math.max(bottom, doc.y);
    });
    li.end();
    doc.x = L;
    doc.y = bottom + 2.5;
  };
  const list = (items: ListItem[]) => {
    const l = doc.struct('L');
    root.add(l);
    for (const item of items) listItem(l, '•', item.url ? `${item.text}\n${item.url}` : item.text, 12, false);
    l.end();
    doc.moveDown(0.4);
  };
  const facts = (entries: Fact[], labelWidth = 130) => {
    const l = doc.struct('L');
    root.add(l);
    for (const f of entries) listItem(l, f.label, f.value, labelWidth, true);
    l.end();
    doc.moveDown(0.4);
  };

  const table = (b: TableBlock) => {
    const pad = 3.5;
    const total = b.columns.reduce((s, c) => s + c.weight, 0);
    const widths = b.columns.map((c) => (W * c.weight) / total);
    const lefts = widths.map((_, i) => L + widths.slice(0, i).reduce((s, w) => s + w, 0));
    const rowHeight = (cells: string[], bold: (i: number) => boolean) =>
      Math.max(...cells.map((c, i) => heightOf(c, widths[i]! - 2 * pad, bold(i), SIZE.table))) + 2 * pad;
    const headerCells = b.columns.map((c) => c.header);
    const headerHeight = rowHeight(headerCells, () => true);
    const captionHeight = heightOf(b.caption, W, true, SIZE.body);
    const firstRow = b.rows[0] ?? b.totals;
    ensure(captionHeight + headerHeight + (firstRow ? rowHeight(firstRow, () => false) : 0) + 8);

    const tableEl = doc.struct('Table');
    root.add(tableEl);
    mark(tableEl, 'Caption', () => text(b.caption, true, SIZE.body));
    doc.moveDown(0.2);

    const cellText = (s: string, i: number, y: number, bold: boolean) => {
      style(bold, SIZE.table);
      doc.text(pr(s), lefts[i]! + pad, y + pad, {
        width: widths[i]! - 2 * pad,
        lineGap: LINE_GAP,
        align: b.columns[i]!.numeric ? 'right' : 'left',
      });
    };
    /** The header row: tagged the first time, an artifact when repeated after a page break. */
    const header = (repeat: boolean) => {
      const y = doc.y;
      artifact('Layout', () => doc.rect(L, y, W, headerHeight).fill(COLOR.headerFill));
      if (repeat) {
        artifact('Pagination', () => {
          headerCells.forEach((c, i) => {
            cellText(c, i, y, true);
          });
        });
      } else {
        const tr = doc.struct('TR');
        tableEl.add(tr);
        headerCells.forEach((c, i) => {
          const th = doc.struct('TH', {}, [() => cellText(c, i, y, true)]);
          setAttributes(doc, th, { O: 'Table', Scope: 'Column' });
          tr.add(th);
        });
        tr.end();
      }
      doc.x = L;
      doc.y = y + headerHeight;
    };
    const row = (cells: string[], isTotal: boolean) => {
      const h = rowHeight(cells, (i) => isTotal || (b.rowHeaders && i === 0));
      if (doc.y + h > maxY()) {
        doc.addPage();
        header(true);
      }
      const y = doc.y;
      const tr = doc.struct('TR');
      tableEl.add(tr);
      cells.forEach((c, i) => {
        const isHeader = b.rowHeaders && i === 0;
        const cell = doc.struct(isHeader ? 'TH' : 'TD', {}, [() => cellText(c, i, y, isTotal || isHeader)]);
        if (isHeader) setAttributes(doc, cell, { O: 'Table', Scope: 'Row' });
        tr.add(cell);
      });
      tr.end();
      artifact('Layout', () =>
        doc
          .moveTo(L, y + h)
          .lineTo(L + W, y + h)
          .lineWidth(isTotal ? 1 : 0.5)
          .strokeColor(isTotal ? COLOR.text : COLOR.grid)
          .stroke(),
      );
      doc.x = L;
      doc.y = y + h;
    };
    header(false);
    for (const r of b.rows) row(r, false);
    if (b.totals) row(b.totals, true);
    tableEl.end();
    doc.moveDown(0.8);
  };

  /** A Figure with alt text and its bounding box (PDF/UA wants one for every figure). */
  const figure = (alt: string, height: number, draw: (top: number) => void) => {
    const top = doc.y;
    const el = doc.struct('Figure', { alt: pr(alt) }, [() => draw(top)]);
    setAttributes(doc, el, {
      O: 'Layout',
      Placement: 'Block',
      BBox: [L, PAGE.height - (top + height), L + W, PAGE.height - top],
    });
    root.add(el);
    doc.x = L;
    doc.y = top + height;
  };
  const fit = (s: string, width: number) => {
    let out = pr(s);
    if (doc.widthOfString(out) <= width) return out;
    while (out.length > 1 && doc.widthOfString(`${out}…`) > width) out = out.slice(0, -1);
    return `${out.trimEnd()}…`;
  };

  const bars = (b: BarsBlock) => {
    const labelW = 165;
    const trackX = L + labelW + 8;
    const trackW = 250;
    const rowH = 17;
    const height = b.bars.length * rowH + 16;
    ensure(height + 30);
    paragraph(b.title, true);
    figure(b.alt, height, (top) => {
      // Gridlines at quarters of the scale, their labels under the bars.
      const plotBottom = top + b.bars.length * rowH;
      for (const q of [0, 25, 50, 75, 100]) {
        const x = trackX + (trackW * q) / 100;
        doc.moveTo(x, top).lineTo(x, plotBottom).lineWidth(0.5).strokeColor(COLOR.grid).stroke();
        style(false, 7, COLOR.muted);
        const label = String(q);
        doc.text(label, x - doc.widthOfString(label) / 2, plotBottom + 3, { lineBreak: false });
      }
      b.bars.forEach((bar, i) => {
        const y = top + i * rowH;
        style(false, SIZE.table);
        doc.text(fit(bar.label, labelW), L, y + 3, { lineBreak: false });
        if (bar.value === null) {
          doc
            .rect(trackX, y + 3, 24, 10)
            .dash(2, { space: 2 })
            .lineWidth(0.7)
            .strokeColor(COLOR.rule)
            .stroke();
          doc.undash();
          style(false, SIZE.table, COLOR.muted);
          doc.text(pr(bar.text), trackX + 30, y + 3, { lineBreak: false });
        } else {
          const w = Math.max(0.5, (trackW * Math.max(0, Math.min(100, bar.value))) / 100);
          doc.rect(trackX, y + 3, w, 10).fill(COLOR.mark);
          style(true, SIZE.table);
          doc.text(pr(bar.text), trackX + w + 5, y + 3, { lineBreak: false });
        }
      });
      doc.fillColor(COLOR.text);
    });
    doc.moveDown(0.8);
  };

  const gantt = (b: GanttBlock) => {
    const labelW = 170;
    const chartX = L + labelW + 6;
    const chartW = W - labelW - 6;
    const mw = chartW / b.months;
    const bandH = 13;
    const rowH = 12.5;
    const headH = 2 * bandH;
    const minRows = Math.min(b.bars.length, 6);
    ensure(heightOf(b.title, W, true, SIZE.body) + headH + minRows * rowH + 20);
    // As many parts as pages needed: each part one Figure with its own header bands.
    const parts: GanttBlock['bars'][] = [];
    let rest = b.bars;
    let room = Math.floor((maxY() - doc.y - headH - 40) / rowH);
    while (rest.length > 0) {
      const n = Math.max(1, room);
      parts.push(rest.slice(0, n));
      rest = rest.slice(n);
      room = Math.floor((PAGE.height - PAGE.top - PAGE.bottom - headH - 40) / rowH);
    }
    if (parts.length === 0) parts.push([]);
    parts.forEach((bars, p) => {
      if (p > 0) doc.addPage();
      const title = parts.length === 1 ? b.title : `${b.title} (${p + 1}/${parts.length})`;
      paragraph(title, true);
      const height = headH + Math.max(1, bars.length) * rowH + 4;
      figure(parts.length === 1 ? b.alt : `${b.alt} (${p + 1}/${parts.length})`, height, (top) => {
        const bodyTop = top + headH;
        const bottom = bodyTop + Math.max(1, bars.length) * rowH;
        // Calendar years.
        for (const y of b.years) {
          const x = chartX + y.from * mw;
          const w = (y.to - y.from) * mw;
          doc.rect(x, top, w, bandH).lineWidth(0.5).strokeColor(COLOR.grid).stroke();
          style(false, 7, COLOR.muted);
          if (doc.widthOfString(y.label) + 2 <= w)
            doc.text(y.label, x + (w - doc.widthOfString(y.label)) / 2, top + 3, { lineBreak: false });
        }
        // Phases: a shaded band each, over the header and the body.
        b.phases.forEach((ph, i) => {
          const x = chartX + ph.from * mw;
          const w = (ph.to - ph.from) * mw;
          doc.rect(x, top + bandH, w, bottom - top - bandH).fill(COLOR.bands[i % COLOR.bands.length]!);
          style(true, 7);
          doc.text(pr(ph.label), x + (w - doc.widthOfString(pr(ph.label))) / 2, top + bandH + 3, { lineBreak: false });
          if (i > 0)
            doc
              .moveTo(x, top + bandH)
              .lineTo(x, bottom)
              .lineWidth(0.8)
              .strokeColor(COLOR.rule)
              .stroke();
        });
        // Quarters.
        for (let m = 3; m < b.months; m += 3) {
          if (b.phases.some((ph) => ph.from === m)) continue;
          const x = chartX + m * mw;
          doc.moveTo(x, bodyTop).lineTo(x, bottom).lineWidth(0.3).strokeColor(COLOR.grid).stroke();
        }
        bars.forEach((bar, i) => {
          const y = bodyTop + i * rowH;
          style(false, 7.5);
          doc.text(fit(bar.label, labelW), L, y + 2.5, { lineBreak: false });
          doc.rect(chartX + bar.from * mw, y + 2.5, Math.max(1, (bar.to - bar.from) * mw), rowH - 5).fill(COLOR.mark);
        });
        doc
          .moveTo(L, bottom)
          .lineTo(L + W, bottom)
          .lineWidth(0.5)
          .strokeColor(COLOR.rule)
          .stroke();
        doc.fillColor(COLOR.text);
      });
      doc.moveDown(0.8);
    });
  };

  const block = (b: Block): void => {
    if (b.kind === 'paragraph') paragraph(b.text, b.strong);
    else if (b.kind === 'list') list(b.items);
    else if (b.kind === 'facts') facts(b.facts);
    else if (b.kind === 'table') table(b);
    else if (b.kind === 'bars') bars(b);
    else if (b.kind === 'gantt') gantt(b);
    else {
      heading('H3', b.heading);
      for (const c of b.blocks) block(c);
      doc.moveDown(0.5);
    }
  };

  // Title page ---------------------------------------------------------------------------------
  const tp = o.titlePage;
  doc.y = 40;
  paragraph(o.header, false, SIZE.small, COLOR.muted);
  doc.y = 190;
  paragraph(tp.kicker, true, 12, COLOR.muted);
  heading('H1', tp.title);
  paragraph(tp.municipality, false, 14);
  doc.moveDown(1.2);
  facts(tp.facts, 170);
  doc.moveDown(0.6);
  paragraph(tp.status, true, 12);
  if (tp.demo) {
    doc.moveDown(0.4);
    const y = doc.y;
    const h = heightOf(tp.demo, W - 16, true, SIZE.body) + 12;
    artifact('Layout', () => doc.rect(L, y, W, h).lineWidth(1.5).strokeColor('#8a1c1c').stroke());
    doc.y = y + 6;
    mark(root, 'P', () => {
      style(true, SIZE.body, '#8a1c1c');
      doc.text(pr(tp.demo!), L + 8, y + 6, { width: W - 16, lineGap: LINE_GAP });
    });
    doc.x = L;
    doc.y = y + h + 6;
  }
  doc.moveDown(1);
  paragraph(tp.generated, false, SIZE.small, COLOR.muted);

  // Sections -----------------------------------------------------------------------------------
  for (const s of o.sections) {
    if (s.newPage) doc.addPage();
    heading('H2', s.heading);
    for (const b of s.blocks) block(b);
  }
  root.end();

  // Running header and page numbers, once the number of pages is known.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // text in the margin would otherwise start a new page
    artifact('Pagination', () => {
      style(false, SIZE.small - 0.5, COLOR.muted);
      if (i > 0) {
        doc.text(pr(o.header), L, 36, { lineBreak: false });
        const title = fit(o.title, W / 2);
        doc.text(title, L + W - doc.widthOfString(title), 36, { lineBreak: false });
        doc
          .moveTo(L, 50)
          .lineTo(L + W, 50)
          .lineWidth(0.5)
          .strokeColor(COLOR.grid)
          .stroke();
      }
      const label = pr(o.page(i + 1, range.count));
      doc.text(label, L + W - doc.widthOfString(label), PAGE.height - 40, { lineBreak: false });
    });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  return done;
}

/** Attributes of a structure element: a header cell's scope, a figure's bounding box (PDF 1.7, 14.8.5). */
function setAttributes(doc: Doc, el: El, attributes: Record<string, unknown>) {
  const ref = doc.ref(attributes);
  (el as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = ref;
  ref.end(undefined);
}
