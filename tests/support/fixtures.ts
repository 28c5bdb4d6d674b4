import type pg from 'pg';
import type { RegimeKind } from '../../infra/domain/types.ts';

export const BISHKEK = 'KG11000000000';
export const TOKMOK_CITY = 'KG08400000010';

/** Registers a client living in `unitId` wearing tag `deviceId`; returns the client id. */
export async function registerClient(
  pool: pg.Pool,
  deviceId: string,
  opts: { unitId?: string; regime?: RegimeKind; name?: string } = {},
): Promise<string> {
  const unit = opts.unitId ?? BISHKEK;
  const { rows } = await pool.query<{ id: string }>(
    `insert into clients (full_name, regime, court_decision_date, effective_date, term_months, term_start, residence_unit_id, district_id)
     values ($1, $2, '2026-01-10', '2026-01-20', 24, '2026-01-25', $3, $3) returning id`,
    [opts.name ?? `Client of ${deviceId}`, opts.regime ?? 'probation_supervision', unit],
  );
  await pool.query(`insert into devices (id, client_id, status) values ($1, $2, 'assigned')`, [deviceId, rows[0]!.id]);
  return rows[0]!.id;
}
