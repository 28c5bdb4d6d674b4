import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from './device-registry.ts';

/** A pool whose device query answers from `clientOf` after `gate` resolves (the rest: no rows). */
function fakePool(clientOf: Map<string, string>, gate: () => Promise<void>): pg.Pool {
  return {
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes('from devices d')) {
        // What the database held when the query ran, delivered after `gate`.
        const ids = params[0] as string[];
        const rows = ids.map((id) => ({ id, client_id: clientOf.get(id) ?? null, regime: 'probation_supervision', residence_unit_id: 'KG11000000000' }));
        await gate();
        return { rows };
      }
      return { rows: [] };
    },
  } as unknown as pg.Pool;
}

describe('DeviceRegistry', () => {
  it('does not cache a load that an invalidation overtook, and caches one that none did', async () => {
    let release!: () => void;
    let slow = true;
    const clientOf = new Map([['T1', 'c-old']]);
    const registry = new DeviceRegistry(fakePool(clientOf, () => (slow ? new Promise<void>((r) => (release = r)) : Promise.resolve())), 60_000);
    const pending = registry.resolve(['T1']);
    // The tag is refitted while the first load is in flight.
    clientOf.set('T1', 'c-new');
    registry.invalidate('T1');
    release();
    expect((await pending).get('T1')?.clientId).toBe('c-old');
    slow = false;
    expect((await registry.resolve(['T1'])).get('T1')?.clientId).toBe('c-new');
    clientOf.set('T1', 'c-newer');
    // No invalidation this time: the cached entry stands until its TTL.
    expect((await registry.resolve(['T1'])).get('T1')?.clientId).toBe('c-new');
    registry.invalidateClient('c-new');
    expect((await registry.resolve(['T1'])).get('T1')?.clientId).toBe('c-newer');
  });
});
