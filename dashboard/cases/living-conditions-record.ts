import type pg from 'pg';
import { livingConditionsInspectionDuty } from '../../infra/domain/living-conditions.ts';
import type { ClientRecord } from './client-record.ts';
import { termOf } from './case-history.ts';

interface InspectionRow { id: string; inspected_on: string; act_number: string; guardianship_representative: string; findings: string; recorded_at: Date }

/** The 167(2) duty of a client with the acts on file, or null where it does not apply (case file `livingConditions`). */
export async function readLivingConditions(db: pg.Pool | pg.PoolClient, c: ClientRecord) {
  const { rows } = await db.query<InspectionRow>(
    `select id, to_char(inspected_on, 'YYYY-MM-DD') as inspected_on, act_number, guardianship_representative, findings, recorded_at
       from living_conditions_inspections where client_id = $1 order by inspected_on desc, recorded_at desc`,
    [c.id],
  );
  const term = termOf(c);
  const duty = livingConditionsInspectionDuty({ regime: c.regime, birthDate: c.birthDate, termStart: term.termStart, termEnd: term.termEnd, inspectedOn: rows.map((r) => r.inspected_on) });
  // Acts on file stay visible even once the duty has ended (the client turned 18).
  if (!duty && !rows.length) return null;
  return {
    articles: duty ? [...duty.articles] : [],
    nextDueOn: duty?.nextDueOn ?? null,
    endsOn: duty?.endsOn ?? null,
    inspections: rows.map((r) => ({ id: r.id, inspectedOn: r.inspected_on, actNumber: r.act_number, guardianshipRepresentative: r.guardianship_representative, findings: r.findings, recordedAt: r.recorded_at.getTime() })),
  };
}
