/**
 * The council document as a Word file (DOCX), laid out from the outline (outline.ts) with the `docx` package, so
 * that the administration can edit it before the meeting, in Word or LibreOffice.
 *
 * - Real heading styles: the title is Heading 1, the sections Heading 2, the measures Heading 3 (the navigation
 *   pane and a table of contents work; screen readers list them).
 * - Tables with a caption paragraph (style Caption) and Word's table alternative text (`w:tblCaption`,
 *   `w:tblDescription`); the header row repeats on every page (`w:tblHeader`) and rows do not split.
 * - The bar chart and the Gantt chart are tables with shaded cells, not images: they stay editable when the team
 *   moves a measure, render the same in Word and LibreOffice, and need no rasteriser (an SVG image would need a
 *   PNG fallback, which cannot be drawn without a native dependency). Their alternative text says what they show;
 *   the roadmap table beside the Gantt chart holds the same data in words.
 * - Document language (de-DE / en-GB) in the default run properties; title, subject and creator in the core
 *   properties; the header line "Kommunallotse · Land" and page numbers ("Seite x von y") as header and footer,
 *   not on the title page.
 */
import type { StrategyDocumentInput } from '../document-input.js';
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

type Docx = typeof import('docx');

/** A4 with 2 cm margins, in twips (1/20 pt). */
const PAGE = { width: 11_906, height: 16_838, margin: 1_134 };
const CONTENT = PAGE.width - 2 * PAGE.margin;
const COLOR = { text: '1A1A1A', muted: '595959', mark: '08519C', grid: 'BFBFBF', header: 'E8E8E8' };
const BANDS = ['E7EEF7', 'F4F4F4', 'E7EEF7'];
/** Font sizes in half-points. */
const SIZE = { body: 20, small: 17, table: 18, h1: 44, h2: 30, h3: 23 };
const FACT_LABEL = 2_600;

/** The council document of `input` as a DOCX file. */
export async function renderStrategyDocx(input: StrategyDocumentInput): Promise<Buffer> {
  return renderOutlineDocx(buildOutline(input));
}

