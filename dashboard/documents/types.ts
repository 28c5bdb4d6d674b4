/**
 * What a generated sanction document (written warning, court submission) is made of. The case
 * routes assemble it from the database; the renderers turn it into DOCX or PDF without I/O, so the
 * same input always gives the same text and the same evidence hash.
 */
import type { RegimeKind } from '../../infra/domain/types.ts';

export const DOCUMENT_KINDS = ['written_warning', 'court_submission_add_duties', 'court_submission_revoke', 'court_submission_early_termination', 'court_submission_change_duties', 'court_submission_deferral_end'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentParty {
  fullName: string;
  position: string;
}

export interface EvidenceFix {
  /** Device time, epoch ms. */
  at: number;
  lon: number;
  lat: number;
  accuracyM: number;
  source: string;
}

export interface EvidenceEvent {
  at: number;
  type: string;
  detail: string;
}

export interface DocumentViolation {
  occurredAt: number;
  /** Human-readable obligation, in Russian. */
  obligation: string;
  articles: string[];
  /** The alert that proved it, if any (type and id). */
  alert: { id: string; type: string } | null;
  validReason: string | null;
  /** What the officer or the platform recorded as the facts (e.g. a move without notice, 166(1)(3)); absent in documents issued before it was printed. */
  description?: string | null;
}

export interface DocumentWarning {
  issuedAt: number;
  documentNumber: string;
}

export interface SanctionDocumentInput {
  kind: DocumentKind;
  /** Registry number of the document, e.g. "ЭН-2026-000123". */
  documentNumber: string;
  /** When the officer decided (epoch ms); printed as the document's date. */
  issuedAt: number;
  office: { name: string; districtName: string };
  court: { name: string } | null;
  client: {
    fullName: string;
    birthDate: string | null;
    address: string | null;
    regime: RegimeKind;
    courtDecisionDate: string;
    termStart: string | null;
    termMonths: number;
    residenceUnitName: string;
  };
  /** The obligations breached, with their articles (from infra/domain/legal.ts). */
  obligationsBreached: { text: string; articles: string[] }[];
  violations: DocumentViolation[];
  warnings: DocumentWarning[];
  evidence: { fixes: EvidenceFix[]; events: EvidenceEvent[]; from: number; to: number };
  /** The articles that allow this response (e.g. "PEC KR art. 168(2)"). */
  legalBasis: string[];
  /** The facts that satisfy each element of that ground, in Russian (labels-ru.ts groundFactsRu). */
  grounds?: string[];
  /** What the office asks of the court, or warns the client about, in Russian. */
  request: string;
  officer: DocumentParty;
  head: DocumentParty | null;
}
