import type pg from 'pg';
import type { DeferralArrivalBasis, RegimeKind, RiskLevel } from '../../infra/domain/types.ts';
import { Errors, outOfScope } from '../errors.ts';
import { districtScope, type SessionUser } from '../plugins/application/auth.ts';

/** A client's case-file row, calendar dates as "YYYY-MM-DD". */
export interface ClientRecord {
  id: string;
  fullName: string;
  regime: RegimeKind;
  courtDecisionDate: string;
  effectiveDate: string;
  registeredOn: string | null;
  termMonths: number;
  termStart: string | null;
  termEnd: string | null;
  arrivalDeadline: string | null;
  /** Deferred sentences only: where the arrival term runs from (160^2(2) or 160^1(4)). */
  deferralBasis: DeferralArrivalBasis | null;
  arrivedAtResidenceOn: string | null;
  /** Deferred sentences: the child's date of birth and of death (PEC KR art. 160^4(3)). */
  childBirthDate: string | null;
  childDiedOn: string | null;
  residenceUnitId: string;
  districtId: string;
  officerId: string | null;
  riskLevel: RiskLevel;
  birthDate: string | null;
  address: string | null;
  courtName: string | null;
  courtDuties: string[];
  damagesOutstanding: boolean;
  createdAt: number;
}

const d = (col: string) => `to_char(c.${col}, 'YYYY-MM-DD') as ${col}`;
export const CLIENT_COLUMNS = [
  'c.id', 'c.full_name', 'c.regime', d('court_decision_date'), d('effective_date'), d('registered_on'), 'c.term_months', d('term_start'), d('term_end'),
  d('arrival_deadline'), 'c.residence_unit_id', 'c.district_id', 'c.officer_id', 'c.risk_level', d('birth_date'), 'c.address', 'c.court_name',
  'c.court_duties', 'c.damages_outstanding', 'c.created_at', 'c.deferral_basis', d('arrived_at_residence_on'), d('child_birth_date'), d('child_died_on'),
].join(', ');

export function rowToClient(r: Record<string, unknown>): ClientRecord {
  return {
    id: r.id as string,
    fullName: r.full_name as string,
    regime: r.regime as RegimeKind,
    courtDecisionDate: r.court_decision_date as string,
    effectiveDate: r.effective_date as string,
    registeredOn: (r.registered_on as string | null) ?? null,
    termMonths: r.term_months as number,
    termStart: (r.term_start as string | null) ?? null,
    termEnd: (r.term_end as string | null) ?? null,
    arrivalDeadline: (r.arrival_deadline as string | null) ?? null,
    deferralBasis: (r.deferral_basis as DeferralArrivalBasis | null) ?? null,
    arrivedAtResidenceOn: (r.arrived_at_residence_on as string | null) ?? null,
    childBirthDate: (r.child_birth_date as string | null) ?? null,
    childDiedOn: (r.child_died_on as string | null) ?? null,
    residenceUnitId: r.residence_unit_id as string,
    districtId: r.district_id as string,
    officerId: (r.officer_id as string | null) ?? null,
    riskLevel: r.risk_level as RiskLevel,
    birthDate: (r.birth_date as string | null) ?? null,
    address: (r.address as string | null) ?? null,
    courtName: (r.court_name as string | null) ?? null,
    courtDuties: (r.court_duties as string[] | null) ?? [],
    damagesOutstanding: Boolean(r.damages_outstanding),
    createdAt: (r.created_at as Date).getTime(),
  };
}

/**
 * The client if the user may see it, else a 404: another district's client is "not found" for an
 * officer, so that ids cannot be probed. `forUpdate` locks the row, serialising decisions on a case.
 */
export async function requireClient(db: pg.Pool | pg.PoolClient, id: string, user: SessionUser, forUpdate = false): Promise<ClientRecord> {
  const { rows } = await db.query(`select ${CLIENT_COLUMNS} from clients c where c.id = $1${forUpdate ? ' for update' : ''}`, [id]);
  const r = rows[0];
  const scope = districtScope(user);
  if (!r) throw new Errors.NOT_FOUND(`client ${id}`);
  if (scope && r.district_id !== scope) throw outOfScope(`client ${id}`, `client of district ${String(r.district_id)}, not the user's ${scope}`);
  return rowToClient(r);
}

/** Who acted, as the audit log records it. */
export const actorOf = (user: SessionUser) => ({ id: user.id, username: user.username });
