import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, query } from '../api/http.ts';
import type { CaseFile, ClientList, Track, ZoneInfo } from '../api/case-types.ts';
import type { UiConfig, UnitCollection } from '../api/types.ts';
import { CaseTerm } from '../components/case-term.tsx';
import { DeviceHealthView } from '../components/device-health.tsx';
import { StatusNote } from '../components/status-note.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { unitName } from '../lib/units.ts';
import { bounds, circlePolygon, findGaps, gapThreshold, geometryPoints } from '../lib/track.ts';
import { KGZ_BOUNDS } from '../map/base-style.ts';
import { useAsync } from '../lib/use-async.ts';
import { permitAreas } from '../map/permit-areas.ts';
import { TrackMap } from '../map/track-map.ts';
import { webglAvailable } from '../map/setup-maplibre.ts';
import { ZonesPanel } from './client/zones-panel.tsx';
import { CurfewPanel } from './client/curfew-panel.tsx';

type Area = Feature<Geometry, { kind: string; label: string }>;

function zoneArea(z: ZoneInfo): Area | null {
  const s = z.shape as { type?: string; geometry?: Geometry; center?: [number, number]; radiusM?: number };
  const props = { kind: z.kind, label: z.label };
  if (s.type === 'polygon' && s.geometry) return { type: 'Feature', properties: props, geometry: s.geometry };
  if (s.type === 'circle' && s.center && s.radiusM) return { type: 'Feature', properties: props, geometry: circlePolygon(s.center[0], s.center[1], s.radiusM, 48) };
  return null;
}

