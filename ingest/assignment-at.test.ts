import { describe, expect, it } from 'vitest';
import { ownerAt, type Assignments } from './assignment-at.ts';

const span = (id: string | null, clientId: string, from: number, to: number | null) => ({ id, clientId, from, to, context: null });

describe('ownerAt: the assignment current at a device time', () => {
  const a: Assignments = { current: span('s3', 'Z', 300, null), past: [span('s1', 'X', 100, 200) as never, span('s2', 'Y', 200, 250) as never] };

  it('gives each time the fitting it falls in, half-open at the end: a swap instant belongs to the new fitting', () => {
    expect(ownerAt(a, 100)).toMatchObject({ kind: 'past', span: { clientId: 'X' } });
    expect(ownerAt(a, 199)).toMatchObject({ kind: 'past', span: { clientId: 'X' } });
    expect(ownerAt(a, 200)).toMatchObject({ kind: 'past', span: { clientId: 'Y' } });
    expect(ownerAt(a, 300)).toMatchObject({ kind: 'current', span: { clientId: 'Z' } });
    expect(ownerAt(a, 10_000)).toMatchObject({ kind: 'current' });
  });

  it('gives nobody the gaps: before any fitting, and between a removal and the next fitting', () => {
    expect(ownerAt(a, 99).kind).toBe('none');
    expect(ownerAt(a, 250).kind).toBe('none');
    expect(ownerAt(a, 299).kind).toBe('none');
    expect(ownerAt(null, 5).kind).toBe('none');
    expect(ownerAt({ current: null, past: [] }, 5).kind).toBe('none');
  });

  it('lets a recorded earlier fitting win over a current one fitted before the evidence chain (from the start of time)', () => {
    const legacy: Assignments = { current: span(null, 'Z', Number.NEGATIVE_INFINITY, null), past: [span('s1', 'X', 100, 200) as never] };
    expect(ownerAt(legacy, 150)).toMatchObject({ kind: 'past', span: { clientId: 'X' } });
    expect(ownerAt(legacy, 50)).toMatchObject({ kind: 'current', span: { clientId: 'Z' } });
  });
});
