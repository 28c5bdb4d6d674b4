import type pg from 'pg';
import { obligationApplies, obligationArticles, obligationTextRu } from '../../infra/domain/legal.ts';
import { termHalfway } from '../../infra/domain/term.ts';
import { OBLIGATIONS, type DeferralArrivalBasis, type PermitCategory, type RegimeKind } from '../../infra/domain/types.ts';
import { CLIENT_COLUMNS, rowToClient, type ClientRecord } from './client-record.ts';
import { termOf } from './case-history.ts';
import { readLivingConditions } from './living-conditions-record.ts';
import { listPlaceChanges } from './place-change-record.ts';

const ms = (d: Date | null) => (d ? d.getTime() : null);

/** The summaries of "my clients": case, tag health, last fix, next appearance and open alerts. */
export async function listClientSummaries(db: pg.Pool | pg.PoolClient, scope: string | null, q: { limit: number; offset: number; q?: string }) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (scope) where.push(`c.district_id = $${params.push(scope)}`);
  if (q.q) where.push(`c.full_name ilike $${params.push(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`);
  const whereSql = where.length ? `where ${where.join(' and ')}` : '';
  const total = await db.query<{ n: string }>(`select count(*) as n from clients c ${whereSql}`, params);
  const { rows } = await db.query(
    `select ${CLIENT_COLUMNS}, u.display_name as officer_name,
            d.id as device_id, d.battery_level, d.online, d.last_seen_at,
            strap.type as strap_event, fix.lon, fix.lat, fix.accuracy_m, fix.device_time as fix_at,
            (select min(ci.due_at) from check_ins ci where ci.client_id = c.id and ci.status = 'scheduled' and ci.due_at >= (now() at time zone 'Asia/Bishkek')::date)::text as next_check_in,
            (select count(*) from alerts a where a.client_id = c.id and a.status <> 'resolved')::int as open_alerts
       from clients c
       left join users u on u.id = c.officer_id
       left join devices d on d.client_id = c.id
       left join lateral (select e.type from device_events e where e.device_id = d.id and e.type in ('strap_opened', 'strap_closed') order by e.device_time desc limit 1) strap on true
       left join lateral (select p.lon, p.lat, p.accuracy_m, p.device_time from positions p where p.device_id = d.id order by p.device_time desc limit 1) fix on true
       ${whereSql}
      order by c.full_name, c.id
      limit $${params.push(q.limit)} offset $${params.push(q.offset)}`,
    params,
  );
  return {
    total: Number(total.rows[0]!.n),
    items: rows.map((r) => {
      const c = rowToClient(r);
      return {
        id: c.id,
        fullName: c.fullName,
        regime: c.regime,
        districtId: c.districtId,
        residenceUnitId: c.residenceUnitId,
        officer: c.officerId ? { id: c.officerId, name: r.officer_name as string } : null,
        riskLevel: c.riskLevel,
        deviceId: (r.device_id as string | null) ?? null,
        device: r.device_id
          ? {
              battery: (r.battery_level as number | null) ?? null,
              strap: r.strap_event === 'strap_opened' ? ('open' as const) : r.strap_event === 'strap_closed' ? ('closed' as const) : null,
              lastContactAt: ms(r.last_seen_at as Date | null),
              online: (r.online as boolean | null) ?? null,
            }
          : null,
        lastFix: r.fix_at ? { lon: r.lon as number, lat: r.lat as number, accuracyM: r.accuracy_m as number, at: (r.fix_at as Date).getTime() } : null,
        nextCheckInAt: (r.next_check_in as string | null) ?? null,
        openAlerts: r.open_alerts as number,
      };
    }),
  };
}

/** The obligations of a regime with the articles that impose them, as the case file shows them. */
export function obligationsOf(regime: RegimeKind, deferralBasis: DeferralArrivalBasis | null = null) {
  return OBLIGATIONS.filter((o) => obligationApplies(o, regime)).map((o) => ({ obligation: o, text: obligationTextRu(o, regime), articles: [...obligationArticles(o, regime, deferralBasis)] }));
}

