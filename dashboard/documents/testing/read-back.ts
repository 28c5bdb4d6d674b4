/**
 * Test support: the text of a generated DOCX or PDF, read back the way a reader's software would,
 * so tests check what the document says rather than what the renderer was asked to write.
 * Uses jszip (a dev dependency): not for production code.
 */
import JSZip from 'jszip';

const XML_ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&apos;': "'", '&quot;': '"' };
const unescapeXml = (s: string) => s.replace(/&(lt|gt|amp|apos|quot);/g, (e) => XML_ENTITIES[e]!);

/** The parts of a .docx (a zip), as text. */
export async function docxParts(docx: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(docx);
  const parts = new Map<string, string>();
  for (const name of Object.keys(zip.files).sort()) {
    const f = zip.file(name);
    if (f) parts.set(name, await f.async('string'));
  }
  return parts;
}

/** The body text of a .docx: one line per paragraph (table cells are paragraphs too). */
export async function docxText(docx: Buffer): Promise<string> {
  const xml = (await docxParts(docx)).get('word/document.xml');
  if (xml === undefined) throw new Error('not a docx: no word/document.xml');
  return xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescapeXml(m[1]!)).join(''))
    .filter((line) => line.length > 0)
    .join('\n');
}

/**
 * The text of an uncompressed PDF written by pdfkit with embedded TrueType fonts: each text run
 * is a string of glyph ids, mapped back to Unicode through its font's ToUnicode CMap, which is
 * what a PDF viewer's copy and search use. One line per text object (BT ... ET).
 */
export function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const objects = new Map<string, string>();
  for (const m of src.matchAll(/(\d+) 0 obj\s*([\s\S]*?)\bendobj/g)) objects.set(m[1]!, m[2]!);
  const toUnicode = new Map<string, Map<number, string>>();
  for (const m of src.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const font = objects.get(m[2]!);
    const cmapRef = font && /\/ToUnicode (\d+) 0 R/.exec(font);
    if (cmapRef) toUnicode.set(m[1]!, parseCmap(streamOf(objects.get(cmapRef[1]!) ?? '')));
  }
  const lines: string[] = [];
  for (const body of objects.values()) {
    const stream = streamOf(body);
    if (!/\bTf\b/.test(stream)) continue;
    let font: Map<number, string> | undefined;
    let line = '';
    for (const t of stream.matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|\bET\b/g)) {
      if (t[1]) font = toUnicode.get(t[1]);
      else if (t[2] !== undefined) {
        // Justified text has no space glyphs: pdfkit moves the next word right with a large
        // negative adjustment (thousandths of an em), which a viewer also reads as a space.
        for (const part of t[2].matchAll(/<([0-9a-fA-F]*)>|(-?[\d.]+)/g)) {
          if (part[2] !== undefined) {
            if (Number(part[2]) <= -200 && !line.endsWith(' ')) line += ' ';
            continue;
          }
          for (let i = 0; i + 4 <= part[1]!.length; i += 4) line += font?.get(parseInt(part[1]!.slice(i, i + 4), 16)) ?? '\uFFFD';
        }
      } else {
        if (line) lines.push(line);
        line = '';
      }
    }
  }
  return lines.join('\n');
}

function streamOf(body: string): string {
  const m = /stream\r?\n([\s\S]*?)\r?\nendstream/.exec(body);
  return m ? m[1]! : '';
}

function parseCmap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => String.fromCharCode(...hex.trim().split(/\s+/).map((h) => parseInt(h, 16)));
  for (const m of cmap.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]/g)) {
    const start = parseInt(m[1]!, 16);
    [...m[3]!.matchAll(/<([^>]*)>/g)].forEach((e, i) => map.set(start + i, utf16(e[1]!)));
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([^>]*)>/g)) map.set(parseInt(m[1]!, 16), utf16(m[2]!));
  }
  return map;
}
