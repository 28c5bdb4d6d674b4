import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEvidence, evidenceSha256, type DocumentEvidence } from './evidence-hash.ts';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const evidence = (): DocumentEvidence => ({
  from: Date.UTC(2026, 0, 14, 12, 0, 0),
  to: Date.UTC(2026, 0, 14, 13, 0, 0),
  // Given out of order: the export sorts them.
  fixes: [
    { at: Date.UTC(2026, 0, 14, 12, 1, 0, 250), lat: 42.8746001, lon: 74.6122, accuracyM: 12.25, source: 'gps' },
    { at: Date.UTC(2026, 0, 14, 12, 0, 0), lat: 42.87, lon: 74.61, accuracyM: 350, source: 'cell' },
  ],
  events: [{ at: Date.UTC(2026, 0, 14, 12, 0, 30), type: 'strap_opened', detail: 'ремешок\tразомкнут' }],
});

describe('the evidence hash (docs/documents.md, "The evidence hash")', () => {
  it('is SHA-256 of the kgz-em-evidence/1 export, whose exact text is documented', () => {
    const expected =
      'kgz-em-evidence/1\n' +
      'period\t2026-01-14T12:00:00.000Z\t2026-01-14T13:00:00.000Z\n' +
      'fix\t2026-01-14T12:00:00.000Z\t42.870000\t74.610000\t350.0\tcell\n' +
      'fix\t2026-01-14T12:01:00.250Z\t42.874600\t74.612200\t12.3\tgps\n' +
      'event\t2026-01-14T12:00:30.000Z\tstrap_opened\tремешок\\tразомкнут\n';
    expect(canonicalEvidence(evidence())).toBe(expected);
    expect(evidenceSha256(evidence())).toBe(sha256(expected));
  });

  it('does not depend on the order the rows come in', () => {
    const e = evidence();
    const reversed = { ...e, fixes: [...e.fixes].reverse(), events: [...e.events].reverse() };
    expect(evidenceSha256(reversed)).toBe(evidenceSha256(e));
  });

  it('changes when any field of a fix or an event, a row, or the period changes at the precision it is written with', () => {
    const base = evidenceSha256(evidence());
    const variants: ((e: DocumentEvidence) => void)[] = [
      (e) => { e.fixes[0]!.lat += 0.000001; },
      (e) => { e.fixes[0]!.lon -= 0.000001; },
      (e) => { e.fixes[0]!.accuracyM += 0.5; },
      (e) => { e.fixes[0]!.at += 1; },
      (e) => { e.fixes[1]!.source = 'wifi'; },
      (e) => { e.events[0]!.detail = 'ремешок разомкнут'; },
      (e) => { e.fixes.pop(); },
      (e) => { e.fixes.push({ ...e.fixes[0]! }); },
      (e) => { e.to += 1000; },
    ];
    const hashes = variants.map((change) => {
      const e = evidence();
      change(e);
      return evidenceSha256(e);
    });
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('writes a coordinate that rounds to zero without a minus sign, and escapes separators in text', () => {
    const e: DocumentEvidence = {
      from: 0, to: 1,
      fixes: [{ at: 0, lat: -0.0000001, lon: -0, accuracyM: 5, source: 'gps' }],
      events: [{ at: 0, type: 'message_read', detail: 'a\\b\nc\rd' }],
    };
    const text = canonicalEvidence(e);
    expect(text).toContain('fix\t1970-01-01T00:00:00.000Z\t0.000000\t0.000000\t5.0\tgps\n');
    expect(text).toContain('event\t1970-01-01T00:00:00.000Z\tmessage_read\ta\\\\b\\nc\\rd\n');
  });

  it('normalises text to NFC, so the same words typed differently hash the same', () => {
    const e = evidence();
    const decomposed = { ...e, events: [{ ...e.events[0]!, detail: 'й'.normalize('NFD') }] };
    const composed = { ...e, events: [{ ...e.events[0]!, detail: 'й'.normalize('NFC') }] };
    expect(evidenceSha256(decomposed)).toBe(evidenceSha256(composed));
  });

  it('refuses a row that is not a number rather than hash "NaN"', () => {
    const e = evidence();
    e.fixes[0]!.lat = Number.NaN;
    expect(() => evidenceSha256(e)).toThrow(/coordinate/);
  });
});