export async function readCaseFile(db: pg.Pool | pg.PoolClient, c: ClientRecord) {
  // One after another: on a transaction's client, pg runs queries one at a time anyway.
  const officer = c.officerId ? await db.query<{ display_name: string }>('select display_name from users where id = $1', [c.officerId]) : null;
  const device = await db.query<{ id: string; status: string; report_interval_s: number; battery_level: number | null; online: boolean | null; last_seen_at: Date | null }>(
    'select id, status, report_interval_s, battery_level, online, last_seen_at from devices where client_id = $1',
    [c.id],
  );
  const zones = await db.query<{ id: string; kind: string; label: string; shape: unknown; schedule: unknown }>('select id, kind, label, shape, schedule from zones where client_id = $1 order by created_at, id', [c.id]);
  const permits = await db.query<{ id: string; category: PermitCategory; destination_unit_ids: string[]; valid_from: Date; valid_until: Date; revoked_at: Date | null; travel_request_id: string | null; corridor: { path: [number, number][]; halfWidthM: number } | null }>(
    'select id, category, destination_unit_ids, valid_from, valid_until, revoked_at, travel_request_id, corridor from permits where client_id = $1 order by valid_from desc',
    [c.id],
  );
  const assignments = await db.query<{ id: string; device_id: string; fitted_at: Date; fitted_by: string | null; fitted_by_name: string | null; removed_at: Date | null; removed_by: string | null; removed_by_name: string | null; reason: string; removal_reason: string | null }>(
    `select a.id, a.device_id, a.fitted_at, a.fitted_by, f.display_name as fitted_by_name, a.removed_at, a.removed_by, r.display_name as removed_by_name, a.reason, a.removal_reason
       from device_assignments a left join users f on f.id = a.fitted_by left join users r on r.id = a.removed_by
      where a.client_id = $1 order by a.fitted_at, a.id`,
    [c.id],
  );
  const checkIns = await db.query<{ id: string; due_at: string; status: 'scheduled' | 'attended' | 'missed'; recorded_at: Date | null; valid_reason: string | null; violation_id: string | null }>(
    `select id, to_char(due_at, 'YYYY-MM-DD') as due_at, status, recorded_at, valid_reason, violation_id from check_ins where client_id = $1 order by due_at`,
    [c.id],
  );
  const plan = await db.query<{ plan: string; assistance_refused: boolean; refusal_act: string | null; updated_at: Date }>('select plan, assistance_refused, refusal_act, updated_at from supervision_plans where client_id = $1', [c.id]);
  const referrals = await db.query<{ id: string; agency: string; purpose: string; status: string; created_at: Date }>('select id, agency, purpose, status, created_at from referrals where client_id = $1 order by created_at', [c.id]);
  const placeChanges = await listPlaceChanges(db, c.id, c.regime);
  const livingConditions = await readLivingConditions(db, c);
  const term = termOf(c);
  const d = device.rows[0];
  const p = plan.rows[0];
  return {
    client: {
      id: c.id, fullName: c.fullName, birthDate: c.birthDate, address: c.address, regime: c.regime, residenceUnitId: c.residenceUnitId, districtId: c.districtId,
      officer: c.officerId ? { id: c.officerId, name: officer?.rows[0]?.display_name ?? '' } : null,
      riskLevel: c.riskLevel, courtName: c.courtName, createdAt: c.createdAt, childBirthDate: c.childBirthDate, childDiedOn: c.childDiedOn,
    },
    term: {
      courtDecisionDate: c.courtDecisionDate, effectiveDate: c.effectiveDate, registeredOn: c.registeredOn, termMonths: c.termMonths,
      termStart: term.termStart, termEnd: term.termEnd, halfwayOn: term.termStart && term.termEnd ? termHalfway(term.termStart, term.termEnd) : null,
      arrivalDeadline: term.arrivalDeadline, deferralBasis: c.deferralBasis, arrivedAtResidenceOn: c.arrivedAtResidenceOn,
      articles: [...term.articles], damagesOutstanding: c.damagesOutstanding,
    },
    arrivalDeadline: term.arrivalDeadline,
    obligations: obligationsOf(c.regime, c.deferralBasis),
    courtDuties: c.courtDuties,
    zones: zones.rows,
    permits: permits.rows.map((r) => ({
      id: r.id, category: r.category, destinationUnitIds: r.destination_unit_ids, validFrom: r.valid_from.getTime(), validUntil: r.valid_until.getTime(),
      revokedAt: ms(r.revoked_at), travelRequestId: r.travel_request_id, route: r.corridor,
    })),
    device: d ? { id: d.id, status: d.status, reportIntervalS: d.report_interval_s, battery: d.battery_level, online: d.online, lastContactAt: ms(d.last_seen_at) } : null,
    deviceAssignments: assignments.rows.map((r) => ({
      id: r.id, deviceId: r.device_id, fittedAt: r.fitted_at.getTime(), fittedBy: r.fitted_by ? { id: r.fitted_by, name: r.fitted_by_name ?? '' } : null,
      removedAt: ms(r.removed_at), removedBy: r.removed_by ? { id: r.removed_by, name: r.removed_by_name ?? '' } : null, reason: r.reason, removalReason: r.removal_reason,
    })),
    checkIns: checkIns.rows.map((r) => ({ id: r.id, dueAt: r.due_at, status: r.status, recordedAt: ms(r.recorded_at), validReason: r.valid_reason, violationId: r.violation_id })),
    plan: p ? { plan: p.plan, assistanceRefused: p.assistance_refused, refusalAct: p.refusal_act, updatedAt: p.updated_at.getTime() } : null,
    referrals: referrals.rows.map((r) => ({ id: r.id, agency: r.agency, purpose: r.purpose, status: r.status, createdAt: r.created_at.getTime() })),
    placeChanges,
    livingConditions,
  };
}
