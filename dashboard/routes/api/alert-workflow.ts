import type pg from 'pg';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALERT_OBLIGATION } from '../../../alerts/alert-catalogue.ts';
import { ALERT_COLUMNS, publishLive, rowToAlert, type AlertRecord } from '../../../alerts/alert-record.ts';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { ALERT_OUTCOMES } from '../../../infra/domain/types.ts';
import { Errors } from '../../errors.ts';
import { districtScope, type SessionUser } from '../../plugins/application/auth.ts';
import { AlertSchema, ErrorBody, findAlert } from './alerts.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const NoteSchema = Type.Object({ id: Type.String(), authorId: Type.String(), author: Type.String(), text: Type.String(), createdAt: Type.Integer() });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const WORKERS = ['operator', 'officer', 'supervisor'] as const;

/**
 * Runs one decision on an alert in a transaction with its audit entry, then announces the changed
 * alert live. The alert is locked first, so two operators acting at once are serialised.
 */
async function decide(
  app: FastifyInstance,
  user: SessionUser,
  id: string,
  action: string,
  reason: string | null,
  change: (client: pg.PoolClient, alert: AlertRecord) => Promise<Record<string, unknown>>,
): Promise<AlertRecord> {
  const visible = await findAlert(app, id, districtScope(user));
  if (!visible) throw new Errors.NOT_FOUND(`alert ${id}`);
  const updated = await inTransaction(app.pg, async (client) => {
    const { rows } = await client.query(`select ${ALERT_COLUMNS} from alerts where id = $1 for update`, [id]);
    const details = await change(client, rowToAlert(rows[0]!));
    await appendAudit(client, { actor: { id: user.id, username: user.username }, action, subjectType: 'alert', subjectId: id, reason, details: { clientId: visible.clientId, ...details } });
    return rowToAlert((await client.query(`select ${ALERT_COLUMNS} from alerts where id = $1`, [id])).rows[0]!);
  });
  await publishLive(app.pg, app.livePublisher, app.queuePrefix, 'alert.updated', updated);
  return updated;
}

const workflowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/alerts/:id/acknowledge',
    {
      preHandler: app.requireUser(...WORKERS),
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an open alert (stops its SLA clock)',
        params: IdParams,
        body: Type.Object({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })) }, { additionalProperties: false }),
        response: { 200: AlertSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { note } = (request.body ?? {}) as { note?: string };
      return decide(app, request.user!, id, 'alert.acknowledge', note ?? null, async (client, alert) => {
        if (alert.status !== 'open') throw new Errors.CONFLICT(`alert ${id} is already ${alert.status}`);
        await client.query(`update alerts set status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2 where id = $1`, [id, request.user!.id]);
        if (note) await client.query('insert into alert_notes (alert_id, author_id, text) values ($1, $2, $3)', [id, request.user!.id, note]);
        return {};
      });
    },
  );

  app.post(
    '/alerts/:id/notes',
    {
      preHandler: app.requireUser(...WORKERS),
      schema: {
        tags: ['alerts'],
        summary: 'Add a note to an alert',
        params: IdParams,
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 200: AlertSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { text } = request.body as { text: string };
      return decide(app, request.user!, id, 'alert.note', text, async (client) => {
        await client.query('insert into alert_notes (alert_id, author_id, text) values ($1, $2, $3)', [id, request.user!.id, text]);
        return {};
      });
    },
  );

  app.get(
    '/alerts/:id/notes',
    {
      preHandler: app.requireUser(),
      schema: { tags: ['alerts'], summary: "An alert's notes, oldest first", params: IdParams, response: { 200: Type.Array(NoteSchema), 401: ErrorBody, 404: ErrorBody } },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      if (!(await findAlert(app, id, districtScope(request.user!)))) throw new Errors.NOT_FOUND(`alert ${id}`);
      const { rows } = await app.pg.query<{ id: string; author_id: string; username: string; text: string; created_at: Date }>(
        `select n.id, n.author_id, u.username, n.text, n.created_at from alert_notes n join users u on u.id = n.author_id where n.alert_id = $1 order by n.created_at, n.id`,
        [id],
      );
      return rows.map((r) => ({ id: r.id, authorId: r.author_id, author: r.username, text: r.text, createdAt: r.created_at.getTime() }));
    },
  );

  app.post(
    '/alerts/:id/resolve',
    {
      preHandler: app.requireUser(...WORKERS),
      schema: {
        tags: ['alerts'],
        summary: 'Resolve an alert with an outcome; a confirmed violation becomes a violation record for the case',
        description: 'The note is required: it is the recorded reason for the decision. Tamper alerts never close on their own, so this is how they end.',
        params: IdParams,
        body: Type.Object({ outcome: Type.Enum(ALERT_OUTCOMES), note: Type.String({ minLength: 3, maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 200: AlertSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { outcome, note } = request.body as { outcome: (typeof ALERT_OUTCOMES)[number]; note: string };
      return decide(app, request.user!, id, 'alert.resolve', note, async (client, alert) => {
        if (alert.status === 'resolved') throw new Errors.CONFLICT(`alert ${id} is already resolved`);
        if (outcome === 'violation_confirmed' && ALERT_OBLIGATION[alert.type] === null) {
          throw new Errors.VALIDATION(`body/outcome: a ${alert.type} alert is a duty of the office, not a violation by the client; resolve it with another outcome`);
        }
        await client.query(
          `update alerts set status = 'resolved', outcome = $2, resolved_at = now(), resolved_by = $3,
                  acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, $3)
            where id = $1`,
          [id, outcome, request.user!.id],
        );
        await client.query('insert into alert_notes (alert_id, author_id, text) values ($1, $2, $3)', [id, request.user!.id, note]);
        if (outcome !== 'violation_confirmed') return { outcome };
        // The platform records the violation; what follows on the legal ladder is proposed to, and
        // decided by, the officer (issue 7).
        // A missed_appearance about the arrival (the deadline watchdog's details.kind = 'arrival') is
        // a failure to arrive within the legal term, not a missed fortnightly appearance.
        const arrival = alert.type === 'missed_appearance' && alert.details.kind === 'arrival';
        let obligation = arrival ? 'arrive_within_term' : ALERT_OBLIGATION[alert.type]!;
        // A zone the office set (not the court) is a requirement of the office: a warning first, never 168(3) by itself.
        if ((alert.type === 'exclusion_entry' || alert.type === 'curfew_breach') && typeof alert.details.ruleId === 'string') {
          const zone = await client.query<{ legal_source: string }>('select legal_source from zones where id::text = $1', [alert.details.ruleId]);
          if (zone.rows[0]?.legal_source === 'office_requirement') obligation = 'office_requirement';
        }
        if (arrival) {
          // Registration may already have recorded the late arrival: the same violation.
          await client.query('select 1 from clients where id = $1 for update', [alert.clientId]);
          const linked = await client.query<{ id: string }>(
            `update violations set alert_id = $2
              where id = (select id from violations where client_id = $1 and obligation = 'arrive_within_term' and alert_id is null order by occurred_at limit 1)
             returning id`,
            [alert.clientId, id],
          );
          if (linked.rows[0]) return { outcome, violationId: linked.rows[0].id, obligation };
        }
        const checkInId = alert.type === 'missed_appearance' ? alert.details.checkInId : undefined;
        if (typeof checkInId === 'string') {
          // The officer may already have recorded this appearance as missed: that is the same
          // violation, so the alert is linked to it instead of counting it twice on the ladder.
          // The check-in row is locked, as the attendance route locks it, so the two serialise.
          await client.query('select 1 from check_ins where id = $1 for update', [checkInId]);
          const linked = await client.query<{ id: string }>(
            `update violations v set alert_id = $2 from check_ins ci
              where ci.id = $1 and ci.violation_id = v.id and v.alert_id is null returning v.id`,
            [checkInId, id],
          );
          if (linked.rows[0]) return { outcome, violationId: linked.rows[0].id, obligation: ALERT_OBLIGATION[alert.type] };
        }
        const v = await client.query<{ id: string }>(
          `insert into violations (client_id, obligation, alert_id, occurred_at, recorded_by) values ($1, $2, $3, to_timestamp($4 / 1000.0), $5) returning id`,
          [alert.clientId, obligation, id, alert.openedAt, request.user!.id],
        );
        return { outcome, violationId: v.rows[0]!.id, obligation };
      });
    },
  );
};

export default workflowRoutes;
