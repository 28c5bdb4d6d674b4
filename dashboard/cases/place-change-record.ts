import type pg from 'pg';
import { placeChangeBreachRu, placeChangeStatus, type PlaceChangeFacts } from '../../infra/domain/place-change.ts';
import { bishkekMidnight } from '../../infra/domain/term.ts';
import type { PlaceChangeKind, RegimeKind } from '../../infra/domain/types.ts';
import { Errors } from '../errors.ts';

export interface ChangeRow {
  id: string;
  client_id: string;
  kind: PlaceChangeKind;
  new_place: string;
  consent: 'written_notice' | 'agreement';
  received_on: string | null;
  planned_on: string | null;
  agreed: boolean | null;
  decided_on: string | null;
  decision_reason: string | null;
  changed_on: string | null;
  violation_id: string | null;
  created_at: Date;
}
const d = (c: string) => `to_char(${c}, 'YYYY-MM-DD') as ${c}`;
export const COLUMNS = `id, client_id, kind, new_place, consent, ${d('received_on')}, ${d('planned_on')}, agreed, ${d('decided_on')}, decision_reason, ${d('changed_on')}, violation_id, created_at`;

const factsOf = (r: ChangeRow): PlaceChangeFacts => ({
  kind: r.kind, receivedOn: r.received_on, changedOn: r.changed_on, decision: r.agreed === null ? null : { agreed: r.agreed, decidedOn: r.decided_on! },
});

/** A change as the case file shows it: the facts and where it stands under the regime it was recorded under. */
export function placeChangeView(r: ChangeRow, regime: RegimeKind) {
  const status = placeChangeStatus(regime, factsOf(r));
  return {
    id: r.id, kind: r.kind, newPlace: r.new_place, consent: r.consent, receivedOn: r.received_on, plannedOn: r.planned_on,
    decision: r.agreed === null ? null : { agreed: r.agreed, decidedOn: r.decided_on!, reason: r.decision_reason },
    changedOn: r.changed_on, state: status.state, breach: status.state === 'breach' ? status.breach : null, articles: [...status.articles],
    violationId: r.violation_id, createdAt: r.created_at.getTime(),
  };
}

export async function listPlaceChanges(db: pg.Pool | pg.PoolClient, clientId: string, regime: RegimeKind) {
  const { rows } = await db.query<ChangeRow>(`select ${COLUMNS} from place_changes where client_id = $1 order by created_at, id`, [clientId]);
  return rows.map((r) => placeChangeView(r, regime));
}

/**
 * Records the change as having happened; a breach of the regime's rule becomes a violation of
 * `no_unapproved_move` in the same transaction, with the facts as its description. The ladder
 * then proposes what follows and the officer decides, as for every violation.
 */
export async function recordChanged(db: pg.PoolClient, r: ChangeRow, regime: RegimeKind, changedOn: string, userId: string): Promise<ChangeRow> {
  const facts = { ...factsOf(r), changedOn };
  const status = placeChangeStatus(regime, facts);
  let violationId: string | null = null;
  if (status.state === 'breach') {
    violationId = (await db.query<{ id: string }>(
      `insert into violations (client_id, obligation, occurred_at, description, recorded_by) values ($1, 'no_unapproved_move', to_timestamp($2 / 1000.0), $3, $4) returning id`,
      [r.client_id, bishkekMidnight(changedOn), placeChangeBreachRu(r.kind, status.breach, facts, r.new_place), userId],
    )).rows[0]!.id;
  }
  const { rows } = await db.query<ChangeRow>(`update place_changes set changed_on = $2, violation_id = $3 where id = $1 returning ${COLUMNS}`, [r.id, changedOn, violationId]);
  return rows[0]!;
}

/** The change of this client, locked for a decision. */
export async function requireChange(db: pg.PoolClient, clientId: string, changeId: string): Promise<ChangeRow> {
  const { rows } = await db.query<ChangeRow>(`select ${COLUMNS} from place_changes where id = $1 and client_id = $2 for update`, [changeId, clientId]);
  if (!rows[0]) throw new Errors.NOT_FOUND(`place change ${changeId}`);
  return rows[0];
}

