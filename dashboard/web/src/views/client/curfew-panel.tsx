import { Map as MapLibreMap, NavigationControl, type GeoJSONSource } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../../api/http.ts';
import type { UiConfig, UnitCollection } from '../../api/types.ts';
import { FormStatus, invalidIf } from '../../components/form-status.tsx';
import { StatusNote } from '../../components/status-note.tsx';
import { useI18n, type Language } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ru.ts';
import { useAsync } from '../../lib/use-async.ts';
import { circlePolygon } from '../../lib/track.ts';
import { baseStyle, MAP_COLOURS, markIdle } from '../../map/base-style.ts';
import { webglAvailable } from '../../map/setup-maplibre.ts';
import './curfew-panel.css';

/** GET/PUT/DELETE /api/clients/:id/curfew (dashboard/routes/api/curfew.ts). */
interface Window { days: number[]; start: string; end: string }
interface CurfewVersion { zoneId: string; label: string; home: [number, number] | null; radiusM: number | null; timeZone: string; windows: Window[]; legalSource: string; legalBasis: string | null }
interface CurfewState {
  home: { lon: number; lat: number; label: string | null; setAt: number } | null;
  curfew: (CurfewVersion & { createdAt: number; updatedAt: number | null }) | null;
  canEdit: boolean;
  history: { seq: string; at: number; action: 'set' | 'change' | 'lift'; actor: string; reason: string | null; curfew: CurfewVersion | null }[];
}
type Names = { ru: string | null; ky: string | null; en: string | null };
interface PlaceHit { id: string; kind: 'place' | 'unit'; names: Names; lon: number; lat: number; unit: { id: string; names: Names } | null }

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const nameIn = (n: Names, lang: Language) => n[lang] ?? n.ru ?? n.en ?? n.ky ?? '';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** "Пн–Пт 22:00–06:00": the hours as the court decision words them, in Bishkek time. */
function useHours() {
  const { t } = useI18n();
  return (windows: Window[]) => windows.map((w) => {
    const days = w.days.length === 7 ? t('curfew.everyDay') : w.days.map((d) => t(`curfew.day.${d}` as MessageKey)).join(', ');
    return `${days} ${w.start}–${w.end}`;
  }).join('; ');
}

/**
 * The client's home and curfew (issue 19): the current curfew and every version of it, and a form
 * that sets it in one step. The home is found by address search over the offline place list, by
 * clicking a small map of its own (the track map above stays the track's), or typed as coordinates.
 */
