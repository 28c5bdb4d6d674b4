import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/http.ts';
import { FormStatus, invalidIf } from '../../components/form-status.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { circlePolygon } from '../../lib/track.ts';
import { ZoneDraw, type DrawMode } from '../../map/zone-draw.ts';
import { DEFAULT_HALF_WIDTH_M, draftFromZone, drawnFromShape, newDraft, shapeFromDrawn, zoneBody, type LonLat, type ZoneDraft, type ZoneRecord, type ZoneShape } from './zone-draft.ts';
import { ZoneTermsFields, zoneFieldLabels } from './zone-terms.tsx';

const MODES: DrawMode[] = ['polygon', 'circle', 'corridor'];
const circleRing = (c: LonLat, radiusM: number) => circlePolygon(c[0], c[1], radiusM, 64).coordinates[0] as LonLat[];

function ShapeSummary({ shape }: { shape: ZoneShape | null }) {
  const { t } = useI18n();
  if (!shape) return <span>{t('zones.shape.none')}</span>;
  if (shape.type === 'circle') return <span>{t('zones.shape.circle', { radius: shape.radiusM })}</span>;
  if (shape.type === 'corridor') return <span>{t('zones.shape.corridor', { count: shape.path.length, width: shape.halfWidthM })}</span>;
  if (shape.geometry.type === 'MultiPolygon') return <span>{t('zones.shape.multipolygon', { count: shape.geometry.coordinates.length })}</span>;
  return <span>{t('zones.shape.polygon', { count: Math.max(0, (shape.geometry.coordinates[0]?.length ?? 1) - 1) })}</span>;
}

/**
 * Draws a new zone, or changes one, on the client's map: the shape with terra-draw (polygon, circle,
 * or a corridor's way with its half-width), then the terms. Inline, not a modal dialog, so that the
 * map stays usable while the form is open.
 */
export function ZoneEditor({ clientId, zone, map, onSaved, onCancel }: {
  clientId: string;
  zone: ZoneRecord | null;
  map: MapLibreMap | null;
  onSaved(label: string): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<ZoneDraft>(() => (zone ? draftFromZone(zone) : newDraft()));
  const [mode, setMode] = useState<DrawMode | null>(null);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const drawer = useRef<ZoneDraw | null>(null);
  // The half-width is typed, not drawn: the latest value is applied to every drawn way.
  const halfWidth = useRef(draft.shape?.type === 'corridor' ? draft.shape.halfWidthM : DEFAULT_HALF_WIDTH_M);
  const set = (patch: Partial<ZoneDraft>) => setDraft((d) => ({ ...d, ...patch }));

  useEffect(() => {
    if (!map) return;
    const d = new ZoneDraw(map, (f) => set({ shape: f ? shapeFromDrawn(f as Parameters<typeof shapeFromDrawn>[0], halfWidth.current) : null }));
    drawer.current = d;
    const existing = zone ? drawnFromShape(zone.drawnAs ?? zone.shape, circleRing) : null;
    if (existing) d.load(existing as Parameters<ZoneDraw['load']>[0]);
    return () => {
      d.destroy();
      drawer.current = null;
    };
  }, [map, zone]);

  const startDrawing = (m: DrawMode) => {
    setMode(m);
    drawer.current?.start(m);
    // The form sits under the map; drawing happens on the map, so bring it into view.
    map?.getContainer().scrollIntoView({ block: 'nearest' });
  };

  const save = async () => {
    setBusy(true);
    try {
      const body = zoneBody(draft);
      if (zone) await api(`/api/clients/${clientId}/zones/${zone.id}`, { method: 'PUT', body });
      else await api(`/api/clients/${clientId}/zones`, { method: 'POST', body });
      drawer.current?.stop();
      onSaved(body.label);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel zone-form form-grid" aria-label={zone ? t('zones.editTitle', { label: zone.label }) : t('zones.newTitle')} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h3 class="span-all">{zone ? t('zones.editTitle', { label: zone.label }) : t('zones.newTitle')}</h3>
      <label class="span-all">{t('zones.label')}
        <input name="label" required maxLength={200} value={draft.label} onInput={(e) => set({ label: (e.target as HTMLInputElement).value })} aria-invalid={invalidIf(error, 'label')} />
      </label>
      <fieldset class="span-all" aria-invalid={invalidIf(error, 'shape')}>
        <legend>{t('zones.shape')}</legend>
        {map ? (
          <div class="row-actions" role="group" aria-label={t('zones.shape')}>
            {MODES.map((m) => (
              <button type="button" key={m} data-draw-mode={m} aria-pressed={mode === m} onClick={() => startDrawing(m)}>{t(`zones.draw.${m}`)}</button>
            ))}
          </div>
        ) : <p class="note warn">{t('zones.noMap')}</p>}
        {mode ? <p class="hint">{t(`zones.hint.${mode}`)} {mode !== 'circle' ? t('zones.hint.adjust') : ''}</p> : null}
        <p data-testid="zone-shape" role="status"><ShapeSummary shape={draft.shape} /></p>
        {draft.shape?.type === 'corridor' || mode === 'corridor' ? (
          <label>{t('zones.halfWidth')}
            <input type="number" name="halfWidthM" min={5} max={5000} step={1} required value={halfWidth.current}
              onInput={(e) => {
                halfWidth.current = Number((e.target as HTMLInputElement).value);
                setDraft((d) => (d.shape?.type === 'corridor' ? { ...d, shape: { ...d.shape, halfWidthM: halfWidth.current } } : { ...d }));
              }} />
          </label>
        ) : null}
      </fieldset>
      <ZoneTermsFields terms={draft} onChange={set} error={error} />
      <FormStatus error={error} labels={zoneFieldLabels(t)} />
      <div class="actions span-all">
        <button type="submit" class="primary" disabled={busy || !draft.shape}>{t('zones.save')}</button>
        <button type="button" onClick={() => { drawer.current?.stop(); onCancel(); }}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
