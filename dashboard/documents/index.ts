/**
 * Sanction documents (written warning, court submissions) in Russian, as DOCX and PDF, with the
 * SHA-256 of the evidence they rest on. Pure: no I/O but reading the bundled fonts, no clock; the
 * same input gives byte-identical files. See docs/documents.md.
 */
import { renderDocx } from './render-docx.ts';
import { renderPdf, type PdfRenderOptions } from './render-pdf.ts';
import { sanctionLayout } from './sanction-layout.ts';
import type { SanctionDocumentInput } from './types.ts';

export { canonicalEvidence, evidenceSha256, EVIDENCE_FORMAT, type DocumentEvidence } from './evidence-hash.ts';
export { documentTitleRu } from './labels-ru.ts';
export type { PdfRenderOptions } from './render-pdf.ts';
export * from './types.ts';

export async function renderSanctionDocx(input: SanctionDocumentInput): Promise<Buffer> {
  return renderDocx(sanctionLayout(input));
}

export async function renderSanctionPdf(input: SanctionDocumentInput, options: PdfRenderOptions = {}): Promise<Buffer> {
  return renderPdf(sanctionLayout(input), options);
}
