/**
 * Control characters that have no place in text people read or PostgreSQL stores (U+0000 above
 * all, which text columns refuse); tab, line feed and carriage return are text and stay allowed.
 * One definition for the API's input guard and ingest's dead-letter preview.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The text with each control character written as \uXXXX, readable and storable. */
export function escapeControlCharacters(s: string): string {
  return s.replace(new RegExp(CONTROL_CHARACTER.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
