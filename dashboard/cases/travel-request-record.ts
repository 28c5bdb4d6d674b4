import type pg from 'pg';
import { TRAVEL_CATEGORY_ARTICLES, travelDeadlineState } from '../../infra/domain/travel-request.ts';
import type { PermitCategory, RegimeKind, TravelRequestStatus } from '../../infra/domain/types.ts';

export const TRAVEL_REQUEST_COLUMNS = `t.id, t.client_id, c.full_name as client_name, c.regime, c.district_id, t.category, t.relation, t.circumstance, t.destination_unit_ids, t.route,
  t.depart_at, t.return_at, t.travel_days, t.reason, t.submitted_at, t.decide_by, t.status, t.decided_at, t.decision_reason, t.permit_id,
  t.deadline_warned_at, t.deadline_breached_at, t.study_registration_office`;

const ms = (d: Date | null) => (d ? d.getTime() : null);

/**
 * A request as the API shows it. A pending request past its 24-hour deadline shows as 'expired'
 * (it can still be decided; the breach stays on record). A category with no decision limit (all
 * but the exceptional trip, see permitCategoryRule) has no deadline: 'none', never expired.
 */
export function rowToTravelRequest(r: Record<string, unknown>, now: number) {
  const decideBy = ms(r.decide_by as Date | null);
  const stored = r.status as 'pending' | 'approved' | 'denied';
  const decidedAt = ms(r.decided_at as Date | null);
  const status: TravelRequestStatus = stored === 'pending' && decideBy !== null && now > decideBy ? 'expired' : stored;
  const deadline = decideBy === null ? 'none' : decidedAt !== null ? (decidedAt <= decideBy ? 'met' : 'breached') : travelDeadlineState(decideBy, now);
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    clientName: r.client_name as string,
    category: r.category as PermitCategory,
    relation: (r.relation as string | null) ?? null,
    circumstance: (r.circumstance as string | null) ?? null,
    destinationUnitIds: r.destination_unit_ids as string[],
    route: (r.route as { path: [number, number][]; halfWidthM: number } | null) ?? null,
    departAt: (r.depart_at as Date).getTime(),
    returnAt: (r.return_at as Date).getTime(),
    travelDays: r.travel_days as number,
    reason: r.reason as string,
    submittedAt: (r.submitted_at as Date).getTime(),
    decideBy,
    status,
    deadline: deadline as 'ok' | 'due_soon' | 'breached' | 'met' | 'none',
    decidedAt,
    decisionReason: (r.decision_reason as string | null) ?? null,
    permitId: (r.permit_id as string | null) ?? null,
    deadlineWarnedAt: ms(r.deadline_warned_at as Date | null),
    deadlineBreachedAt: ms(r.deadline_breached_at as Date | null),
    studyRegistrationOffice: (r.study_registration_office as string | null) ?? null,
    articles: [...TRAVEL_CATEGORY_ARTICLES[r.category as PermitCategory][r.regime as RegimeKind]],
  };
}

export async function findTravelRequest(db: pg.Pool | pg.PoolClient, id: string, forUpdate = false) {
  const { rows } = await db.query(
    `select ${TRAVEL_REQUEST_COLUMNS} from travel_requests t join clients c on c.id = t.client_id where t.id = $1${forUpdate ? ' for update of t' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}