const toLocalInput = (ms: number) => new Date(ms - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/**
 * A client's drill-down: the case file, device health, and the track played back over a time
 * slider with accuracy circles and gaps. Reading the track needs a reason: it is personal data,
 * and the server writes the read to the audit log.
 */
export function ClientView({ id, config, units }: { id: string; config: UiConfig; units: UnitCollection }) {
  const { t, dateTime, calendarDate, lang } = useI18n();
  const file = useAsync((signal) => api<CaseFile>(`/api/clients/${id}`, { signal }), [id]);
  // The caseload summary adds what the case file leaves out: strap state, last fix, next check-in, open alerts.
  const summary = useAsync(async (signal) => {
    if (!file.data) return null;
    const list = await api<ClientList>(`/api/clients${query({ q: file.data.client.fullName, limit: 200 })}`, { signal });
    return list.items.find((c) => c.id === id) ?? null;
  }, [id, file.data]);
  const [track, setTrack] = useState<Track | null>(null);
  const [trackError, setTrackError] = useState<Error>();
  const [reason, setReason] = useState('');
  const [from, setFrom] = useState(() => toLocalInput(Date.now() - 24 * 3_600_000));
  const [to, setTo] = useState(() => toLocalInput(Date.now() + 60_000));
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<TrackMap | null>(null);
  const [mapReady, setMapReady] = useState(false);

  const fixes = track?.fixes ?? [];
  const interval = file.data?.device?.reportIntervalS;
  // A gap is what the silence watchdog would call silence: three reporting intervals.
  const gaps = useMemo(() => findGaps(fixes, interval ? Math.max(3 * interval * 1000, 60_000) : gapThreshold(fixes)), [fixes, interval]);

  useEffect(() => {
    if (!container.current || !webglAvailable()) return;
    const m = new TrackMap(container.current, config, units);
    mapRef.current = m;
    void m.whenLoaded().then(() => setMapReady(true));
    return () => {
      m.destroy();
      mapRef.current = null;
    };
  }, [config, units]);

  useEffect(() => {
    const m = mapRef.current;
    const data = file.data;
    if (!m || !data) return;
    const zones = data.zones.map(zoneArea).filter((z): z is Area => z !== null);
    const permits = permitAreas(data.permits, units, 0).features;
    const areas: FeatureCollection<Geometry, { kind: string; label: string }> = { type: 'FeatureCollection', features: [...zones, ...permits] };
    void m.setAreas(areas);
  }, [file.data, units, mapReady]);

  // Frames the track once there is one, else the client's last position, else their district.
  useEffect(() => {
    const m = mapRef.current;
    const data = file.data;
    if (!m || !data) return;
    const home = units.features.find((f) => f.properties.id === data.client.residenceUnitId);
    const last = summary.data?.lastFix;
    const trackBounds = bounds(fixes);
    if (trackBounds) void m.fit(trackBounds);
    else if (last) void m.fit([[last.lon - 0.05, last.lat - 0.03], [last.lon + 0.05, last.lat + 0.03]]);
    else if (home) void m.fit(bounds(geometryPoints(home.geometry)) ?? KGZ_BOUNDS);
  }, [file.data, summary.data, fixes, units, mapReady]);

  useEffect(() => {
    const m = mapRef.current;
    if (!m || !fixes.length) return;
    void m.setTrack(fixes, gaps, Math.min(index, fixes.length - 1));
  }, [fixes, gaps, index, mapReady]);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setIndex((i) => {
      if (i >= fixes.length - 1) {
        setPlaying(false);
        return i;
      }
      return i + 1;
    }), 250);
    return () => clearInterval(timer);
  }, [playing, fixes.length]);

  const loadTrack = async () => {
    try {
      const r = await api<Track>(`/api/clients/${id}/track${query({ from: new Date(from).getTime(), to: new Date(to).getTime(), reason })}`);
      setTrack(r);
      setIndex(Math.max(0, r.fixes.length - 1));
      setTrackError(undefined);
    } catch (e) {
      setTrackError(e as Error);
    }
  };

  const c = file.data?.client;
  const current = fixes[Math.min(index, fixes.length - 1)];
  return (
    <section aria-labelledby="client-h" class="client-view">
      <h1 id="client-h">{t('client.heading')}{c ? `: ${c.fullName}` : ''}</h1>
      <StatusNote loading={file.loading} error={file.error} what={`/api/clients/${id}`} />
      <div class="columns">
        <div>
          {c ? (
            <>
            <dl class="facts">
              <dt>{t('client.regime')}</dt><dd>{t(`regime.${c.regime}` as 'regime.parole')}</dd>
              <dt>{t('client.district')}</dt><dd>{unitName(units, c.districtId, lang)}</dd>
              <dt>{t('client.risk')}</dt><dd>{t(`risk.${c.riskLevel}` as 'risk.low')}</dd>
              <dt>{t('client.officer')}</dt><dd>{c.officer?.name ?? t('common.none')}</dd>
              <dt>{t('client.nextCheckIn')}</dt><dd>{summary.data?.nextCheckInAt ? calendarDate(summary.data.nextCheckInAt) : t('common.none')}</dd>
              <dt>{t('client.openAlerts')}</dt><dd>{summary.data ? <a href="#/queue">{summary.data.openAlerts}</a> : t('common.none')}</dd>
            </dl>
            {file.data ? <CaseTerm file={file.data} /> : null}
            <DeviceHealthView deviceId={file.data?.device?.id ?? null} health={file.data?.device ? { ...file.data.device, strap: summary.data?.device?.strap ?? null } : null} />
            {file.data?.obligations.length ? (
              <>
                <h2>{t('client.obligations')}</h2>
                <ul>{file.data.obligations.map((o, i) => <li key={i}>{o.text} {o.articles.length ? <span class="muted">({o.articles.join('; ')})</span> : null}</li>)}</ul>
              </>
            ) : null}
            {file.data?.placeChanges.length ? (
              <>
                <h2>{t('client.placeChanges')}</h2>
                <ul class="place-changes">{file.data.placeChanges.map((ch) => (
                  <li key={ch.id} class={ch.state === 'breach' ? 'breach' : undefined}>
                    {t(`placeKind.${ch.kind}` as 'placeKind.work')}: {ch.newPlace} · {t(`placeState.${ch.state}` as 'placeState.changed')}
                    {ch.changedOn ? ` · ${calendarDate(ch.changedOn)}` : ''} <span class="muted">({ch.articles.join('; ')})</span>
                  </li>
                ))}</ul>
              </>
            ) : null}
            {file.data?.livingConditions ? (
              <>
                <h2>{t('client.livingConditions')}</h2>
                <p>{file.data.livingConditions.nextDueOn ? t('client.nextInspection', { date: calendarDate(file.data.livingConditions.nextDueOn) }) : t('client.inspectionDone')} <span class="muted">({file.data.livingConditions.articles.join('; ')})</span></p>
                <ul>{file.data.livingConditions.inspections.map((i) => <li key={i.id}>{calendarDate(i.inspectedOn)} · {i.actNumber} · {i.guardianshipRepresentative}</li>)}</ul>
              </>
            ) : null}
            <CurfewPanel clientId={id} config={config} units={units} onChanged={file.reload} />
            </>
          ) : null}
        </div>
        <div>
          {c ? (
            <>
            <h2>{t('client.track')}</h2>
            <form class="track-form" onSubmit={(e) => { e.preventDefault(); void loadTrack(); }}>
              <label>{t('common.from')} <input type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
              <label>{t('common.to')} <input type="datetime-local" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
              <label class="wide">{t('client.trackReason')} <input name="reason" required minLength={3} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} /></label>
              <button type="submit" class="primary">{t('client.showTrack')}</button>
            </form>
            <StatusNote error={trackError} what="/api/clients/:id/track" />
            {track && !fixes.length ? <p class="note">{t('client.trackEmpty')}</p> : null}
            {current ? (
              <div class="playback">
                <button type="button" onClick={() => { if (index >= fixes.length - 1) setIndex(0); setPlaying(!playing); }}>{playing ? t('client.pause') : t('client.play')}</button>
                <label class="wide">{t('client.playback')}
                  <input type="range" min={0} max={fixes.length - 1} value={index} onInput={(e) => { setPlaying(false); setIndex(Number((e.target as HTMLInputElement).value)); }} aria-valuetext={dateTime(current.deviceTime)} />
                </label>
                <p role="status">{t('client.fix', { n: index + 1, total: fixes.length, time: dateTime(current.deviceTime), acc: Math.round(current.accuracyM), src: current.source })}</p>
                <p class="muted" data-testid="track-devices">{t('client.trackDevices', { devices: [...new Set(fixes.map((f) => f.deviceId))].join(' → ') })}</p>
                <details open={gaps.length > 0}>
                  <summary>{t('client.gaps', { count: gaps.length })}</summary>
                  <ul>{gaps.map((g) => <li key={g.index}><button type="button" class="link" onClick={() => setIndex(g.index)}>{t('client.gap', { from: dateTime(g.from), to: dateTime(g.to), minutes: Math.round((g.to - g.from) / 60_000) })}</button></li>)}</ul>
                </details>
                {track?.events.length ? (
                  <details>
                    <summary>{t('client.events')}: {track.events.length}</summary>
                    <ul>{track.events.map((e) => <li key={`${e.deviceId}:${e.seq}:${e.deviceTime}`}>{dateTime(e.deviceTime)} · {e.type}</li>)}</ul>
                  </details>
                ) : null}
              </div>
            ) : null}
            </>
          ) : null}
          <div ref={container} class="map map-small" role="region" aria-label={t('map.label')} data-map-ready={mapReady ? 'true' : 'false'} />
          {c ? <ZonesPanel clientId={id} map={mapReady ? mapRef.current?.map ?? null : null} onChanged={file.reload} /> : null}
        </div>
      </div>
    </section>
  );
}
