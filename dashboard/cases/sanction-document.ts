import type pg from 'pg';
import { appendAudit } from '../../infra/audit/audit-log.ts';
import { obligationArticles, obligationTextRu } from '../../infra/domain/legal.ts';
import { bishkekDate } from '../../infra/domain/term.ts';
import type { Obligation, ProposalKind } from '../../infra/domain/types.ts';
import type { ProposalReason } from '../../infra/domain/violation-ladder.ts';
import { groundFactsRu } from '../documents/labels-ru.ts';
import { evidenceSha256, renderSanctionDocx, renderSanctionPdf, type SanctionDocumentInput } from '../documents/index.ts';
import { Errors } from '../errors.ts';
import type { SessionUser } from '../plugins/application/auth.ts';
import { actorOf, type ClientRecord } from './client-record.ts';
import { termOf } from './case-history.ts';
import { readTrack } from './track-repository.ts';

const HOUR_MS = 3_600_000;
/**
 * Fixes and events read as evidence at most. The hash covers exactly what is printed, so a period
 * with more is refused (CASE_INCOMPLETE) rather than silently cut: a document never claims a
 * period its hash does not cover. 200,000 fixes is over three weeks at one fix every 10 s.
 */
export const EVIDENCE_LIMIT = 200_000;

/** What the office asks of the court, or warns the client of, per kind (Russian, for the document). */
const REQUEST_RU: Readonly<Record<ProposalKind, string>> = {
  written_warning: 'Предупреждаю Вас о том, что при повторном нарушении условий отбывания наказания (пробационного надзора) орган пробации направит в суд представление в соответствии с законом.',
  court_submission_add_duties: 'Прошу суд дополнить ранее установленные осужденному обязанности.',
  court_submission_revoke: 'Прошу суд рассмотреть вопрос об отмене (замене) меры уголовно-правового воздействия и направлении осужденного для отбывания назначенного наказания.',
  court_submission_early_termination: 'Прошу суд рассмотреть вопрос о досрочной отмене пробационного надзора.',
  court_submission_change_duties: 'Прошу суд полностью или частично отменить ранее установленные обязанности, исполнение которых невозможно по не зависящим от осужденного обстоятельствам.',
  // PEC KR art. 160^4(3): the office states its view; the court chooses among the three outcomes.
  court_submission_deferral_end:
    'В связи с достижением ребенком четырнадцатилетнего возраста (смертью ребенка) прошу суд с учетом поведения осужденного, его отношения к воспитанию ребенка, характера совершенного преступления, отбытого и неотбытого срока наказания рассмотреть вопрос об освобождении осужденного от наказания, о замене наказания более мягким либо о направлении его в места лишения свободы.',
};
const NUMBER_PREFIX: Readonly<Record<ProposalKind, string>> = {
  written_warning: 'ПП',
  court_submission_add_duties: 'ПС',
  court_submission_revoke: 'ПС',
  court_submission_early_termination: 'ПС',
  court_submission_change_duties: 'ПС',
  court_submission_deferral_end: 'ПС',
};
const POSITION_RU: Record<string, string> = {
  officer: 'Инспектор органа пробации',
  supervisor: 'Начальник органа пробации',
  admin: 'Администратор',
  operator: 'Оператор центра мониторинга',
};

/**
 * The document's number: prefix, the office's year (Asia/Bishkek: a decision at 01:00 on 1 January
 * Bishkek time is numbered in the new year, though it is still 31 December in UTC) and the sequence.
 */
export function documentNumber(kind: ProposalKind, decidedAt: number, seq: number | string): string {
  return `${NUMBER_PREFIX[kind]}-${bishkekDate(decidedAt).slice(0, 4)}-${String(seq).padStart(6, '0')}`;
}

export interface DecisionForDocument {
  id: string;
  kind: ProposalKind;
  articles: string[];
  violationIds: string[];
  decidedAt: number;
  /** The officer's reason for the decision: the reason of the evidence read's audit entry. */
  reason?: string;
  /** Why the platform proposed it, when the decision follows the proposal: its facts go into the document. */
  proposalReason?: ProposalReason | null;
}

/**
 * Assembles a document's input from the case (in the decision's transaction): the client and the
 * regime, every violation with its articles and the alert that proved it, the earlier warnings,
 * and as evidence the track and device events around the violations this decision answers.
 */
