import type pg from 'pg';
import type { SupervisionContext } from '../geofence/index.ts';
import type { Corridor, Permit, PermitCategory, RegimeKind, WeeklySchedule, Zone, ZoneKind, ZoneShape } from '../infra/domain/types.ts';

export interface DeviceEntry {
  deviceId: string;
  clientId: string | null;
  /** Null when the device is not assigned to a client. */
  context: SupervisionContext | null;
}

interface CacheSlot {
  entry: DeviceEntry | null;
  loadedAt: number;
}

/**
 * Devices and their clients' supervision contexts, cached for `ttlMs` so that the hot path does not
 * query per message. Changes are announced by the database (ContextChangeListener) and drop the
 * entries at once; the TTL only bounds staleness if a notification is ever missed. Unknown devices
 * are cached too, so a flood from an unregistered tag costs one query.
 */
export class DeviceRegistry {
  private readonly cache = new Map<string, CacheSlot>();
  /** Bumped by every invalidation: a load that raced one must not cache what it read. */
  private generation = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(deviceIds: Iterable<string>): Promise<Map<string, DeviceEntry | null>> {
    const now = this.now();
    const out = new Map<string, DeviceEntry | null>();
    const missing: string[] = [];
    for (const id of new Set(deviceIds)) {
      const slot = this.cache.get(id);
      if (slot && now - slot.loadedAt < this.ttlMs) out.set(id, slot.entry);
      else missing.push(id);
    }
    if (missing.length) {
      const generation = this.generation;
      const loaded = await this.load(missing);
      // Changed while loading: use what was read for this batch, but do not keep it.
      const keep = generation === this.generation;
      for (const id of missing) {
        const entry = loaded.get(id) ?? null;
        if (keep) this.cache.set(id, { entry, loadedAt: now });
        out.set(id, entry);
      }
    }
    return out;
  }

  invalidate(deviceId?: string): void {
    this.generation++;
    if (deviceId) this.cache.delete(deviceId);
    else this.cache.clear();
  }

  /** Drops the cached contexts of a client's devices (its permits, zones or residence changed). */
  invalidateClient(clientId: string): void {
    this.generation++;
    for (const [id, slot] of this.cache) if (slot.entry?.clientId === clientId) this.cache.delete(id);
  }

  private async load(ids: string[]): Promise<Map<string, DeviceEntry>> {
    const devices = await this.pool.query<{ id: string; client_id: string | null; regime: RegimeKind | null; residence_unit_id: string | null }>(
      `select d.id, d.client_id, c.regime, c.residence_unit_id
         from devices d left join clients c on c.id = d.client_id
        where d.id = any($1) and d.status <> 'retired'`,
      [ids],
    );
    const clientIds = devices.rows.map((r) => r.client_id).filter((c): c is string => c !== null);
    const zones = new Map<string, Zone[]>();
    const permits = new Map<string, Permit[]>();
    if (clientIds.length) {
      const z = await this.pool.query<{ id: string; client_id: string; kind: ZoneKind; label: string; shape: ZoneShape; schedule: WeeklySchedule | null }>(
        'select id, client_id, kind, label, shape, schedule from zones where client_id = any($1)',
        [clientIds],
      );
      for (const r of z.rows) {
        push(zones, r.client_id, { id: r.id, clientId: r.client_id, kind: r.kind, label: r.label, shape: r.shape, schedule: r.schedule });
      }
      // Expired permits stay relevant for a while: late store-and-forward fixes from the trip are
      // judged by device time against the permit that was valid then.
      const p = await this.pool.query<{
        id: string; client_id: string; category: PermitCategory; destination_unit_ids: string[]; corridor: Corridor | null; valid_from: Date; valid_until: Date;
      }>(
        `select id, client_id, category, destination_unit_ids, corridor, valid_from, valid_until
           from permits where client_id = any($1) and revoked_at is null and valid_until > now() - interval '7 days'`,
        [clientIds],
      );
      for (const r of p.rows) {
        push(permits, r.client_id, {
          id: r.id, clientId: r.client_id, category: r.category, destinationUnitIds: r.destination_unit_ids, corridor: r.corridor,
          validFrom: r.valid_from.getTime(), validUntil: r.valid_until.getTime(),
        });
      }
    }
    const out = new Map<string, DeviceEntry>();
    for (const r of devices.rows) {
      const context: SupervisionContext | null =
        r.client_id && r.regime && r.residence_unit_id
          ? { clientId: r.client_id, regime: r.regime, residenceUnitId: r.residence_unit_id, zones: zones.get(r.client_id) ?? [], permits: permits.get(r.client_id) ?? [] }
          : null;
      out.set(r.id, { deviceId: r.id, clientId: r.client_id, context });
    }
    return out;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
