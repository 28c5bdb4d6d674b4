import type { Static } from 'typebox';
import { Value } from 'typebox/value';
import type pg from 'pg';
import { appendAudit } from '../../infra/audit/audit-log.ts';
import { bishkekDate, checkInsToSchedule, computeTerm } from '../../infra/domain/term.ts';
import { Errors } from '../errors.ts';
import { districtScope, type SessionUser } from '../plugins/application/auth.ts';
import { actorOf } from './client-record.ts';
import { NewClient } from './schemas.ts';

export type NewClientBody = Static<typeof NewClient>;

/** The route's schema check, for callers that do not come through HTTP (the demo seed). */
export function checkNewClient(body: unknown): NewClientBody {
  const first = Value.Errors(NewClient, body)[0];
  if (first) throw new Errors.VALIDATION(`body${first.instancePath} ${first.message}`);
  return body as NewClientBody;
}

/**
 * Opens a case file as `user` would through POST /api/clients: the checks the schema cannot make,
 * the term and arrival deadline as the law computes them, the check-in calendar and the audit
 * entry. The route and the demo seed (firmware-sim/demo-fleet.ts) both call it, so that demo data
 * cannot be anything the API would refuse. Runs inside the caller's transaction; returns the id.
 */
export async function openCaseFile(db: pg.PoolClient, user: SessionUser, b: NewClientBody, today = bishkekDate(Date.now())): Promise<string> {
  const scope = districtScope(user);
  const districtId = b.districtId ?? scope;
  if (!districtId) throw new Errors.VALIDATION('body/districtId is required for a user without a district');
  if (scope && districtId !== scope) throw new Errors.VALIDATION('body/districtId must be your own district');
  const units = await db.query<{ id: string }>('select id from admin_units where level = 2 and id = any($1)', [[districtId, b.residenceUnitId]]);
  if (!units.rows.some((u) => u.id === b.residenceUnitId)) throw new Errors.VALIDATION('body/residenceUnitId must be a district or city (level 2 unit)');
  if (!units.rows.some((u) => u.id === districtId)) throw new Errors.VALIDATION('body/districtId must be a district or city (level 2 unit)');
  const officerId = b.officerId ?? (user.role === 'officer' ? user.id : null);
  if (officerId) {
    const o = await db.query('select 1 from users where id = $1 and role = $2 and district_id = $3 and disabled_at is null', [officerId, 'officer', districtId]);
    if (!o.rows.length) throw new Errors.VALIDATION("body/officerId must be an officer of the client's district");
  }
  if (b.registeredOn && b.registeredOn < b.effectiveDate) throw new Errors.VALIDATION('body/registeredOn cannot be before the effective date');
  if (b.deferralBasis && b.regime !== 'deferred_sentence') throw new Errors.VALIDATION('body/deferralBasis is for a deferred sentence only (PEC KR arts. 160^1-160^4)');
  const deferralBasis = b.regime === 'deferred_sentence' ? (b.deferralBasis ?? 'court_decision') : null;
  if (b.arrivedAtResidenceOn !== undefined) {
    if (deferralBasis !== 'release_from_prison') throw new Errors.VALIDATION('body/arrivedAtResidenceOn is for a client released from prison under a deferment only (deferralBasis release_from_prison, PEC KR art. 160^1(4))');
    if (b.arrivedAtResidenceOn < b.effectiveDate) throw new Errors.VALIDATION('body/arrivedAtResidenceOn cannot be before the effective date');
  }
  const arrivedAtResidenceOn = b.arrivedAtResidenceOn ?? null;
  if (b.childBirthDate !== undefined && b.regime !== 'deferred_sentence') throw new Errors.VALIDATION('body/childBirthDate is for a deferred sentence only (PEC KR art. 160^4(3))');
  const term = computeTerm({ regime: b.regime, effectiveDate: b.effectiveDate, registeredOn: b.registeredOn ?? null, termMonths: b.termMonths, deferralBasis, arrivedAtResidenceOn });

  const { rows } = await db.query<{ id: string }>(
    `insert into clients (full_name, regime, court_decision_date, effective_date, registered_on, term_months, term_start, term_end, arrival_deadline,
                          residence_unit_id, district_id, officer_id, risk_level, birth_date, address, court_name, court_duties, damages_outstanding, created_by,
                          deferral_basis, arrived_at_residence_on, child_birth_date)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) returning id`,
    [
      b.fullName, b.regime, b.courtDecisionDate, b.effectiveDate, b.registeredOn ?? null, b.termMonths, term.termStart, term.termEnd, term.arrivalDeadline,
      b.residenceUnitId, districtId, officerId, b.riskLevel ?? 'medium', b.birthDate ?? null, b.address ?? null, b.courtName ?? null, b.courtDuties ?? [],
      b.damagesOutstanding ?? false, user.id, deferralBasis, arrivedAtResidenceOn, b.childBirthDate ?? null,
    ],
  );
  const clientId = rows[0]!.id;
  // Appearances from today on (a case opened late does not invent missed ones), and none
  // inside the arrival window of a deferred sentence or parole (checkInCalendarStart).
  const dates = checkInsToSchedule(term, b.registeredOn ?? null, today);
  if (dates.length) await db.query('insert into check_ins (client_id, due_at) select $1, unnest($2::date[])', [clientId, dates]);
  if (b.plan) await db.query('insert into supervision_plans (client_id, plan, updated_by) values ($1, $2, $3)', [clientId, b.plan, user.id]);
  await appendAudit(db, {
    actor: actorOf(user), action: 'client.create', subjectType: 'client', subjectId: clientId, reason: null,
    details: { regime: b.regime, districtId, termStart: term.termStart, arrivalDeadline: term.arrivalDeadline, deferralBasis, articles: term.articles },
  });
  return clientId;
}