export async function assembleSanctionDocument(db: pg.PoolClient, c: ClientRecord, decision: DecisionForDocument, user: SessionUser): Promise<SanctionDocumentInput> {
  const units = await db.query<{ id: string; name_ru: string }>('select id, name_ru from admin_units where id = any($1)', [[c.districtId, c.residenceUnitId]]);
  const unitName = (id: string) => units.rows.find((u) => u.id === id)?.name_ru ?? id;
  const violations = await db.query<{ id: string; obligation: Obligation; occurred_at: Date; valid_reason: string | null; description: string | null; alert_id: string | null; alert_type: string | null; closed_at: Date | null }>(
    `select v.id, v.obligation, v.occurred_at, v.valid_reason, v.description, v.alert_id, a.type as alert_type, a.closed_at
       from violations v left join alerts a on a.id = v.alert_id where v.client_id = $1 order by v.occurred_at, v.id`,
    [c.id],
  );
  const warnings = await db.query<{ decided_at: Date; number: string }>(
    `select s.decided_at, d.number from sanction_decisions s join documents d on d.id = s.document_id
      where s.client_id = $1 and s.kind = 'written_warning' and s.accepted order by s.decided_at`,
    [c.id],
  );
  const head = user.role === 'supervisor'
    ? { display_name: user.displayName }
    : (await db.query<{ display_name: string }>(`select display_name from users where role = 'supervisor' and district_id = $1 and disabled_at is null order by username limit 1`, [c.districtId])).rows[0];
  const { rows: [seq] } = await db.query<{ n: string }>(`select nextval('document_number_seq') as n`);

  const answered = violations.rows.filter((v) => decision.violationIds.includes(v.id));
  const from = answered.length ? Math.min(...answered.map((v) => v.occurred_at.getTime())) - HOUR_MS : decision.decidedAt;
  const to = answered.length ? Math.max(...answered.map((v) => (v.closed_at ?? v.occurred_at).getTime())) + HOUR_MS : decision.decidedAt;
  const track = await readTrack(db, c.id, from, to, EVIDENCE_LIMIT);
  if (track.truncated) {
    throw new Errors.CASE_INCOMPLETE(
      `evidence: more than ${EVIDENCE_LIMIT} fixes or events from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}; ` +
        'the document cannot cover the whole period, answer fewer violations (body/violationIds) at a time',
    );
  }
  // Building the document reads the client's track: audited like any other read, in this transaction.
  await appendAudit(db, {
    actor: actorOf(user), action: 'track.read', subjectType: 'client', subjectId: c.id, reason: decision.reason ?? `decision ${decision.id}`,
    details: { from, to, fixes: track.fixes.length, events: track.events.length, decisionId: decision.id, purpose: 'sanction_document' },
  });
  const breached = [...new Set(answered.map((v) => v.obligation))];

  return {
    kind: decision.kind,
    documentNumber: documentNumber(decision.kind, decision.decidedAt, seq!.n),
    issuedAt: decision.decidedAt,
    office: { name: `Орган пробации (${unitName(c.districtId)})`, districtName: unitName(c.districtId) },
    court: decision.kind === 'written_warning' ? null : c.courtName ? { name: c.courtName } : null,
    client: {
      fullName: c.fullName,
      birthDate: c.birthDate,
      address: c.address,
      regime: c.regime,
      courtDecisionDate: c.courtDecisionDate,
      termStart: termOf(c).termStart,
      termMonths: c.termMonths,
      residenceUnitName: unitName(c.residenceUnitId),
    },
    obligationsBreached: breached.map((o) => ({ text: obligationTextRu(o, c.regime), articles: [...obligationArticles(o, c.regime, c.deferralBasis)] })),
    violations: violations.rows.map((v) => ({
      occurredAt: v.occurred_at.getTime(),
      obligation: obligationTextRu(v.obligation, c.regime),
      articles: [...obligationArticles(v.obligation, c.regime, c.deferralBasis)],
      alert: v.alert_id && v.alert_type ? { id: v.alert_id, type: v.alert_type } : null,
      validReason: v.valid_reason,
      description: v.description,
    })),
    warnings: warnings.rows.map((w) => ({ issuedAt: w.decided_at.getTime(), documentNumber: w.number })),
    evidence: {
      fixes: track.fixes.map((f) => ({ at: f.deviceTime, lon: f.lon, lat: f.lat, accuracyM: f.accuracyM, source: f.source })),
      events: track.events.map((e) => ({ at: e.deviceTime, type: e.type, detail: `${e.deviceId} #${e.seq}${Object.keys(e.data).length ? ` ${JSON.stringify(e.data)}` : ''}` })),
      from,
      to,
    },
    legalBasis: [...decision.articles],
    // The elements of the ground: the proposal's facts, or, for a response the platform did not
    // propose, the officer's own written reason.
    grounds: decision.proposalReason ? groundFactsRu(decision.proposalReason) : decision.reason ? [`Основание, указанное сотрудником органа пробации: ${decision.reason}`] : [],
    request: REQUEST_RU[decision.kind],
    officer: { fullName: user.displayName, position: POSITION_RU[user.role] ?? user.role },
    head: head ? { fullName: head.display_name, position: POSITION_RU.supervisor! } : null,
  };
}

/** Renders both files and stores them with the input and its evidence hash; returns the document's id, number and hash. */
export async function issueSanctionDocument(
  db: pg.PoolClient,
  c: ClientRecord,
  decision: DecisionForDocument,
  user: SessionUser,
): Promise<{ id: string; number: string; evidenceSha256: string }> {
  const input = await assembleSanctionDocument(db, c, decision, user);
  const [docx, pdf] = await Promise.all([renderSanctionDocx(input), renderSanctionPdf(input)]);
  const hash = evidenceSha256(input.evidence);
  const { rows } = await db.query<{ id: string }>(
    `insert into documents (kind, number, client_id, decision_id, evidence_sha256, input, docx, pdf, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [input.kind, input.documentNumber, c.id, decision.id, hash, input, docx, pdf, user.id],
  );
  return { id: rows[0]!.id, number: input.documentNumber, evidenceSha256: hash };
}
