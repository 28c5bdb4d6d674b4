/**
 * A document as a list of blocks that both renderers understand, so the wording of a sanction
 * document is written once (sanction-layout.ts) and DOCX and PDF cannot drift apart.
 */
export type Align = 'left' | 'center' | 'right' | 'justify';

export interface Span {
  text: string;
  bold?: boolean;
  /** Fixed-width, for hashes and registry numbers that must be copied exactly. */
  mono?: boolean;
}

export type Block =
  | { kind: 'paragraph'; spans: Span[]; align: Align; size: TextSize; firstLineIndent?: boolean; spaceBefore?: number }
  | { kind: 'heading'; text: string }
  /** Lines set in the right half of the page: the addressee of a letter. */
  | { kind: 'addressee'; lines: string[] }
  | { kind: 'table'; columns: TableColumn[]; rows: string[][]; header: boolean; size: TextSize }
  /** "Role ________ Name" on one line, with an optional caption line under it. */
  | { kind: 'signature'; role: string; name: string; caption?: string };

export type TextSize = 'title' | 'body' | 'small';

/** Point sizes of each text size, shared by both renderers. */
export const POINTS: Readonly<Record<TextSize, number>> = { title: 14, body: 12, small: 9 };

export interface TableColumn {
  title: string;
  /** Share of the text width, 0..1; a table's shares add up to 1. */
  width: number;
  align?: Align;
}

export interface DocumentLayout {
  title: string;
  subject: string;
  author: string;
  /** Fixed creation date of the file (epoch ms), so the same input gives the same bytes. */
  createdAt: number;
  blocks: Block[];
}
