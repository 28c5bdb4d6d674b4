import type { FeatureCollection, Geometry } from 'geojson';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api/http.ts';
import { TRAVEL_STATUSES, type Permit, type TravelRequest, type TravelStatus } from '../api/case-types.ts';
import type { UiConfig, UnitCollection } from '../api/types.ts';
import { Dialog } from '../components/dialog.tsx';
import { StatusNote } from '../components/status-note.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { clock } from '../lib/countdown.ts';
import { bounds, geometryPoints } from '../lib/track.ts';
import { useAsync, useNow } from '../lib/use-async.ts';
import { permitAreas } from '../map/permit-areas.ts';
import { TrackMap } from '../map/track-map.ts';
import { webglAvailable } from '../map/setup-maplibre.ts';
import { unitName } from '../lib/units.ts';
import type { AlertStream } from '../live/alert-stream.ts';

type Decision = { request: TravelRequest; decision: 'approve' | 'deny' } | null;

/**
 * The officer's travel-request inbox: each request with the time left of its 24 hours, approve or
 * deny with a reason, and the permit an approval creates shown on the map.
 */
export function TravelView({ config, units, stream }: { config: UiConfig; units: UnitCollection; stream: AlertStream }) {
  const { t, dateTime, date, lang } = useI18n();
  const now = useNow();
  const [status, setStatus] = useState<TravelStatus>('pending');
  const list = useAsync((signal) => api<{ items: TravelRequest[] }>(`/api/travel-requests${query({ status })}`, { signal }), [status]);
  // The deadline watchdog's warnings re-read the inbox, so the state shown is the server's.
  useEffect(() => stream.onTravelRequest(() => list.reload()), [stream, list.reload]);
  const [deciding, setDeciding] = useState<Decision>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [shownPermit, setShownPermit] = useState<Permit | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<TrackMap | null>(null);
  const [mapReady, setMapReady] = useState(false);

  useEffect(() => {
    if (!container.current || !webglAvailable()) return;
    const m = new TrackMap(container.current, config, units);
    mapRef.current = m;
    void m.whenLoaded().then(() => setMapReady(true));
    return () => m.destroy();
  }, [config, units]);

  useEffect(() => {
    const m = mapRef.current;
    if (!m || !shownPermit) return;
    const areas = permitAreas([shownPermit], units, 0) as FeatureCollection<Geometry, { kind: string; label: string }>;
    void m.setAreas(areas);
    const pts = areas.features.flatMap((f) => geometryPoints(f.geometry));
    const b = bounds(pts);
    if (b) void m.fit(b);
  }, [shownPermit, mapReady, units]);

  const showPermitOf = async (r: TravelRequest) => {
    const { items } = await api<{ items: Permit[] }>(`/api/permits${query({ clientId: r.clientId })}`);
    setShownPermit(items.find((p) => p.id === r.permitId) ?? null);
  };

  const decide = async () => {
    if (!deciding || reason.trim().length < 3) return;
    setBusy(true);
    try {
      const updated = await api<TravelRequest>(`/api/travel-requests/${deciding.request.id}/decision`, { method: 'POST', body: { decision: deciding.decision, reason: reason.trim() } });
      setDeciding(null);
      setReason('');
      setError(undefined);
      list.reload();
      if (updated?.permitId) await showPermitOf({ ...deciding.request, ...updated });
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="travel-h">
      <div class="toolbar">
        <h1 id="travel-h">{t('travel.heading')}</h1>
        <label>{t('travel.col.status')}{' '}
          <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as TravelStatus)}>
            {TRAVEL_STATUSES.map((s) => <option key={s} value={s}>{t(`travel.status.${s}`)}</option>)}
          </select>
        </label>
      </div>
      <StatusNote loading={list.loading} error={list.error ?? error} what="/api/travel-requests" />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('travel.col.client')}</th>
            <th scope="col">{t('travel.col.category')}</th>
            <th scope="col">{t('travel.col.destination')}</th>
            <th scope="col">{t('travel.col.dates')}</th>
            <th scope="col">{t('travel.col.reason')}</th>
            <th scope="col">{t('travel.col.decideBy')}</th>
            <th scope="col">{t('queue.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((r) => (
            <tr key={r.id} data-request-id={r.id}>
              <td><a href={`#/clients/${r.clientId}`}>{r.clientName}</a></td>
              <td>{t(`category.${r.category}` as 'category.study')}</td>
              <td>{r.destinationUnitIds.map((u) => unitName(units, u, lang)).join(', ')}</td>
              <td>{date(r.departAt)} — {date(r.returnAt)}</td>
              <td>{r.reason}</td>
              <td>
                {r.decideBy === null ? <span class="muted">{t('travel.noLimit')}</span> : dateTime(r.decideBy)}<br />
                {(r.status === 'pending' || r.status === 'expired') && r.decideBy !== null
                  ? <span class={`sla ${r.decideBy < now ? 'sla-breached' : r.decideBy - now < 3_600_000 ? 'sla-soon' : ''}`}>{r.decideBy >= now ? t('travel.left', { time: clock(r.decideBy - now) }) : t('travel.overdue', { time: clock(now - r.decideBy) })}</span>
                  : <span>{t(`travel.status.${r.status}`)}</span>}
              </td>
              <td class="row-actions">
                {r.status === 'pending' || r.status === 'expired' ? (
                  <>
                    <button type="button" class="primary" onClick={() => setDeciding({ request: r, decision: 'approve' })}>{t('travel.approve')}</button>
                    <button type="button" onClick={() => setDeciding({ request: r, decision: 'deny' })}>{t('travel.deny')}</button>
                  </>
                ) : r.permitId ? <button type="button" onClick={() => void showPermitOf(r)}>{t('travel.permitOnMap')}</button> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && !list.data.items.length ? <p class="note">{t('travel.empty')}</p> : null}
      {shownPermit ? <p role="status" data-testid="permit-shown">{t('travel.permitOnMap')}: {shownPermit.destinationUnitIds.map((u) => unitName(units, u, lang)).join(', ')} · {dateTime(shownPermit.validFrom)} — {dateTime(shownPermit.validUntil)}</p> : null}
      <div ref={container} class="map map-small" role="region" aria-label={t('travel.permitOnMap')} data-map-ready={mapReady ? 'true' : 'false'} />
      {deciding ? (
        <Dialog title={`${deciding.decision === 'approve' ? t('travel.approve') : t('travel.deny')}: ${deciding.request.clientName}`} onClose={() => setDeciding(null)} onSubmit={() => void decide()} submitLabel={deciding.decision === 'approve' ? t('travel.approve') : t('travel.deny')} busy={busy}>
          <label>{t('travel.decisionReason')}<textarea name="reason" required minLength={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} autoFocus /></label>
        </Dialog>
      ) : null}
    </section>
  );
}

