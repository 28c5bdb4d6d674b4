import {
  AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableBorders, TableCell, TableRow, TextRun, WidthType,
  type IBorderOptions,
} from 'docx';
import { bishkekWallClock } from './bishkek-time.ts';
import { DOCX_FONTS } from './fonts.ts';
import { POINTS, type Align, type Block, type DocumentLayout, type Span } from './layout.ts';
import { pinZipTimestamps } from './zip-timestamps.ts';

// A4 in twips (1/20 pt) with 30 mm left, 15 mm right, 20 mm top and bottom margins.
const PAGE = { width: 11906, height: 16838, left: 1701, right: 850, top: 1134, bottom: 1134 };
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
const FIRST_LINE_INDENT = 709; // 1.25 cm, the usual paragraph indent of Russian office documents

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT, justify: AlignmentType.JUSTIFIED } as const;
const CELL_BORDER: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '555555' };

/**
 * Renders a layout to DOCX. docx stamps the package with the time of packing (core properties and
 * zip entries); both are set to the layout's creation date so the same layout gives the same bytes.
 */
export async function renderDocx(layout: DocumentLayout): Promise<Buffer> {
  const doc = new Document({
    creator: layout.author,
    title: layout.title,
    subject: layout.subject,
    styles: { default: { document: { run: { font: DOCX_FONTS.text, size: POINTS.body * 2 } } } },
    sections: [{
      properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { left: PAGE.left, right: PAGE.right, top: PAGE.top, bottom: PAGE.bottom } } },
      children: layout.blocks.map(block),
    }],
  });
  const core = { path: 'docProps/core.xml', data: coreProperties(layout) };
  const packed = await Packer.toBuffer(doc, false, [core]);
  return pinZipTimestamps(packed, bishkekWallClock(layout.createdAt));
}

function block(b: Block): Paragraph | Table {
  switch (b.kind) {
    case 'paragraph':
      return new Paragraph({
        alignment: ALIGN[b.align],
        indent: b.firstLineIndent ? { firstLine: FIRST_LINE_INDENT } : undefined,
        spacing: { before: (b.spaceBefore ?? 0) * 20, after: 60 },
        children: b.spans.map((s) => run(s, POINTS[b.size])),
      });
    case 'heading':
      return new Paragraph({ keepNext: true, spacing: { before: 200, after: 80 }, children: [run({ text: b.text, bold: true }, POINTS.body)] });
    case 'addressee':
      return new Paragraph({
        indent: { left: Math.round(TEXT_WIDTH / 2) },
        spacing: { before: 200 },
        children: b.lines.map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined })),
      });
    case 'table':
      return table(b);
    case 'signature':
      return signature(b.role, b.name, b.caption);
  }
}

function run(s: Span, points: number): TextRun {
  return new TextRun({ text: s.text, bold: s.bold, font: s.mono ? DOCX_FONTS.mono : DOCX_FONTS.text, size: points * 2 });
}

function cell(text: string, widthTwips: number, points: number, align: Align, bold = false, shade = false): TableCell {
  return new TableCell({
    width: { size: widthTwips, type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    shading: shade ? { fill: 'EEEEEE' } : undefined,
    // One paragraph per line, so that line breaks in the data survive.
    children: text.split('\n').map((line) => new Paragraph({ alignment: ALIGN[align], children: [run({ text: line, bold }, points)] })),
  });
}

function table(b: Extract<Block, { kind: 'table' }>): Table {
  const widths = b.columns.map((c) => Math.round(c.width * TEXT_WIDTH));
  const points = POINTS[b.size];
  const rows: TableRow[] = [];
  if (b.header) {
    rows.push(new TableRow({ tableHeader: true, cantSplit: true, children: b.columns.map((c, i) => cell(c.title, widths[i]!, points, 'center', true, true)) }));
  }
  for (const r of b.rows) {
    rows.push(new TableRow({ cantSplit: true, children: r.map((text, i) => cell(text, widths[i]!, points, b.columns[i]?.align ?? 'left')) }));
  }
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER, insideHorizontal: CELL_BORDER, insideVertical: CELL_BORDER },
    rows,
  });
}

/** Role | signature line | name, in a borderless table, with an optional caption under the line. */
function signature(role: string, name: string, caption: string | undefined): Table {
  const widths = [0.4, 0.2, 0.4].map((w) => Math.round(w * TEXT_WIDTH));
  const line: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const plain = (text: string, w: number) => new TableCell({ width: { size: w, type: WidthType.DXA }, children: [new Paragraph({ children: [run({ text }, POINTS.body)] })] });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          plain(role, widths[0]!),
          new TableCell({
            width: { size: widths[1]!, type: WidthType.DXA },
            borders: { bottom: line },
            children: [new Paragraph({ spacing: { before: 360 }, children: [] })],
          }),
          plain(name, widths[2]!),
        ],
      }),
      ...(caption
        ? [new TableRow({ cantSplit: true, children: [plain('', widths[0]!), new TableCell({ width: { size: widths[1]! + widths[2]!, type: WidthType.DXA }, columnSpan: 2, children: [new Paragraph({ children: [run({ text: caption }, POINTS.small)] })] })] })]
        : []),
    ],
  });
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** docProps/core.xml as docx writes it, with the document's own date instead of the time of packing. */
function coreProperties(layout: DocumentLayout): string {
  const at = new Date(layout.createdAt).toISOString();
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(layout.title)}</dc:title><dc:subject>${xml(layout.subject)}</dc:subject><dc:creator>${xml(layout.author)}</dc:creator>` +
    `<cp:lastModifiedBy>${xml(layout.author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}
