import { useState } from 'preact/hooks';
import { api, query } from '../api/http.ts';
import type { ClientList, DecisionResult, Proposal, Proposals, Violation } from '../api/case-types.ts';
import { StatusNote } from '../components/status-note.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';

type Chosen = { clientId: string; name: string } | null;

/** The document an accepted sanction issued, from whichever shape the decision response has. */
const documentIdOf = (r: DecisionResult): string | null => r.document?.id ?? null;

/**
 * Violations and what the platform proposes next on the ladder (PEC KR arts. 64, 160^4, 168): the
 * officer records a decision, and an accepted sanction issues the warning or court submission,
 * downloadable as DOCX and PDF.
 */
export function ViolationsView({ clientId }: { clientId?: string | undefined }) {
  const { t, dateTime } = useI18n();
  const list = useAsync((signal) => api<{ items: Violation[] }>(`/api/violations${query({ clientId })}`, { signal }), [clientId]);
  // Violations name clients by id; the caseload (at most 200 per officer page) gives the names.
  const clients = useAsync((signal) => api<ClientList>('/api/clients?limit=200', { signal }), []);
  const nameOf = (id: string) => clients.data?.items.find((c) => c.id === id)?.fullName ?? id.slice(0, 8);
  const [chosen, setChosen] = useState<Chosen>(null);
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="violations-h">
      <h1 id="violations-h">{t('violations.heading')}</h1>
      <p class="muted">{t('violations.platformProposes')}</p>
      <StatusNote loading={list.loading} error={list.error} what="/api/violations" />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('violations.col.client')}</th>
            <th scope="col">{t('violations.col.occurred')}</th>
            <th scope="col">{t('violations.col.obligation')}</th>
            <th scope="col">{t('violations.col.articles')}</th>
            <th scope="col">{t('violations.col.validReason')}</th>
            <th scope="col">{t('travel.col.status')}</th>
            <th scope="col">{t('queue.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((v) => (
            <tr key={v.id} data-violation-id={v.id}>
              <td><a href={`#/clients/${v.clientId}`}>{nameOf(v.clientId)}</a></td>
              <td>{dateTime(v.occurredAt)}</td>
              <td>{t(`obligation.${v.obligation}` as 'obligation.no_country_exit')}</td>
              <td>{v.articles.join('; ')}</td>
              <td>{v.validReason ?? t('common.none')}</td>
              <td>{t(`violationStatus.${v.status}`)}</td>
              <td><button type="button" onClick={() => setChosen({ clientId: v.clientId, name: nameOf(v.clientId) })}>{t('violations.why')} →</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && !items.length ? <p class="note">{t('violations.empty')}</p> : null}
      {chosen ? <ProposalList key={chosen.clientId} clientId={chosen.clientId} name={chosen.name} /> : null}
    </section>
  );
}

function ProposalList({ clientId, name }: { clientId: string; name: string }) {
  const { t } = useI18n();
  const proposals = useAsync((signal) => api<Proposals>(`/api/clients/${clientId}/proposals`, { signal }), [clientId]);
  const items = proposals.data?.items ?? [];
  return (
    <section aria-labelledby="proposals-h" class="panel">
      <h2 id="proposals-h">{t('violations.proposals', { name })}</h2>
      <StatusNote loading={proposals.loading} error={proposals.error} what={`/api/clients/${clientId}/proposals`} />
      {proposals.data && !items.length ? <p class="note">{t('violations.noProposals')}</p> : null}
      {items.map((p) => <ProposalCard key={p.kind} clientId={clientId} proposal={p} />)}
    </section>
  );
}

function ProposalCard({ clientId, proposal }: { clientId: string; proposal: Proposal }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<{ documentId: string | null } | null>(null);
  const decide = async (accept: boolean) => {
    if (reason.trim().length < 3) return;
    setBusy(true);
    try {
      const r = await api<DecisionResult>(`/api/clients/${clientId}/decisions`, { method: 'POST', body: { kind: proposal.kind, accept, reason: reason.trim(), violationIds: proposal.violationIds } });
      setDone({ documentId: documentIdOf(r) });
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article class="proposal" data-proposal-kind={proposal.kind}>
      <h3>{t(`kind.${proposal.kind}` as 'kind.written_warning')}</h3>
      <p><strong>{t('violations.col.articles')}:</strong> {proposal.articles.join('; ')}</p>
      <p><strong>{t('violations.why')}:</strong> {t(`reason.${proposal.reason.code}` as 'reason.no_warning_yet', proposal.reason.params)}</p>
      {done ? (
        <div role="status">
          <p>{t('violations.decided')}</p>
          {done.documentId ? (
            <p class="downloads">
              <a class="button primary" href={`/api/documents/${done.documentId}/file.docx`} download>{t('violations.downloadDocx')}</a>{' '}
              <a class="button" href={`/api/documents/${done.documentId}/file.pdf`} download>{t('violations.downloadPdf')}</a>
            </p>
          ) : null}
        </div>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); void decide(true); }}>
          <label>{t('violations.decisionReason')}<textarea name="reason" required minLength={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} /></label>
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>{t('violations.accept')}</button>
            <button type="button" disabled={busy} onClick={() => void decide(false)}>{t('violations.reject')}</button>
          </div>
        </form>
      )}
      <StatusNote error={error} what="/api/clients/:id/decisions" />
    </article>
  );
}

