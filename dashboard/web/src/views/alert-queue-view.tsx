import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api/http.ts';
import type { Alert, AlertOutcome, AlertStatus, Page, UiConfig, UnitCollection } from '../api/types.ts';
import { unitName } from '../lib/units.ts';
import { Dialog } from '../components/dialog.tsx';
import { SeverityBadge } from '../components/severity-badge.tsx';
import { SlaCountdown } from '../components/sla-countdown.tsx';
import { StatusNote } from '../components/status-note.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { compareAlerts } from '../lib/countdown.ts';
import { useNow } from '../lib/use-async.ts';
import type { AlertStream } from '../live/alert-stream.ts';
import { navigate } from '../router.ts';

const PAGE = 50;
const OUTCOMES: AlertOutcome[] = ['false_alarm', 'valid_reason', 'device_fault', 'violation_confirmed'];
type Filter = 'active' | AlertStatus | 'all';
type Pending = { kind: 'note' | 'resolve'; alert: Alert } | null;

const matches = (a: Alert, f: Filter) => f === 'all' || (f === 'active' ? a.status !== 'resolved' : a.status === f);

/**
 * The monitoring centre's queue: most severe first, paged by the server (keyset cursor, so 100k
 * alerts cost the same as 100), kept current by the live stream, worked from the keyboard.
 */
