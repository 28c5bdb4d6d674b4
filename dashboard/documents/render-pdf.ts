import PDFDocument from 'pdfkit';
import { PDF_FONTS, type PdfFont } from './fonts.ts';
import { POINTS, type Block, type DocumentLayout, type Span } from './layout.ts';

export interface PdfRenderOptions {
  /**
   * Deflate the page streams (the default). Tests turn it off to read the text back; the pages
   * look the same either way.
   */
  compress?: boolean;
}

// A4 with the margins of Russian-language office documents (30 mm left for binding, 15 mm right, 20 mm top and bottom).
const MARGINS = { top: 57, bottom: 57, left: 85, right: 42 };
const FIRST_LINE_INDENT = 35;
const CELL_PADDING = 3;

/**
 * Renders a layout to PDF with pdfkit. The creation date comes from the layout, and pdfkit derives
 * the file id from the document info, so the same layout gives the same bytes.
 */
export function renderPdf(layout: DocumentLayout, options: PdfRenderOptions = {}): Promise<Buffer> {
  const created = new Date(layout.createdAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    compress: options.compress ?? true,
    lang: 'ru-RU',
    displayTitle: true,
    info: { Title: layout.title, Author: layout.author, Subject: layout.subject, Creator: 'kgz-em-platform', CreationDate: created, ModDate: created },
  });
  for (const [name, file] of Object.entries(PDF_FONTS)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const page = new PdfPage(doc);
  for (const block of layout.blocks) page.draw(block);
  doc.end();
  return done;
}

class PdfPage {
  private readonly width: number;
  private readonly left: number;

  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.left = MARGINS.left;
    this.width = doc.page.width - MARGINS.left - MARGINS.right;
  }

  draw(b: Block): void {
    switch (b.kind) {
      case 'paragraph':
        return this.paragraph(b.spans, b.align, POINTS[b.size], b.firstLineIndent ?? false, b.spaceBefore ?? 0);
      case 'heading':
        this.keepRoom(60);
        this.doc.y += 8;
        this.doc.font('bold').fontSize(POINTS.body).text(b.text, this.left, this.doc.y, { width: this.width, paragraphGap: 4 });
        return;
      case 'addressee':
        this.doc.y += 10;
        this.doc.font('regular').fontSize(POINTS.body).text(b.lines.join('\n'), this.left + this.width / 2, this.doc.y, { width: this.width / 2 });
        this.doc.x = this.left;
        return;
      case 'table':
        return this.table(b);
      case 'signature':
        return this.signature(b.role, b.name, b.caption);
    }
  }

  private paragraph(spans: Span[], align: 'left' | 'center' | 'right' | 'justify', size: number, indent: boolean, spaceBefore: number): void {
    this.doc.y += spaceBefore;
    spans.forEach((s, i) => {
      const options = { width: this.width, align, indent: indent ? FIRST_LINE_INDENT : 0, paragraphGap: 3, continued: i < spans.length - 1 };
      this.doc.font(fontOf(s)).fontSize(size);
      if (i === 0) this.doc.text(s.text, this.left, this.doc.y, options);
      else this.doc.text(s.text, options);
    });
  }

  /**
   * Drawn by hand rather than with pdfkit's table(): that one measures every cell several times
   * (over a second for a 40-row track) and does not repeat the header on a new page.
   */
  private table(b: Extract<Block, { kind: 'table' }>): void {
    const size = POINTS[b.size];
    const widths = b.columns.map((c) => c.width * this.width);
    const header = b.header ? b.columns.map((c) => c.title) : null;
    this.keepRoom(40);
    if (header) this.tableRow(header, widths, size, true, b);
    for (const row of b.rows) {
      if (this.doc.y + this.rowHeight(row, widths, size, false) > this.doc.page.height - MARGINS.bottom) {
        this.doc.addPage();
        if (header) this.tableRow(header, widths, size, true, b);
      }
      this.tableRow(row, widths, size, false, b);
    }
    this.doc.x = this.left;
    this.doc.y += 4;
  }

  private rowHeight(cells: string[], widths: number[], size: number, bold: boolean): number {
    this.doc.font(bold ? 'bold' : 'regular').fontSize(size);
    return Math.max(...cells.map((text, i) => this.doc.heightOfString(text, { width: widths[i]! - 2 * CELL_PADDING }))) + 2 * CELL_PADDING;
  }

  private tableRow(cells: string[], widths: number[], size: number, header: boolean, b: Extract<Block, { kind: 'table' }>): void {
    const top = this.doc.y;
    const height = this.rowHeight(cells, widths, size, header);
    let x = this.left;
    cells.forEach((text, i) => {
      const w = widths[i]!;
      if (header) this.doc.rect(x, top, w, height).fill('#eeeeee').fillColor('black');
      this.doc.rect(x, top, w, height).lineWidth(0.5).strokeColor('#555555').stroke();
      this.doc.text(text, x + CELL_PADDING, top + CELL_PADDING, { width: w - 2 * CELL_PADDING, align: header ? 'center' : (b.columns[i]?.align ?? 'left') });
      x += w;
    });
    this.doc.strokeColor('black');
    this.doc.x = this.left;
    this.doc.y = top + height;
  }

  private signature(role: string, name: string, caption: string | undefined): void {
    this.keepRoom(50);
    this.doc.y += 14;
    const y = this.doc.y;
    const roleWidth = this.width * 0.4;
    const lineWidth = this.width * 0.2;
    const nameX = this.left + roleWidth + lineWidth + 8;
    this.doc.font('regular').fontSize(POINTS.body);
    this.doc.text(role, this.left, y, { width: roleWidth - 8 });
    const roleBottom = this.doc.y;
    const lineY = y + POINTS.body + 1;
    this.doc.moveTo(this.left + roleWidth, lineY).lineTo(this.left + roleWidth + lineWidth, lineY).lineWidth(0.5).stroke();
    if (name) this.doc.text(name, nameX, y, { width: this.left + this.width - nameX });
    const nameBottom = this.doc.y;
    if (caption) this.doc.font('regular').fontSize(POINTS.small).text(caption, this.left + roleWidth, lineY + 2, { width: this.width - roleWidth });
    this.doc.x = this.left;
    this.doc.y = Math.max(roleBottom, nameBottom, this.doc.y);
  }

  /** Starts a new page when less than `points` remain, so a heading or signature is not orphaned. */
  private keepRoom(points: number): void {
    if (this.doc.y + points > this.doc.page.height - MARGINS.bottom) this.doc.addPage();
  }
}

function fontOf(s: Span): PdfFont {
  if (s.mono) return s.bold ? 'monoBold' : 'mono';
  return s.bold ? 'bold' : 'regular';
}