/** `onChanged`: the curfew is a zone, so the page's own map of zones reloads. */
export function CurfewPanel({ clientId, config, units, onChanged: changed }: { clientId: string; config: UiConfig; units: UnitCollection; onChanged?: () => void }) {
  const { t, dateTime } = useI18n();
  const state = useAsync((signal) => api<CurfewState>(`/api/clients/${clientId}/curfew`, { signal }), [clientId]);
  const hours = useHours();
  const [saved, setSaved] = useState<CurfewState | null>(null);
  const s = saved ?? state.data;
  const c = s?.curfew ?? null;
  const [success, setSuccess] = useState<string>();

  const onChanged = (next: CurfewState, message: string) => {
    setSaved(next);
    setSuccess(message);
    changed?.();
  };

  return (
    <section class="panel curfew-panel" aria-labelledby="curfew-h" data-testid="curfew">
      <h2 id="curfew-h">{t('curfew.heading')}</h2>
      <StatusNote loading={state.loading && !s} error={state.error} what={`/api/clients/${clientId}/curfew`} />
      {s ? (
        <>
          {c ? (
            <dl class="facts" data-testid="curfew-current">
              <dt>{t('curfew.home')}</dt>
              <dd>{s.home?.label ? `${s.home.label} · ` : ''}{c.home ? `${c.home[1].toFixed(5)}, ${c.home[0].toFixed(5)}` : t('common.none')}</dd>
              <dt>{t('curfew.radius')}</dt><dd>{c.radiusM ?? t('common.none')}</dd>
              <dt>{t('curfew.hours')}</dt><dd>{hours(c.windows)}</dd>
              <dt>{t('curfew.legalBasis')}</dt><dd>{c.legalBasis ?? t('common.none')} <span class="muted">({t(`curfew.source.${c.legalSource}` as MessageKey)})</span></dd>
            </dl>
          ) : (
            <p class="note" data-testid="curfew-none">{t('curfew.none')}{s.home ? ` ${t('curfew.homeStored', { place: s.home.label ?? `${s.home.lat.toFixed(5)}, ${s.home.lon.toFixed(5)}` })}` : ''}</p>
          )}
          <FormStatus success={success} />
          {s.canEdit ? <CurfewForm clientId={clientId} config={config} units={units} current={s} onSaved={(next) => onChanged(next, t('curfew.saved'))} /> : null}
          {s.canEdit && c ? <LiftForm clientId={clientId} onLifted={(next) => onChanged(next, t('curfew.lifted'))} /> : null}
          <h3>{t('curfew.history')}</h3>
          {s.history.length ? (
            <div class="table-wrap">
              <table class="curfew-history" data-testid="curfew-history">
                <thead><tr><th>{t('curfew.col.at')}</th><th>{t('curfew.col.action')}</th><th>{t('curfew.col.actor')}</th><th>{t('curfew.col.reason')}</th><th>{t('curfew.col.terms')}</th></tr></thead>
                <tbody>{[...s.history].reverse().map((h) => (
                  <tr key={h.seq}>
                    <td>{dateTime(h.at)}</td>
                    <td>{t(`curfew.action.${h.action}`)}</td>
                    <td>{h.actor}</td>
                    <td>{h.reason ?? t('common.none')}</td>
                    <td>{h.curfew ? t('curfew.terms', { radius: h.curfew.radiusM ?? t('common.none'), hours: hours(h.curfew.windows) }) : t('common.none')}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
          ) : <p class="muted">{t('curfew.noHistory')}</p>}
        </>
      ) : null}
    </section>
  );
}

function LiftForm({ clientId: id, onLifted }: { clientId: string; onLifted(next: CurfewState): void }) {
  const { t } = useI18n();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    setBusy(true);
    try {
      onLifted(await api<CurfewState>(`/api/clients/${id}/curfew`, { method: 'DELETE', body: { reason: String(new FormData(form).get('reason')) } }));
      setError(undefined);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details>
      <summary>{t('curfew.lift')}</summary>
      <form class="form-grid" onSubmit={(e) => void submit(e)} data-testid="curfew-lift">
        <label class="span-all">{t('curfew.reason')}<input name="reason" required minLength={3} aria-invalid={invalidIf(error, 'reason')} /></label>
        <div class="actions span-all"><button type="submit" disabled={busy}>{t('curfew.lift')}</button></div>
        <div class="span-all"><FormStatus error={error} labels={{ reason: t('curfew.reason') }} /></div>
      </form>
    </details>
  );
}

function CurfewForm({ clientId, config, units, current, onSaved }: { clientId: string; config: UiConfig; units: UnitCollection; current: CurfewState; onSaved(next: CurfewState): void }) {
  const { t, lang } = useI18n();
  const c = current.curfew;
  const w0 = c?.windows[0];
  const [lon, setLon] = useState(c?.home?.[0] ?? current.home?.lon ?? null);
  const [lat, setLat] = useState(c?.home?.[1] ?? current.home?.lat ?? null);
  const [homeLabel, setHomeLabel] = useState(current.home?.label ?? '');
  const [radiusM, setRadiusM] = useState(c?.radiusM ?? 100);
  const [days, setDays] = useState<number[]>(w0?.days ?? [...DAYS]);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<PlaceHit[] | null>(null);
  const [attribution, setAttribution] = useState('');
  const [searchError, setSearchError] = useState<Error>();
  const [showMap, setShowMap] = useState(false);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const labels = {
    home: t('curfew.home'), radiusM: t('curfew.radius'), windows: t('curfew.hours'), legalSource: t('curfew.legalSource'), legalBasis: t('curfew.legalBasis'), reason: t('curfew.reason'),
  };

  const search = async () => {
    if (!q.trim()) return;
    try {
      const r = await api<{ attribution: string; items: PlaceHit[] }>(`/api/places${query({ q: q.trim(), limit: 8 })}`);
      setHits(r.items);
      setAttribution(r.attribution);
      setSearchError(undefined);
    } catch (e) {
      setSearchError(e as Error);
    }
  };
  const choose = (h: PlaceHit) => {
    setLon(h.lon);
    setLat(h.lat);
    const name = nameIn(h.names, lang);
    const unit = h.unit && h.kind === 'place' ? nameIn(h.unit.names, lang) : '';
    // A city that is its own unit ("Бишкек", "г.Бишкек") needs no unit after it.
    setHomeLabel(unit && !unit.replace(/^г\.\s*/, '').startsWith(name) ? `${name} (${unit})` : name);
    setHits(null);
  };
  const toggleDay = (d: number) => setDays((ds) => (ds.includes(d) ? ds.filter((x) => x !== d) : [...ds, d].sort((a, b) => a - b)));

  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    try {
      const next = await api<CurfewState>(`/api/clients/${clientId}/curfew`, {
        method: 'PUT',
        body: {
          home: [lon ?? NaN, lat ?? NaN], ...(homeLabel.trim() ? { homeLabel: homeLabel.trim() } : {}), radiusM,
          windows: [{ days, start: String(f.get('start')), end: String(f.get('end')) }],
          legalSource: String(f.get('legalSource')), legalBasis: String(f.get('legalBasis')), reason: String(f.get('reason')),
        },
      });
      setError(undefined);
      // The next change needs its own reason; the terms stay as saved.
      ((e.target as HTMLFormElement).elements.namedItem('reason') as HTMLInputElement).value = '';
      onSaved(next);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details open={!c}>
      <summary>{c ? t('curfew.change') : t('curfew.set')}</summary>
      <form class="form-grid curfew-form" onSubmit={(e) => void submit(e)} data-testid="curfew-form">
        <fieldset class="span-all">
          <legend>{t('curfew.home')}</legend>
          <div class="curfew-search">
            <label>{t('curfew.search')}
              <input type="search" name="place" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)}
                onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } }} autoComplete="off" />
            </label>
            <button type="button" onClick={() => void search()}>{t('curfew.find')}</button>
          </div>
          <StatusNote error={searchError} what="/api/places" />
          {hits ? (
            hits.length ? (
              <ul class="place-hits" data-testid="place-hits">{hits.map((h) => (
                <li key={h.id}><button type="button" class="link" onClick={() => choose(h)}>
                  {nameIn(h.names, lang)}{h.unit && h.kind === 'place' ? <span class="muted"> · {nameIn(h.unit.names, lang)}</span> : null}
                </button></li>
              ))}</ul>
            ) : <p class="muted">{t('curfew.noResults')}</p>
          ) : null}
          {attribution ? <p class="hint">{attribution}</p> : null}
          <div class="form-grid">
            <label>{t('curfew.lat')}<input name="lat" type="number" step="any" min={-90} max={90} required value={lat ?? ''} aria-invalid={invalidIf(error, 'home')}
              onInput={(e) => { const v = (e.target as HTMLInputElement).valueAsNumber; setLat(Number.isFinite(v) ? v : null); }} /></label>
            <label>{t('curfew.lon')}<input name="lon" type="number" step="any" min={-180} max={180} required value={lon ?? ''} aria-invalid={invalidIf(error, 'home')}
              onInput={(e) => { const v = (e.target as HTMLInputElement).valueAsNumber; setLon(Number.isFinite(v) ? v : null); }} /></label>
            <label>{t('curfew.homeLabel')}<input name="homeLabel" maxLength={300} value={homeLabel} onInput={(e) => setHomeLabel((e.target as HTMLInputElement).value)} /></label>
          </div>
          {webglAvailable() ? <button type="button" onClick={() => setShowMap(!showMap)} aria-pressed={showMap}>{t('curfew.pickOnMap')}</button> : null}
          {showMap ? <HomePicker config={config} units={units} home={lon !== null && lat !== null ? [lon, lat] : null} radiusM={radiusM} onPick={([x, y]) => { setLon(x); setLat(y); setHomeLabel(''); }} /> : null}
        </fieldset>
        <label>{labels.radiusM}<input name="radiusM" type="number" min={25} max={2000} step={5} required value={radiusM} aria-invalid={invalidIf(error, 'radiusM')}
          onInput={(e) => setRadiusM((e.target as HTMLInputElement).valueAsNumber)} /></label>
        <fieldset class="span-all" aria-invalid={invalidIf(error, 'windows')}>
          <legend>{t('curfew.hours')}</legend>
          <div class="curfew-days">{DAYS.map((d) => (
            <label key={d} class="inline"><input type="checkbox" checked={days.includes(d)} onChange={() => toggleDay(d)} /> {t(`curfew.day.${d}` as MessageKey)}</label>
          ))}</div>
          <div class="form-grid">
            <label>{t('curfew.start')}<input name="start" type="time" required defaultValue={w0?.start ?? '22:00'} /></label>
            <label>{t('curfew.end')}<input name="end" type="time" required defaultValue={w0?.end ?? '06:00'} /></label>
          </div>
          <p class="hint">{t('curfew.endHint')}</p>
        </fieldset>
        <label>{labels.legalSource}
          <select name="legalSource" defaultValue={c?.legalSource ?? 'court_imposed'}>
            <option value="court_imposed">{t('curfew.source.court_imposed')}</option>
            <option value="office_requirement">{t('curfew.source.office_requirement')}</option>
          </select>
        </label>
        <label class="span-all">{labels.legalBasis}<textarea name="legalBasis" required minLength={3} maxLength={1000} defaultValue={c?.legalBasis ?? ''} aria-invalid={invalidIf(error, 'legalBasis')} /></label>
        <label class="span-all">{labels.reason}<input name="reason" required minLength={3} aria-invalid={invalidIf(error, 'reason')} /></label>
        <div class="actions span-all"><button type="submit" class="primary" disabled={busy}>{t('curfew.save')}</button></div>
        <div class="span-all"><FormStatus error={error} labels={labels} /></div>
      </form>
    </details>
  );
}

