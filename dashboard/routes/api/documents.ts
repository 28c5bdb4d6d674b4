import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { Errors, outOfScope } from '../../errors.ts';
import { districtScope, type SessionUser } from '../../plugins/application/auth.ts';
import { actorOf } from '../../cases/client-record.ts';
import { DocumentMeta, IdParams, errors } from '../../cases/schemas.ts';
import { canonicalEvidence, type SanctionDocumentInput } from '../../documents/index.ts';

const FILES = {
  docx: { column: 'docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  pdf: { column: 'pdf', type: 'application/pdf' },
} as const;

async function findDocument(app: FastifyInstance, id: string, user: SessionUser) {
  const { rows } = await app.pg.query<{
    id: string; kind: string; number: string; client_id: string; decision_id: string; evidence_sha256: string; created_at: Date; created_by: string;
    docx_bytes: number; pdf_bytes: number; district_id: string;
  }>(
    `select d.id, d.kind, d.number, d.client_id, d.decision_id, d.evidence_sha256, d.created_at, d.created_by, octet_length(d.docx) as docx_bytes,
            octet_length(d.pdf) as pdf_bytes, c.district_id
       from documents d join clients c on c.id = d.client_id where d.id = $1`,
    [id],
  );
  const r = rows[0];
  const scope = districtScope(user);
  if (!r) throw new Errors.NOT_FOUND(`document ${id}`);
  if (scope && r.district_id !== scope) throw outOfScope(`document ${id}`, `document of district ${String(r.district_id)}, not the user's ${scope}`);
  return r;
}

const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/documents/:id',
    {
      preHandler: app.requireUser(),
      schema: { tags: ['decisions'], summary: 'Document metadata, with the SHA-256 of its evidence', params: IdParams, response: { 200: DocumentMeta, ...errors } },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const r = await findDocument(app, id, request.user!);
      return {
        id: r.id, kind: r.kind as 'written_warning', number: r.number, clientId: r.client_id, decisionId: r.decision_id, evidenceSha256: r.evidence_sha256,
        createdAt: r.created_at.getTime(), createdBy: r.created_by, docxBytes: r.docx_bytes, pdfBytes: r.pdf_bytes,
      };
    },
  );

  for (const format of ['docx', 'pdf'] as const) {
    app.get(
      `/documents/:id/file.${format}`,
      {
        preHandler: app.requireUser(),
        schema: {
          tags: ['decisions'],
          summary: `The generated document as ${format.toUpperCase()} (an attachment); the download is audited as document.read`,
          params: IdParams,
          produces: [FILES[format].type],
          response: { 200: Type.Unknown(), ...errors },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const meta = await findDocument(app, id, request.user!);
        // The document carries the client's track: reading it is reading personal data.
        const file = await inTransaction(app.pg, async (db) => {
          const { rows } = await db.query<{ file: Buffer }>(`select ${FILES[format].column} as file from documents where id = $1`, [id]);
          await appendAudit(db, { actor: actorOf(request.user!), action: 'document.read', subjectType: 'client', subjectId: meta.client_id, details: { documentId: id, format } });
          return rows[0]!.file;
        });
        return reply
          .type(FILES[format].type)
          .header('content-disposition', `attachment; filename="${encodeURIComponent(meta.number)}.${format}"; filename*=UTF-8''${encodeURIComponent(meta.number)}.${format}`)
          .send(file);
      },
    );
  }

  app.get(
    '/documents/:id/evidence.tsv',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['decisions'],
        summary: 'The evidence export the document\'s SHA-256 covers (docs/documents.md): `sha256sum` of this file equals evidenceSha256; audited as document.read',
        params: IdParams,
        produces: ['text/tab-separated-values'],
        response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const meta = await findDocument(app, id, request.user!);
      const input = await inTransaction(app.pg, async (db) => {
        const { rows } = await db.query<{ input: SanctionDocumentInput }>('select input from documents where id = $1', [id]);
        await appendAudit(db, { actor: actorOf(request.user!), action: 'document.read', subjectType: 'client', subjectId: meta.client_id, details: { documentId: id, format: 'evidence.tsv' } });
        return rows[0]!.input;
      });
      return reply
        .type('text/tab-separated-values; charset=utf-8')
        .header('content-disposition', `attachment; filename="${encodeURIComponent(meta.number)}-evidence.tsv"; filename*=UTF-8''${encodeURIComponent(meta.number)}-evidence.tsv`)
        .send(canonicalEvidence(input.evidence));
    },
  );
};

export default documentRoutes;