export function AlertQueueView({ config, stream, units }: { config: UiConfig; stream: AlertStream; units: UnitCollection }) {
  const { t, dateTime, lang } = useI18n();
  const now = useNow();
  const [filter, setFilter] = useState<Filter>('active');
  const [district, setDistrict] = useState('');
  // Live events carry no district: whether a client is in the chosen one is asked once and kept.
  const inDistrict = useRef(new Map<string, Promise<boolean>>());
  const [items, setItems] = useState<Alert[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState(0);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const generation = useRef(0);

  const load = useCallback(async (after: string | null) => {
    const gen = generation.current;
    setLoading(true);
    try {
      const status = filter === 'all' || filter === 'active' ? undefined : filter;
      const page = await api<Page<Alert>>(`/api/alerts${query({ sort: 'severity', limit: PAGE, status, active: filter === 'active' ? 'true' : undefined, districtId: district, cursor: after })}`);
      if (gen !== generation.current) return;
      setItems((prev) => (after ? [...prev, ...page.items.filter((a) => !prev.some((p) => p.id === a.id))] : page.items));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  }, [filter, district]);

  useEffect(() => {
    generation.current++;
    inDistrict.current.clear();
    setItems([]);
    setSelected(0);
    void load(null);
  }, [load]);

  // Live: insert or update in place, in queue order; drop what no longer matches the filter. An
  // alert that sorts after the last loaded row arrives with its page instead.
  useEffect(() => stream.onAlert(async (_event, alert) => {
    if (district) {
      let known = inDistrict.current.get(alert.clientId);
      if (!known) {
        known = api<Page<Alert>>(`/api/alerts${query({ clientId: alert.clientId, districtId: district, limit: 1 })}`).then((p) => p.items.length > 0, () => false);
        inDistrict.current.set(alert.clientId, known);
      }
      if (!(await known)) return;
    }
    setItems((prev) => {
      const rest = prev.filter((a) => a.id !== alert.id);
      if (!matches(alert, filter)) return rest;
      const last = rest[rest.length - 1];
      if (cursor && last && compareAlerts(alert, last) > 0) return rest;
      return [...rest, alert].sort(compareAlerts);
    });
  }), [stream, filter, district, cursor]);
  useEffect(() => stream.onStatus((s) => s === 'live' && void load(null)), [stream, load]);

  // Loads the next page when the end of the list scrolls into view.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!sentinel.current || !cursor) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && !loading && void load(cursor));
    io.observe(sentinel.current);
    return () => io.disconnect();
  }, [cursor, loading, load]);

  const current = items[Math.min(selected, items.length - 1)];
  const replace = (a: Alert) => setItems((prev) => (matches(a, filter) ? prev.map((p) => (p.id === a.id ? a : p)) : prev.filter((p) => p.id !== a.id)));

  const act = async (run: () => Promise<Alert>) => {
    setBusy(true);
    try {
      replace(await run());
      setPending(null);
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const acknowledge = (a: Alert) => act(() => api<Alert>(`/api/alerts/${a.id}/acknowledge`, { method: 'POST', body: {} }));

  // A layout effect, so the listener sees this render's selection and dialog state before the next
  // key press can arrive (a passive effect may run a frame late).
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (pending || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const move = (to: number) => {
        const i = Math.max(0, Math.min(items.length - 1, to));
        setSelected(i);
        rows.current[i]?.focus();
        e.preventDefault();
      };
      if (e.key === 'j') move(selected + 1);
      else if (e.key === 'k') move(selected - 1);
      else if (!current) return;
      else if (e.key === 'a' && current.status === 'open') void acknowledge(current);
      else if (e.key === 'n' && current.status !== 'resolved') setPending({ kind: 'note', alert: current });
      else if (e.key === 'r' && current.status !== 'resolved') setPending({ kind: 'resolve', alert: current });
      else if (e.key === 'Enter' && target.tagName === 'TR') navigate(`clients/${current.clientId}`);
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return (
    <section aria-labelledby="queue-h">
      <div class="toolbar">
        <h1 id="queue-h">{t('queue.heading')}</h1>
        <label>
          {t('queue.filterStatus')}{' '}
          <select value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value as Filter)} name="status">
            {(['active', 'open', 'acknowledged', 'resolved', 'all'] as const).map((s) => <option value={s} key={s}>{t(`status.${s}`)}</option>)}
          </select>
        </label>
        <label>
          {t('client.district')}{' '}
          <select value={district} onChange={(e) => setDistrict((e.target as HTMLSelectElement).value)} name="district">
            <option value="">{t('status.all')}</option>
            {[...units.features].sort((a, b) => unitName(units, a.properties.id, lang).localeCompare(unitName(units, b.properties.id, lang))).map((u) => (
              <option key={u.properties.id} value={u.properties.id}>{unitName(units, u.properties.id, lang)}</option>
            ))}
          </select>
        </label>
        <span class="muted">{t('queue.shown', { count: items.length })}</span>
      </div>
      <p class="muted" id="queue-keys">{t('queue.shortcuts')}</p>
      <StatusNote error={error} what="/api/alerts" />
      <table class="queue" aria-describedby="queue-keys" data-loaded={loading ? 'false' : 'true'}>
        <thead>
          <tr>
            <th scope="col">{t('queue.col.severity')}</th>
            <th scope="col">{t('queue.col.type')}</th>
            <th scope="col">{t('queue.col.client')}</th>
            <th scope="col">{t('queue.col.opened')}</th>
            <th scope="col">{t('queue.col.sla')}</th>
            <th scope="col">{t('queue.col.status')}</th>
            <th scope="col">{t('queue.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a, i) => (
            <tr
              key={a.id}
              ref={(el) => { rows.current[i] = el; }}
              data-alert-id={a.id}
              data-status={a.status}
              class={i === selected ? 'selected' : ''}
              aria-selected={i === selected}
              tabIndex={i === selected ? 0 : -1}
              onClick={() => setSelected(i)}
              onFocus={() => setSelected(i)}
            >
              <td><SeverityBadge severity={a.severity} /></td>
              <td>{t(`alertType.${a.type}`)}{a.escalatedAt ? <span class="tag">{t('queue.escalated')}</span> : null}{a.closedAt ? <span class="tag muted">{t('queue.episodeClosed')}</span> : null}{a.details.late === true ? <span class="tag" title={t('queue.lateData')}>{t('queue.lateData')}</span> : null}</td>
              <td><a href={`#/clients/${a.clientId}`}>{a.deviceId ?? a.clientId.slice(0, 8)}</a></td>
              <td>{dateTime(a.openedAt)}</td>
              <td><SlaCountdown alert={a} config={config} now={now} /></td>
              <td>{t(`status.${a.status}`)}{a.outcome ? ` · ${t(`outcome.${a.outcome as AlertOutcome}`)}` : ''}</td>
              <td class="row-actions">
                {a.status === 'open' ? <button type="button" onClick={() => void acknowledge(a)} disabled={busy}>{t('queue.acknowledge')}</button> : null}
                {a.status !== 'resolved' ? <button type="button" onClick={() => setPending({ kind: 'note', alert: a })}>{t('queue.note')}</button> : null}
                {a.status !== 'resolved' ? <button type="button" onClick={() => setPending({ kind: 'resolve', alert: a })}>{t('queue.resolve')}</button> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && !items.length && !error ? <p class="note">{t('queue.empty')}</p> : null}
      <div ref={sentinel} />
      {cursor ? <button type="button" onClick={() => void load(cursor)} disabled={loading}>{t('common.loadMore')}</button> : null}
      {loading ? <StatusNote loading what="" /> : null}
      {pending?.kind === 'note' ? <NoteDialog alert={pending.alert} busy={busy} onClose={() => setPending(null)} onSave={(text) => act(() => api<Alert>(`/api/alerts/${pending.alert.id}/notes`, { method: 'POST', body: { text } }))} /> : null}
      {pending?.kind === 'resolve' ? (
        <ResolveDialog alert={pending.alert} busy={busy} onClose={() => setPending(null)} onSave={(outcome, note) => act(() => api<Alert>(`/api/alerts/${pending.alert.id}/resolve`, { method: 'POST', body: { outcome, note } }))} />
      ) : null}
    </section>
  );
}

function NoteDialog({ alert, busy, onClose, onSave }: { alert: Alert; busy: boolean; onClose(): void; onSave(text: string): void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  return (
    <Dialog title={t('dialog.noteTitle')} onClose={onClose} onSubmit={() => text.trim() && onSave(text.trim())} submitLabel={t('common.save')} busy={busy}>
      <p>{t(`alertType.${alert.type}`)}</p>
      <label>{t('dialog.noteText')}<textarea name="note" required maxLength={4000} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} autoFocus /></label>
    </Dialog>
  );
}

function ResolveDialog({ alert, busy, onClose, onSave }: { alert: Alert; busy: boolean; onClose(): void; onSave(outcome: AlertOutcome, note: string): void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<AlertOutcome>('false_alarm');
  const [note, setNote] = useState('');
  return (
    <Dialog title={t('dialog.resolveTitle')} onClose={onClose} onSubmit={() => note.trim().length >= 3 && onSave(outcome, note.trim())} submitLabel={t('queue.resolve')} busy={busy}>
      <p>{t(`alertType.${alert.type}`)}</p>
      <label>{t('dialog.outcome')}
        <select name="outcome" value={outcome} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value as AlertOutcome)} autoFocus>
          {OUTCOMES.map((o) => <option value={o} key={o}>{t(`outcome.${o}`)}</option>)}
        </select>
      </label>
      <label>{t('dialog.reasonRequired')}<textarea name="note" required minLength={3} maxLength={4000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} /></label>
    </Dialog>
  );
}