/** Lays out an outline as a DOCX file. */
export async function renderOutlineDocx(o: DocumentOutline): Promise<Buffer> {
  const d: Docx = await import('docx');
  const {
    AlignmentType,
    BorderStyle,
    Document,
    ExternalHyperlink,
    Footer,
    Header,
    HeadingLevel,
    LineRuleType,
    Packer,
    PageNumber,
    Paragraph,
    ShadingType,
    StringValueElement,
    Tab,
    Table,
    TableCell,
    TableLayoutType,
    TableRow,
    TabStopType,
    TextRun,
    VerticalAlign,
    WidthType,
  } = d;
  type Child = InstanceType<typeof Paragraph> | InstanceType<typeof Table>;

  const run = (text: string, opts: { bold?: boolean; size?: number; color?: string } = {}) =>
    new TextRun({ text, bold: opts.bold, size: opts.size, color: opts.color });
  /** Text with line breaks as separate runs. */
  const runs = (text: string, opts: { bold?: boolean; size?: number; color?: string } = {}) =>
    text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, ...opts }));
  const para = (text: string, opts: { bold?: boolean; size?: number; color?: string; keepNext?: boolean } = {}) =>
    new Paragraph({ children: runs(text, opts), keepNext: opts.keepNext, spacing: { after: 120 } });
  const heading = (level: 1 | 2 | 3, text: string, pageBreakBefore = false) =>
    new Paragraph({
      heading: level === 1 ? HeadingLevel.HEADING_1 : level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3,
      children: [run(text)],
      pageBreakBefore,
      keepNext: true,
    });

  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const thin = { style: BorderStyle.SINGLE, size: 4, color: COLOR.grid };
  /** Word's alternative text of a table (Table Properties › Alt Text); docx has no option for it. */
  const withAltText = (table: InstanceType<typeof Table>, caption: string, description: string) => {
    const props = (table as unknown as { root: unknown[] }).root[0] as { root: unknown[] };
    props.root.push(new StringValueElement('w:tblCaption', caption));
    props.root.push(new StringValueElement('w:tblDescription', description));
    return table;
  };
  const caption = (text: string) =>
    new Paragraph({ style: 'Caption', children: [run(text)], keepNext: true, spacing: { before: 120, after: 60 } });

  const cell = (
    text: string,
    width: number,
    opts: { bold?: boolean; right?: boolean; fill?: string; span?: number; size?: number; topRule?: boolean } = {},
  ) =>
    new TableCell({
      width: { size: width, type: WidthType.DXA },
      columnSpan: opts.span,
      shading: opts.fill ? { type: ShadingType.CLEAR, fill: opts.fill, color: 'auto' } : undefined,
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      verticalAlign: VerticalAlign.TOP,
      borders: opts.topRule ? { top: { style: BorderStyle.SINGLE, size: 8, color: COLOR.text } } : undefined,
      children: [
        new Paragraph({
          alignment: opts.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: runs(text, { bold: opts.bold, size: opts.size ?? SIZE.table }),
        }),
      ],
    });

  const table = (b: TableBlock): Child[] => {
    const total = b.columns.reduce((s, c) => s + c.weight, 0);
    const widths = b.columns.map((c) => Math.floor((CONTENT * c.weight) / total));
    const headerRow = new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: b.columns.map((c, i) =>
        cell(c.header, widths[i]!, { bold: true, right: c.numeric, fill: COLOR.header }),
      ),
    });
    const body = (cells: string[], isTotal: boolean) =>
      new TableRow({
        cantSplit: true,
        children: cells.map((text, i) =>
          cell(text, widths[i]!, {
            bold: isTotal || (b.rowHeaders && i === 0),
            right: b.columns[i]!.numeric,
            topRule: isTotal,
          }),
        ),
      });
    const rows = [headerRow, ...b.rows.map((r) => body(r, false)), ...(b.totals ? [body(b.totals, true)] : [])];
    const t = new Table({
      rows,
      width: { size: CONTENT, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      borders: { top: thin, bottom: thin, left: none, right: none, insideHorizontal: thin, insideVertical: none },
    });
    return [caption(b.caption), withAltText(t, b.caption, b.caption), para('')];
  };

  /** The bar chart as a table: a shaded paragraph per dimension whose width is the score. */
  const bars = (b: BarsBlock): Child[] => {
    const labelW = 3_600;
    const trackW = CONTENT - labelW;
    const rows = b.bars.map(
      (bar) =>
        new TableRow({
          cantSplit: true,
          children: [
            cell(bar.label, labelW),
            new TableCell({
              width: { size: trackW, type: WidthType.DXA },
              margins: { top: 40, bottom: 40, left: 80, right: 80 },
              children: [
                new Paragraph({
                  shading:
                    bar.value === null ? undefined : { type: ShadingType.CLEAR, fill: COLOR.mark, color: 'auto' },
                  indent: {
                    right:
                      bar.value === null
                        ? 0
                        : Math.round(((trackW - 160) * (100 - Math.max(8, Math.min(100, bar.value)))) / 100),
                  },
                  children: [
                    run(bar.text, {
                      bold: true,
                      size: SIZE.table,
                      color: bar.value === null ? COLOR.muted : 'FFFFFF',
                    }),
                  ],
                }),
              ],
            }),
          ],
        }),
    );
    const t = new Table({
      rows,
      width: { size: CONTENT, type: WidthType.DXA },
      columnWidths: [labelW, trackW],
      layout: TableLayoutType.FIXED,
      borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    });
    return [caption(b.title), withAltText(t, b.title, b.alt), para('')];
  };

  /** The Gantt chart as a table: per measure the months from start to end shaded, the phases tinted. */
  const gantt = (b: GanttBlock): Child[] => {
    const labelW = 3_700;
    const monthW = Math.floor((CONTENT - labelW) / b.months);
    const widths = [labelW, ...Array.from({ length: b.months }, () => monthW)];
    const phaseOf = (m: number) =>
      Math.max(
        0,
        b.phases.findIndex((p) => m >= p.from && m < p.to),
      );
    const span = (from: number, to: number, fill: string, text = '', bold = false) =>
      new TableCell({
        width: { size: (to - from) * monthW, type: WidthType.DXA },
        columnSpan: to - from,
        shading: { type: ShadingType.CLEAR, fill, color: 'auto' },
        margins: { top: 20, bottom: 20, left: 0, right: 0 },
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, children: text ? [run(text, { size: 14, bold })] : [] }),
        ],
      });
    /** Cells over [from, to), split at the phase boundaries and tinted by phase. */
    const tinted = (from: number, to: number): InstanceType<typeof TableCell>[] => {
      const out: InstanceType<typeof TableCell>[] = [];
      let m = from;
      while (m < to) {
        const p = b.phases[phaseOf(m)];
        const end = Math.min(to, p ? p.to : to);
        out.push(span(m, end, BANDS[phaseOf(m) % BANDS.length]!));
        m = end;
      }
      return out;
    };
    const label = (text: string, bold = false) =>
      new TableCell({
        width: { size: labelW, type: WidthType.DXA },
        margins: { top: 20, bottom: 20, left: 60, right: 60 },
        children: [new Paragraph({ children: [run(text, { size: 15, bold })] })],
      });
    const rows = [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: [label(''), ...b.years.map((y) => span(y.from, y.to, 'FFFFFF', y.to - y.from >= 3 ? y.label : ''))],
      }),
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: [label(''), ...b.phases.map((p, i) => span(p.from, p.to, BANDS[i % BANDS.length]!, p.label, true))],
      }),
      ...b.bars.map(
        (bar) =>
          new TableRow({
            cantSplit: true,
            children: [
              label(bar.label),
              ...tinted(0, bar.from),
              span(bar.from, bar.to, COLOR.mark),
              ...tinted(bar.to, b.months),
            ],
          }),
      ),
    ];
    const t = new Table({
      rows,
      width: { size: labelW + b.months * monthW, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      borders: {
        top: thin,
        bottom: thin,
        left: none,
        right: none,
        insideHorizontal: { style: BorderStyle.SINGLE, size: 2, color: 'FFFFFF' },
        insideVertical: none,
      },
    });
    return [caption(b.title), withAltText(t, b.title, b.alt), para('')];
  };

  const factParagraph = (f: Fact, labelWidth = FACT_LABEL) =>
    new Paragraph({
      tabStops: [{ type: TabStopType.LEFT, position: labelWidth }],
      indent: { left: labelWidth, hanging: labelWidth },
      spacing: { after: 60 },
      children: [run(f.label, { bold: true }), new TextRun({ children: [new Tab()] }), ...runs(f.value)],
    });
  const listItem = (item: ListItem) =>
    new Paragraph({
      bullet: { level: 0 },
      spacing: { after: 60 },
      children: item.url
        ? [
            run(`${item.text}: `),
            new ExternalHyperlink({ link: item.url, children: [new TextRun({ text: item.url, style: 'Hyperlink' })] }),
          ]
        : [run(item.text)],
    });

  const block = (b: Block): Child[] => {
    switch (b.kind) {
      case 'paragraph':
        return [para(b.text, { bold: b.strong, keepNext: b.strong })];
      case 'list':
        return [...b.items.map(listItem), para('')];
      case 'facts':
        return [...b.facts.map((f) => factParagraph(f)), para('')];
      case 'table':
        return table(b);
      case 'bars':
        return bars(b);
      case 'gantt':
        return gantt(b);
      case 'subsection':
        return [heading(3, b.heading), ...b.blocks.flatMap(block)];
    }
  };

  const tp = o.titlePage;
  const children: Child[] = [
    para(o.header, { size: SIZE.small, color: COLOR.muted }),
    new Paragraph({ spacing: { before: 2_400 }, children: [run(tp.kicker, { bold: true, color: COLOR.muted })] }),
    heading(1, tp.title),
    para(tp.municipality, { size: 28 }),
    para(''),
    ...tp.facts.map((f) => factParagraph(f, 3_200)),
    para(''),
    para(tp.status, { bold: true, size: 24 }),
  ];
  if (tp.demo) {
    const red = { style: BorderStyle.SINGLE, size: 12, color: '8A1C1C', space: 4 };
    children.push(
      new Paragraph({
        border: { top: red, bottom: red, left: red, right: red },
        spacing: { before: 200, after: 200 },
        children: [run(tp.demo, { bold: true, color: '8A1C1C' })],
      }),
    );
  }
  children.push(para(tp.generated, { size: SIZE.small, color: COLOR.muted }));
  for (const s of o.sections) {
    children.push(heading(2, s.heading, s.newPage));
    for (const b of s.blocks) children.push(...block(b));
  }

  // "Seite {page} von {pages}" with the two fields in place of the placeholders.
  const pageParts = o
    .page('{page}', '{pages}')
    .split(/(\{page\}|\{pages\})/)
    .filter((p) => p !== '')
    .map((p) => (p === '{page}' ? PageNumber.CURRENT : p === '{pages}' ? PageNumber.TOTAL_PAGES : p));
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [new TextRun({ children: pageParts, size: SIZE.small, color: COLOR.muted })],
      }),
    ],
  });
  const header = new Header({
    children: [
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: CONTENT }],
        children: [
          run(o.header, { size: SIZE.small, color: COLOR.muted }),
          new TextRun({ children: [new Tab()] }),
          run(o.title, { size: SIZE.small, color: COLOR.muted }),
        ],
      }),
    ],
  });

  const document = new Document({
    title: o.title,
    subject: o.subject,
    creator: o.author,
    lastModifiedBy: o.author,
    description: tp.status,
    styles: {
      default: {
        document: {
          run: { font: 'Arial', size: SIZE.body, color: COLOR.text, language: { value: o.languageTag } },
          paragraph: { spacing: { line: 276, lineRule: LineRuleType.AUTO } },
        },
        heading1: {
          run: { font: 'Arial', size: SIZE.h1, bold: true, color: COLOR.text },
          paragraph: { spacing: { after: 160 }, outlineLevel: 0 },
        },
        heading2: {
          run: { font: 'Arial', size: SIZE.h2, bold: true, color: COLOR.text },
          paragraph: { spacing: { before: 360, after: 120 }, outlineLevel: 1 },
        },
        heading3: {
          run: { font: 'Arial', size: SIZE.h3, bold: true, color: COLOR.text },
          paragraph: { spacing: { before: 280, after: 80 }, outlineLevel: 2 },
        },
        caption: { run: { bold: true, italics: false, size: SIZE.body, color: COLOR.text } },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
          },
        },
        headers: { default: header, first: new Header({ children: [new Paragraph({})] }) },
        footers: { default: footer, first: footer },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
