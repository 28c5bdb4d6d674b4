import { describe, expect, it } from 'vitest';
import type { Permit } from '../infra/domain/types.ts';
import { OVERSTAY_WINDOW_MS, overstayedPermit } from './device-detector.ts';

const H = 3_600_000;
const permit = (id: string, from: number, until: number): Permit => ({
  id, clientId: 'c', category: 'exceptional_circumstances', destinationUnitIds: ['KG21000000000'], corridor: null, validFrom: from, validUntil: until,
});
const ctx = (permits: Permit[]) => ({ clientId: 'c', regime: 'probation_supervision' as const, residenceUnitId: 'KG11000000000', zones: [], permits });

// PEC KR arts. 63(2) and 166(2): a trip permit is time-boxed; not being back when it ends is an overstay.
describe('overstayedPermit (PEC KR arts. 63(2), 166(2))', () => {
  it('a district exit that begins after a permit ended, within the window, overstays it', () => {
    expect(overstayedPermit(ctx([permit('p1', 0, 10 * H)]), 11 * H)?.id).toBe('p1');
  });
  it('picks the most recently ended permit', () => {
    expect(overstayedPermit(ctx([permit('old', 0, 5 * H), permit('new', 6 * H, 10 * H)]), 12 * H)?.id).toBe('new');
  });
  it('is not an overstay while the permit is valid, before it, or long after it', () => {
    expect(overstayedPermit(ctx([permit('p1', 0, 10 * H)]), 5 * H)).toBeNull();
    expect(overstayedPermit(ctx([permit('p1', 20 * H, 30 * H)]), 5 * H)).toBeNull();
    expect(overstayedPermit(ctx([permit('p1', 0, 10 * H)]), 10 * H + OVERSTAY_WINDOW_MS + 1)).toBeNull();
  });
});