/** A small map of its own: a click places the home; the circle shows the radius. */
function HomePicker({ config, units, home, radiusM, onPick }: { config: UiConfig; units: UnitCollection; home: [number, number] | null; radiusM: number; onPick(p: [number, number]): void }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!container.current) return;
    const m = new MapLibreMap({
      container: container.current, style: baseStyle(config, units), attributionControl: { compact: true },
      ...(home ? { center: home, zoom: 13 } : { bounds: [[69.2, 39.1], [80.3, 43.3]] as [[number, number], [number, number]] }),
    });
    m.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    markIdle(m);
    m.once('load', () => {
      m.addSource('home', { type: 'geojson', data: EMPTY });
      m.addLayer({ id: 'home-fill', type: 'fill', source: 'home', paint: { 'fill-color': MAP_COLOURS.zone, 'fill-opacity': 0.25 } });
      m.addLayer({ id: 'home-line', type: 'line', source: 'home', paint: { 'line-color': MAP_COLOURS.zone, 'line-width': 2 } });
      setReady(true);
    });
    m.on('click', (e) => pick.current([Number(e.lngLat.lng.toFixed(6)), Number(e.lngLat.lat.toFixed(6))]));
    mapRef.current = m;
    return () => {
      m.remove();
      mapRef.current = null;
    };
  }, [config, units]);

  useEffect(() => {
    const m = mapRef.current;
    if (!m || !ready) return;
    const data: FeatureCollection = home && Number.isFinite(radiusM)
      ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: circlePolygon(home[0], home[1], radiusM, 48) }] }
      : EMPTY;
    (m.getSource('home') as GeoJSONSource).setData(data);
    if (home && !m.getBounds().contains(home)) m.jumpTo({ center: home, zoom: Math.max(m.getZoom(), 13) });
  }, [home?.[0], home?.[1], radiusM, ready]);

  return (
    <>
      <p class="hint">{t('curfew.mapHint')}</p>
      <div ref={container} class="map map-small curfew-map" role="region" aria-label={t('curfew.pickOnMap')} data-map-ready={ready ? 'true' : 'false'} />
    </>
  );
}
