import type { Map as MapLibreMap } from 'maplibre-gl';
import { useState } from 'preact/hooks';
import { api } from '../../api/http.ts';
import { Dialog } from '../../components/dialog.tsx';
import { FormStatus } from '../../components/form-status.tsx';
import { StatusNote } from '../../components/status-note.tsx';
import { useI18n, type Translate } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ru.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { WeeklySchedule, ZoneList, ZoneRecord } from './zone-draft.ts';
import { ZoneEditor } from './zone-editor.tsx';
import { ZoneImportDialog } from './zone-import.tsx';
import './zones.css';

function scheduleText(s: WeeklySchedule | null, t: Translate): string {
  if (!s) return t('zones.alwaysShort');
  return s.windows.map((w) => `${w.days.map((d) => t(`zones.day.${d}` as MessageKey)).join(', ')} ${w.start}–${w.end}`).join('; ');
}

/**
 * The client's exclusion and curfew-home zones: listed with their schedule and legal basis, drawn
 * and changed on the client's map, removed with a reason, and imported or exported as KML or
 * GeoJSON. Operators, officers and supervisors may change them (the server says whether this user
 * may, and checks it again on every write).
 */
export function ZonesPanel({ clientId, map, onChanged }: { clientId: string; map: MapLibreMap | null; onChanged(): void }) {
  const { t } = useI18n();
  const list = useAsync((signal) => api<ZoneList>(`/api/clients/${clientId}/zones`, { signal }), [clientId]);
  // undefined: not editing; null: drawing a new zone.
  const [editing, setEditing] = useState<ZoneRecord | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<ZoneRecord | null>(null);
  const [importing, setImporting] = useState(false);
  const [done, setDone] = useState<string>();
  const changed = (message: string) => {
    setDone(message);
    setEditing(undefined);
    setDeleting(null);
    setImporting(false);
    list.reload();
    onChanged();
  };
  const canEdit = list.data?.canEdit ?? false;

  return (
    <section class="zones-panel" aria-labelledby="zones-h">
      <h2 id="zones-h">{t('zones.heading')}</h2>
      <StatusNote loading={list.loading && !list.data} error={list.error} what={`/api/clients/${clientId}/zones`} />
      <div class="toolbar">
        {canEdit ? <button type="button" class="primary" disabled={editing !== undefined} onClick={() => { setDone(undefined); setEditing(null); }}>{t('zones.add')}</button> : null}
        {canEdit ? <button type="button" onClick={() => { setDone(undefined); setImporting(true); }}>{t('zones.import')}</button> : null}
        <a class="button" href={`/api/clients/${clientId}/zones.kml`} download={`zones-${clientId}.kml`}>{t('zones.exportKml')}</a>
        <a class="button" href={`/api/clients/${clientId}/zones.geojson`} download={`zones-${clientId}.geojson`}>{t('zones.exportGeojson')}</a>
      </div>
      {done ? <FormStatus success={done} /> : null}
      {list.data ? (
        list.data.zones.length ? (
          <ul class="zone-list">
            {list.data.zones.map((z) => (
              <li key={z.id} data-zone-id={z.id} class={editing?.id === z.id ? 'selected' : undefined}>
                <strong>{z.label}</strong> · {t(`zones.kindShort.${z.kind}`)} · {scheduleText(z.schedule, t)}
                <div class="muted">{t(`zones.legalSource.${z.legalSource}`)}{z.legalBasis ? `: ${z.legalBasis}` : ''}</div>
                {canEdit ? (
                  <div class="row-actions">
                    <button type="button" class="link" disabled={editing !== undefined} onClick={() => { setDone(undefined); setEditing(z); }}>{t('zones.edit')}</button>
                    <button type="button" class="link" disabled={editing !== undefined} onClick={() => { setDone(undefined); setDeleting(z); }}>{t('zones.delete')}</button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        ) : <p class="muted">{t('zones.none')}</p>
      ) : null}
      {editing !== undefined ? (
        <ZoneEditor key={editing?.id ?? 'new'} clientId={clientId} zone={editing} map={map}
          onSaved={(label) => changed(t('zones.saved', { label }))} onCancel={() => setEditing(undefined)} />
      ) : null}
      {deleting ? <DeleteZoneDialog clientId={clientId} zone={deleting} onClose={() => setDeleting(null)} onDone={changed} /> : null}
      {importing ? <ZoneImportDialog clientId={clientId} onClose={() => setImporting(false)} onDone={changed} /> : null}
    </section>
  );
}

function DeleteZoneDialog({ clientId, zone, onClose, onDone }: { clientId: string; zone: ZoneRecord; onClose(): void; onDone(message: string): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await api(`/api/clients/${clientId}/zones/${zone.id}`, { method: 'DELETE', body: { reason: reason.trim() } });
      onDone(t('zones.deleted', { label: zone.label }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('zones.deleteTitle', { label: zone.label })} onClose={onClose} onSubmit={() => void submit()} submitLabel={t('zones.delete')} busy={busy}>
      <label>{t('zones.reason')}<textarea name="reason" required minLength={3} maxLength={2000} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} /></label>
      <FormStatus error={error} labels={{ reason: t('zones.reason') }} />
    </Dialog>
  );
}
