import { createHash } from 'node:crypto';
import type { EvidenceEvent, EvidenceFix, SanctionDocumentInput } from './types.ts';

/**
 * The evidence hash printed in every sanction document, so that a court can check that the track
 * and device events it is shown are the ones the office relied on. The hash is SHA-256 over a
 * plain-text export whose exact form is below (and in docs/documents.md): anyone holding the
 * export can recompute it with `sha256sum`, and anyone holding the rows can rebuild the export.
 *
 * Form "kgz-em-evidence/1": UTF-8 text, fields separated by TAB, every line ending in LF.
 *   line 1   kgz-em-evidence/1
 *   line 2   period <TAB> from <TAB> to
 *   then     fix <TAB> time <TAB> lat <TAB> lon <TAB> accuracy <TAB> source      (one per fix)
 *   then     event <TAB> time <TAB> type <TAB> detail                               (one per event)
 * - times are UTC, ISO 8601 with milliseconds: 2026-02-03T04:05:06.789Z;
 * - lat and lon are decimal degrees with exactly 6 decimals, accuracy metres with exactly 1
 *   (JavaScript toFixed: "42.874600", "74.612300", "12.0"; a value that rounds to zero is
 *   written without a minus sign);
 * - text fields are Unicode NFC, with "\" written "\\", TAB "\t", LF "\n" and CR "\r";
 * - fix lines are sorted by their UTF-8 bytes, then event lines likewise. The time is the first
 *   varying field and has a fixed width, so this is chronological order, with ties broken by the
 *   rest of the line; identical rows are kept (the export is a multiset, not a set).
 * Numbers are rounded once, here; the document's track table prints the same strings.
 */
export const EVIDENCE_FORMAT = 'kgz-em-evidence/1';

export type DocumentEvidence = SanctionDocumentInput['evidence'];

export function formatLatLon(deg: number): string {
  return fixed(finite(deg, 'coordinate'), 6);
}

export function formatAccuracy(m: number): string {
  return fixed(finite(m, 'accuracy'), 1);
}

function fixed(n: number, decimals: number): string {
  const s = n.toFixed(decimals);
  return /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

export function formatUtc(ms: number): string {
  return new Date(finite(ms, 'time')).toISOString();
}

export function escapeField(text: string): string {
  return text.normalize('NFC').replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

export function fixLine(f: EvidenceFix): string {
  return ['fix', formatUtc(f.at), formatLatLon(f.lat), formatLatLon(f.lon), formatAccuracy(f.accuracyM), escapeField(f.source)].join('\t');
}

export function eventLine(e: EvidenceEvent): string {
  return ['event', formatUtc(e.at), escapeField(e.type), escapeField(e.detail)].join('\t');
}

/** The export whose SHA-256 is the evidence hash (serve it beside the document as evidence.tsv). */
export function canonicalEvidence(evidence: DocumentEvidence): string {
  const lines = [
    EVIDENCE_FORMAT,
    ['period', formatUtc(evidence.from), formatUtc(evidence.to)].join('\t'),
    ...byUtf8(evidence.fixes.map(fixLine)),
    ...byUtf8(evidence.events.map(eventLine)),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

export function evidenceSha256(evidence: DocumentEvidence): string {
  return createHash('sha256').update(canonicalEvidence(evidence), 'utf8').digest('hex');
}

/** Fixes in the export's order, for tables that must list them as the hash saw them. */
export function fixesInEvidenceOrder(fixes: readonly EvidenceFix[]): EvidenceFix[] {
  return sortByKey(fixes, fixLine);
}

export function eventsInEvidenceOrder(events: readonly EvidenceEvent[]): EvidenceEvent[] {
  return sortByKey(events, eventLine);
}

// JavaScript's default sort compares UTF-16 code units, which differs from byte order for some
// characters; `sort` under LC_ALL=C (what a verifier would use) compares bytes.
function byUtf8(lines: string[]): string[] {
  return lines.map((l) => Buffer.from(l, 'utf8')).sort(Buffer.compare).map((b) => b.toString('utf8'));
}

function sortByKey<T>(items: readonly T[], key: (t: T) => string): T[] {
  return items.map((item) => ({ item, k: Buffer.from(key(item), 'utf8') })).sort((a, b) => Buffer.compare(a.k, b.k)).map((x) => x.item);
}

function finite(n: number, what: string): number {
  if (!Number.isFinite(n)) throw new RangeError(`evidence ${what} is not a finite number: ${n}`);
  return n;
}
