import type pg from 'pg';
import type { SupervisionContext } from '../geofence/index.ts';
import type { Corridor, Permit, PermitCategory, RegimeKind, WeeklySchedule, Zone, ZoneKind, ZoneShape } from '../infra/domain/types.ts';
import type { Assignments, AssignmentSpan } from './assignment-at.ts';

export interface DeviceEntry {
  deviceId: string;
  /** The client the tag is fitted on now, if any. */
  clientId: string | null;
  /** The current client's context; null when the device is not assigned to a client. */
  context: SupervisionContext | null;
  /** Its current and recently ended assignments: each fix belongs to the one current at its device time. */
  assignments: Assignments;
}

/**
 * How long after a tag's removal its late fixes are still attributed to the client it was on: a
 * tag's store-and-forward memory holds days, not weeks. Older fixes are stored with no client.
 */
export const PAST_ASSIGNMENT_DAYS = 14;
const NO_PAST: Assignments['past'] = Object.freeze([]);
// Most clients have no zones and no permits: one shared empty list each, not two per client.
const NO_ZONES: Zone[] = Object.freeze([]) as unknown as Zone[];
const NO_PERMITS: Permit[] = Object.freeze([]) as unknown as Permit[];

/**
 * The few distinct regimes and residence units, as one string each: pg returns a new string per
 * row, and a cached context per client would otherwise hold its own copy of both.
 */
const interned = new Map<string, string>();
function intern<T extends string>(s: T): T {
  const hit = interned.get(s);
  if (hit !== undefined) return hit as T;
  interned.set(s, s);
  return s;
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

  /** Drops the cached contexts of a client's devices, now or recently worn (its permits, zones or residence changed). */
  invalidateClient(clientId: string): void {
    this.generation++;
    for (const [id, slot] of this.cache) {
      const e = slot.entry;
      if (e && (e.clientId === clientId || e.assignments.past.some((s) => s.clientId === clientId))) this.cache.delete(id);
    }
  }

  private async load(ids: string[]): Promise<Map<string, DeviceEntry>> {
    const devices = await this.pool.query<{ id: string; client_id: string | null; regime: RegimeKind | null; residence_unit_id: string | null }>(
      `select d.id, d.client_id, c.regime, c.residence_unit_id
         from devices d left join clients c on c.id = d.client_id
        where d.id = any($1) and d.status <> 'retired'`,
      [ids],
    );
    const spans = await this.pool.query<{ id: string; device_id: string; client_id: string; fitted_at: Date; removed_at: Date | null }>(
      `select id, device_id, client_id, fitted_at, removed_at from device_assignments
        where device_id = any($1) and (removed_at is null or removed_at > now() - make_interval(days => $2))`,
      [ids, PAST_ASSIGNMENT_DAYS],
    );
    // Contexts of the clients the tags are on now, and of those they came off recently.
    const cases = new Map<string, { regime: RegimeKind; residence_unit_id: string }>();
    for (const r of devices.rows) if (r.client_id && r.regime && r.residence_unit_id) cases.set(r.client_id, { regime: r.regime, residence_unit_id: r.residence_unit_id });
    const pastClients = [...new Set(spans.rows.map((r) => r.client_id))].filter((c) => !cases.has(c));
    if (pastClients.length) {
      const { rows } = await this.pool.query<{ id: string; regime: RegimeKind; residence_unit_id: string }>('select id, regime, residence_unit_id from clients where id = any($1)', [pastClients]);
      for (const r of rows) cases.set(r.id, r);
    }
    const contexts = await this.contexts(cases);
    const bySpanDevice = new Map<string, typeof spans.rows>();
    for (const r of spans.rows) push(bySpanDevice, r.device_id, r);
    const out = new Map<string, DeviceEntry>();
    for (const r of devices.rows) {
      const context = r.client_id ? (contexts.get(r.client_id) ?? null) : null;
      const own = bySpanDevice.get(r.id) ?? [];
      const open = own.find((s) => s.removed_at === null && s.client_id === r.client_id);
      // A tag fitted before the evidence chain was recorded has no open row: it counts from the start.
      const current: AssignmentSpan | null = r.client_id
        ? { id: open?.id ?? null, clientId: r.client_id, from: open ? open.fitted_at.getTime() : Number.NEGATIVE_INFINITY, to: null, context }
        : null;
      const ended = own.filter((s): s is typeof s & { removed_at: Date } => s.removed_at !== null);
      // Most tags have no recent removal: one shared empty list, not one per cached device.
      const past = ended.length
        ? ended.map((s) => ({ id: s.id, clientId: s.client_id, from: s.fitted_at.getTime(), to: s.removed_at.getTime(), context: contexts.get(s.client_id) ?? null }))
        : NO_PAST;
      out.set(r.id, { deviceId: r.id, clientId: r.client_id, context, assignments: { current, past } });
    }
    return out;
  }

  private async contexts(cases: Map<string, { regime: RegimeKind; residence_unit_id: string }>): Promise<Map<string, SupervisionContext>> {
    const clientIds = [...cases.keys()];
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
    const out = new Map<string, SupervisionContext>();
    for (const [clientId, c] of cases) {
      out.set(clientId, {
        clientId, regime: intern(c.regime), residenceUnitId: intern(c.residence_unit_id), zones: zones.get(clientId) ?? NO_ZONES, permits: permits.get(clientId) ?? NO_PERMITS,
      });
    }
    return out;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
